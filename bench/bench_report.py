#!/usr/bin/env python3
"""Ticket analysis at a year of volume: every analysis from the rollups, beside the raw rows.

Bulk inserts --count tickets (one ``INSERT … SELECT generate_series``) spread over
the last 12 months, 8 teams with skewed volumes, the channel and type mix of a
Chinese e-commerce service center, ~90 % resolved, SLA met/failed/running/none,
then ANALYZE and rebuilds the report rollups (timed). Times (median of --repeat runs,
after one cold run), each beside the same request answered from the raw rows
(context ``cs_rollup_off``) in the same run:

* ``cs.ticket.report._read_group([], ['team_id', 'create_date:month'], ['__count'])``
* the web client's path: ``read_group(..., lazy=False)`` as a data analyst (record
  rules, access checks, the analyst's time zone) for team x month, the pivot's four
  requests (total, rows, columns, cells), the dashboard measures (tickets, first
  response and resolution hours, SLA met %, FCR %) and the last 30 days by channel x day
* the core reference: the same grouping with ``cs.ticket._read_group`` and ``read_group`` on
  the base table (the analyst sees all tickets there too)

Then it creates, edits, reassigns, resolves, reopens and deletes tickets through the ORM,
syncs the rollups and checks that every request above gives the same result both ways.

Targets (at 3,600,000 tickets): team x month < 0.3 s, pivot open < 1 s, dashboard < 1 s,
each at least 4x faster than on the raw rows.

    python3 bench/bench_report.py --db cs_bench [--count 3600000] [--repeat 5] [--explain]
"""

import math
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

        tz = env.context["tz"]
        env.company.partner_id.tz = tz  # the rollups cut days in the company's time zone
        analyst.tz = tz
        for report in env["cs.report.mixin"]._rollup_reports():
            report._rollup_create_schema()
        start = time.perf_counter()
        env["cs.report.mixin"]._rollup_rebuild()
        rebuild_seconds = time.perf_counter() - start
        rollup_rows = {}
        for key in env["cs.ticket.report"]._rollups:
            env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(env["cs.ticket.report"]._rollup_table(key))))
            rollup_rows[key] = env.cr.fetchone()[0]

        Report = env["cs.ticket.report"]
        Ticket = env["cs.ticket"]
        web = Report.with_user(analyst).with_context(tz=tz)
        raw = Report.with_context(cs_rollup_off=True)
        web_raw = web.with_context(cs_rollup_off=True)
        groupby = ["team_id", "create_date:month"]
        measures = ["nbr:sum", "first_response_hours:avg", "resolution_hours:avg", "sla_met:avg", "fcr:avg"]
        since = datagen_since(env, days=30, tz=tz)
        pivot_groupbys = ([], ["team_id"], ["create_date:month"], groupby)

        def pivot_requests(model):
            return [model.read_group([], ["nbr:sum"], gb, lazy=False) for gb in pivot_groupbys]

        def dashboard(model):
            return model.read_group([], measures, groupby, lazy=False)

        def last_30_days(model):
            return model.read_group(
                [("create_date", ">=", since)], ["nbr:sum"], ["channel_id", "create_date:day"], lazy=False
            )

        cases = [
            ("report _read_group team x month", lambda: Report._read_group([], groupby, ["__count"])),
            ("  same on the raw rows", lambda: raw._read_group([], groupby, ["__count"])),
            ("core: cs.ticket _read_group team x month", lambda: Ticket._read_group([], groupby, ["__count"])),
            ("web read_group team x month (analyst)", lambda: web.read_group([], ["nbr:sum"], groupby, lazy=False)),
            ("  same on the raw rows ", lambda: web_raw.read_group([], ["nbr:sum"], groupby, lazy=False)),
            (
                "core: cs.ticket web read_group team x month (analyst)",
                lambda: Ticket.with_user(analyst).read_group([], ["__count"], groupby, lazy=False),
            ),
            ("pivot open: 4 read_group (analyst)", lambda: pivot_requests(web)),
            ("  same on the raw rows  ", lambda: pivot_requests(web_raw)),
            ("dashboard measures team x month", lambda: dashboard(web)),
            ("  same on the raw rows   ", lambda: dashboard(web_raw)),
            ("last 30 days channel x day (analyst)", lambda: last_30_days(web)),
            ("  same on the raw rows    ", lambda: last_30_days(web_raw)),
        ]
        rows = [
            ("tickets in table", total),
            ("cs_ticket size (with indexes)", size),
            ("generated in s", gen_seconds),
            ("rollups rebuilt from scratch in s", rebuild_seconds),
            *((f"rows in rollup {key}", count) for key, count in rollup_rows.items()),
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
        speedups = {
            name: timings[raw_label] / timings[name]
            for name, raw_label in (
                ("web read_group team x month (analyst)", "  same on the raw rows "),
                ("pivot open: 4 read_group (analyst)", "  same on the raw rows  "),
                ("dashboard measures team x month", "  same on the raw rows   "),
                ("last 30 days channel x day (analyst)", "  same on the raw rows    "),
            )
        }
        rows += [("report rows = active tickets", f"{report_total} = {base_total}")]
        rows += [(f"speed-up over the raw rows: {name}", speedup) for name, speedup in speedups.items()]

        changes_seconds, agree = change_and_compare(env, fixture, web, web_raw, pivot_requests, dashboard, last_30_days)
        rows += [("create/edit/reassign/resolve/reopen/delete + sync, s", changes_seconds)]
        verdicts = [
            ("team x month < 0.3 s", timings["web read_group team x month (analyst)"] < 0.3),
            ("pivot open < 1 s", timings["pivot open: 4 read_group (analyst)"] < TARGET_SECONDS),
            ("dashboard < 1 s", timings["dashboard measures team x month"] < TARGET_SECONDS),
            *(
                (f"{name}: >= 4x faster than the raw rows", speedups[name] >= 4)
                for name in (
                    "web read_group team x month (analyst)",
                    "pivot open: 4 read_group (analyst)",
                    "dashboard measures team x month",
                )
            ),
            ("report counts match the tickets", report_total == base_total),
            ("rollup = raw rows after the changes", agree),
        ]
        if args.explain:
            for label, func in cases[:3]:
                code, params, plan = benchlib.explain(env, func, "GROUP BY")
                print(f"\n----- {label} -----\n{code % tuple(repr(p) for p in params)}\n{plan}")
        ok = benchlib.report(args, "ticket report", rows, verdicts)
    return 0 if ok else 1


def change_and_compare(env, fixture, web, web_raw, *requests):
    """Create, edit, reassign, resolve, reopen and delete tickets, then compare the rollups with the raw rows."""
    Ticket = env["cs.ticket"]
    start = time.perf_counter()
    new = Ticket.create(
        [
            {"name": f"Bench change {i}", "partner_id": fixture.partners[i % len(fixture.partners)].id}
            for i in range(200)
        ]
    )
    sample = Ticket.search([("id", "not in", new.ids)], limit=700, order="id desc")
    sample[:200].write({"priority": "3"})
    sample[200:400].write({"team_id": fixture.teams[0].id, "user_id": fixture.teams[0].member_ids[:1].id})
    resolved = env.ref("cs_helpdesk.stage_resolved")
    questions = sample[400:600].filtered(lambda t: not t.complaint_state)
    questions.write({"stage_id": resolved.id})
    questions[:50].action_reopen()
    sample[600:700].unlink()
    env.flush_all()
    env["cs.report.mixin"]._cron_sync_rollups()
    seconds = time.perf_counter() - start

    def same(result, expected):
        # averages are float sums added up in another order: equal within a relative 1e-9
        if isinstance(result, float) or isinstance(expected, float):
            return math.isclose(result or 0.0, expected or 0.0, rel_tol=1e-9, abs_tol=1e-9)
        if isinstance(result, dict) and isinstance(expected, dict):
            return result.keys() == expected.keys() and all(same(result[k], expected[k]) for k in result)
        if isinstance(result, list) and isinstance(expected, list):
            return len(result) == len(expected) and all(map(same, result, expected))
        return result == expected

    disagree = [request.__name__ for request in requests if not same(request(web), request(web_raw))]
    for name in disagree:
        print(f"rollup and raw rows differ: {name}", file=sys.stderr)
    return seconds, not disagree


def datagen_since(env, days, tz):
    """Midnight (in ``tz``) ``days`` days ago, as UTC: where the web client's date filters cut."""
    env.cr.execute(
        SQL(
            "SELECT timezone('UTC', timezone(%s, date_trunc('day', timezone(%s, now())) - make_interval(days => %s)))",
            tz,
            tz,
            days,
        )
    )
    return env.cr.fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())
