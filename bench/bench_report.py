#!/usr/bin/env python3
"""Ticket analysis report on 1,000,000 tickets: the pivot's team x month grouping.

Bulk inserts --count tickets (one ``INSERT … SELECT generate_series``) spread over
the last 12 months, 8 teams with skewed volumes, the channel and type mix of a
Chinese e-commerce service center, ~90 % resolved, SLA met/failed/running/none,
then ANALYZE. Times (median of --repeat runs, after one cold run):

* ``cs.ticket.report._read_group([], ['team_id', 'create_date:month'], ['__count'])``
* the web client's path: ``read_group(..., lazy=False)`` as a data analyst (record
  rules, access checks) for the pivot's four requests (total, rows, columns, cells)
* the dashboard measures (tickets, first response and resolution hours, SLA met %, FCR %)
* a filtered view: last 30 days by channel x day
* the core reference: the same grouping with ``cs.ticket._read_group`` and ``read_group`` on
  the base table (the analyst sees all tickets there too)

Target: team x month on the report < 1 s; report/base ratio close to 1.

    python3 bench/bench_report.py --db cs_bench [--count 1000000] [--repeat 5] [--explain]
"""

import sys
import time

import benchlib
import datagen
from odoo import Command
from odoo.tools import SQL

TARGET_SECONDS = 1.0


def generate(env, fixture, count, seed):
    ref = env.ref
    closed, resolved = fixture.stage_closed, fixture.stage_resolved
    open_stages = fixture.stage_open
    derived = {
        # 12 months back, a little more in the latest weeks
        "created": SQL("(now() AT TIME ZONE 'UTC') - make_interval(secs => power(r0.r8, 1.15) * 365 * 86400)"),
        "solved": SQL("r0.r6 < 0.9"),
        "response_h": SQL("CASE WHEN r0.r6 < 0.9 OR r0.r5 < 0.7 THEN power(r0.r7, 2) * 30 END"),
    }
    with datagen.indexes_rebuilt(env, "cs_ticket"):
        datagen.insert_tickets(
            env,
            fixture,
            count,
            {
                "create_date": SQL("r.created"),
                "write_date": SQL("r.created"),
                "category_id": SQL(
                    "CASE mod(r.g, 5) WHEN 0 THEN %s WHEN 1 THEN %s WHEN 2 THEN %s END",
                    ref("cs_helpdesk.category_return_exchange").id,
                    ref("cs_helpdesk.category_product").id,
                    ref("cs_helpdesk.category_process").id,
                ),
                "stage_id": SQL(
                    "CASE WHEN r.r6 < 0.78 THEN %s WHEN r.solved THEN %s "
                    "ELSE (%s::int[])[1 + floor(r.r7 * 3)::int] END",
                    closed,
                    resolved,
                    open_stages,
                ),
                "is_closed": SQL("r.r6 < 0.78"),
                "is_resolved": SQL("r.solved"),
                "assign_date": SQL("r.created + interval '3 minutes'"),
                "first_response_date": SQL("r.created + make_interval(secs => r.response_h * 3600)"),
                "first_response_hours": SQL("COALESCE(r.response_h, 0)"),
                "resolved_date": SQL(
                    "CASE WHEN r.solved THEN r.created + make_interval(secs => (r.response_h + r.r3 * 72) * 3600) END"
                ),
                "resolution_hours": SQL("CASE WHEN r.solved THEN r.response_h + r.r3 * 72 ELSE 0 END"),
                "closed_date": SQL(
                    "CASE WHEN r.r6 < 0.78 "
                    "THEN r.created + make_interval(secs => (r.response_h + r.r3 * 72 + 48) * 3600) END"
                ),
                "reopen_count": SQL("CASE WHEN r.solved AND r.r1 * 997 - floor(r.r1 * 997) < 0.1 THEN 1 ELSE 0 END"),
                "sla_status": SQL(
                    "CASE WHEN r.r4 < 0.4 THEN 'none' WHEN NOT r.solved THEN 'running' "
                    "WHEN r.r5 < 0.85 THEN 'met' ELSE 'failed' END"
                ),
            },
            seed=seed,
            prefix="RPT",
            derived=derived,
            returning=False,
        )
    env.cr.execute("ANALYZE cs_ticket")
    env.invalidate_all()


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=1000000, help="tickets to insert (default 1,000,000)")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per query (median shown)")
    p.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the pivot query")
    p.add_argument("--seed", type=float, default=0.42)
    args = p.parse_args()

    with benchlib.environment(args, vacuum_tables=["cs_ticket"]) as env:
        fixture = datagen.Fixture(env, teams=8, agents_per_team=12, partners=5000)
        analyst = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Bench 数据分析",
                    "login": "bench_analyst",
                    "groups_id": [Command.set([env.ref("cs_helpdesk.group_analyst").id])],
                }
            )
        )
        start = time.perf_counter()
        generate(env, fixture, args.count, args.seed)
        gen_seconds = time.perf_counter() - start
        env.cr.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('cs_ticket')) FROM cs_ticket")
        total, size = env.cr.fetchone()

        Report = env["cs.ticket.report"]
        Ticket = env["cs.ticket"]
        web = Report.with_user(analyst)
        groupby = ["team_id", "create_date:month"]
        measures = ["nbr:sum", "first_response_hours:avg", "resolution_hours:avg", "sla_met:avg", "fcr:avg"]
        since = datagen_since(env, days=30)

        def pivot_requests():
            for gb in ([], ["team_id"], ["create_date:month"], groupby):
                web.read_group([], ["nbr:sum"], gb, lazy=False)

        cases = [
            ("report _read_group team x month", lambda: Report._read_group([], groupby, ["__count"])),
            ("core: cs.ticket _read_group team x month", lambda: Ticket._read_group([], groupby, ["__count"])),
            ("web read_group team x month (analyst)", lambda: web.read_group([], ["nbr:sum"], groupby, lazy=False)),
            (
                "core: cs.ticket web read_group team x month (analyst)",
                lambda: Ticket.with_user(analyst).read_group([], ["__count"], groupby, lazy=False),
            ),
            ("pivot open: 4 read_group (analyst)", pivot_requests),
            ("dashboard measures team x month", lambda: web.read_group([], measures, groupby, lazy=False)),
            (
                "last 30 days channel x day (analyst)",
                lambda: web.read_group(
                    [("create_date", ">=", since)], ["nbr:sum"], ["channel_id", "create_date:day"], lazy=False
                ),
            ),
        ]
        rows = [
            ("tickets in table", total),
            ("cs_ticket size (with indexes)", size),
            ("generated in s", gen_seconds),
        ]
        timings = {}
        for label, func in cases:
            env.invalidate_all()
            cold_start = time.perf_counter()
            func()
            cold = time.perf_counter() - cold_start
            median, best, _runs = benchlib.repeat(env, func, args.repeat)
            timings[label] = median
            rows.append((f"{label}: median s (cold {cold:.3f}, best {best:.3f})", median))
        # sanity: the report and the base table agree
        report_total = sum(count for _team, _month, count in Report._read_group([], groupby, ["__count"]))
        base_total = Ticket.search_count([])
        ratio = timings["report _read_group team x month"] / timings["core: cs.ticket _read_group team x month"]
        web_ratio = (
            timings["web read_group team x month (analyst)"]
            / timings["core: cs.ticket web read_group team x month (analyst)"]
        )
        rows += [
            ("report rows = active tickets", f"{report_total} = {base_total}"),
            ("ratio report / core (_read_group)", ratio),
            ("ratio report / core (web read_group)", web_ratio),
        ]
        verdicts = [
            (f"report team x month < {TARGET_SECONDS} s", timings["report _read_group team x month"] < TARGET_SECONDS),
            (
                f"web read_group team x month < {TARGET_SECONDS} s",
                timings["web read_group team x month (analyst)"] < TARGET_SECONDS,
            ),
            ("report counts match the tickets", report_total == base_total),
        ]
        if args.explain:
            for label, func in cases[:3]:
                code, params, plan = benchlib.explain(env, func, "GROUP BY")
                print(f"\n----- {label} -----\n{code % tuple(repr(p) for p in params)}\n{plan}")
        ok = benchlib.report(args, "ticket report", rows, verdicts)
    return 0 if ok else 1


def datagen_since(env, days):
    env.cr.execute(SQL("SELECT (now() AT TIME ZONE 'UTC') - make_interval(days => %s)", days))
    return env.cr.fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())
