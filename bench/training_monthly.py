#!/usr/bin/env python3
"""cs_training: monthly incentive drafting and performance-review scoring of 200 agents.

Target: 200 agents over a month of 300,000 tickets in < 20 s, linear. Bulk inserts the tickets of 200
agents (20 teams of 10) in one month at each of --scales, with failed SLA targets on about one ticket in
ten, a working schedule and a month of attendance per agent (one in four late once), then times the
month-end run: ``cs.incentive.record._draft_month`` (full-attendance rewards, SLA-breach penalties) and
``cs.performance.review._generate`` (cs_quality KPI snapshot of the month, weighted score, rank in team).
Core reference, same run: one ``cs.ticket._read_group`` of the month by agent and team with four
aggregates (what any per-agent monthly figure costs at least).

    python3 bench/training_monthly.py --db training_bench [--scales 150000,300000]

The database needs cs_training (and crm); everything is rolled back.
"""

import sys
from datetime import date, datetime

import benchlib
import datagen
from odoo.tools import SQL

TARGET_SECONDS = 20.0
TARGET_TICKETS = 300_000
MONTH = date(2026, 3, 1)
START_UTC, END_UTC = datetime(2026, 2, 28, 16), datetime(2026, 3, 31, 16)


def employees_and_attendance(env, fixture):
    """An employee per agent on a Shanghai 40-hour schedule, present 08:00-17:00 every weekday of March."""
    calendar = env["resource.calendar"].create({"name": "Bench 早九晚五", "tz": "Asia/Shanghai"})
    employees = env["hr.employee"].create(
        [
            {"name": agent.name, "user_id": agent.id, "resource_calendar_id": calendar.id, "tz": "Asia/Shanghai"}
            for agent in fixture.agents
        ]
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO hr_attendance (employee_id, check_in, check_out, worked_hours, create_uid, create_date,
                                       write_uid, write_date)
            SELECT e.id,
                   d + interval '-8 hours' + CASE WHEN mod(e.id, 4) = 0 AND extract(day FROM d) = 17
                                                  THEN interval '20 minutes' ELSE interval '0' END,
                   d + interval '1 hour', 9, %(uid)s, now(), %(uid)s, now()
              FROM hr_employee e
             CROSS JOIN generate_series(%(first)s::timestamp, %(last)s::timestamp, interval '1 day') AS d
             WHERE e.id = ANY(%(ids)s) AND extract(isodow FROM d) < 6
            """,
            uid=env.uid,
            first=datetime(2026, 3, 1, 8),
            last=datetime(2026, 3, 31, 8),
            ids=employees.ids,
        )
    )
    return employees


def insert_month(env, fixture, count, prefix):
    with datagen.indexes_rebuilt(env, "cs_ticket"):
        ids = datagen.insert_tickets(
            env,
            fixture,
            count,
            {
                "create_date": SQL("%s::timestamp + make_interval(secs => r.r8 * 30 * 86400)", START_UTC),
                "write_date": SQL("%s::timestamp", END_UTC),
                "first_response_date": SQL("CASE WHEN r.r6 < 0.95 THEN %s::timestamp END", END_UTC),
                "first_response_hours": SQL("CASE WHEN r.r6 < 0.95 THEN power(r.r7, 2) * 24 ELSE 0 END"),
                "resolved_date": SQL("CASE WHEN r.r6 < 0.9 THEN %s::timestamp END", END_UTC),
                "resolution_hours": SQL("CASE WHEN r.r6 < 0.9 THEN r.r7 * 72 ELSE 0 END"),
                "is_resolved": SQL("r.r6 < 0.9"),
                "is_closed": SQL("r.r6 < 0.8"),
                "stage_id": SQL(
                    "CASE WHEN r.r6 < 0.8 THEN %s ELSE %s END", fixture.stage_closed, fixture.stage_resolved
                ),
                "sla_status": SQL("CASE WHEN r.r4 < 0.8 THEN 'met' WHEN r.r4 < 0.9 THEN 'failed' ELSE 'none' END"),
                "rating_last_value": SQL("CASE WHEN r.r3 < 0.3 THEN 1 + floor(r.r2 * 5) ELSE 0 END"),
            },
            prefix=prefix,
        )
    policy = env["cs.sla.policy"].search([], limit=1) or env["cs.sla.policy"].create({"name": "Bench SLA"})
    env.cr.execute(
        SQL(
            """
            INSERT INTO cs_ticket_sla (ticket_id, policy_id, company_id, kind, status, deadline, cycle,
                                       create_uid, create_date, write_uid, write_date)
            SELECT t.id, %(policy)s, t.company_id, 'resolution', 'failed', t.create_date + interval '1 day', 1,
                   %(uid)s, now(), %(uid)s, now()
              FROM cs_ticket t WHERE t.id = ANY(%(ids)s) AND t.sla_status = 'failed'
            """,
            policy=policy.id,
            uid=env.uid,
            ids=ids,
        )
    )
    env.cr.execute("ANALYZE cs_ticket")
    env.cr.execute("ANALYZE cs_ticket_sla")


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--scales", type=lambda v: [int(x) for x in v.split(",")], default=[150_000, 300_000])
    args = p.parse_args()
    with benchlib.environment(args) as env:
        if "cs_training" not in env.registry._init_modules:
            sys.exit("the database lacks cs_training")
        env.user.tz = "Asia/Shanghai"
        env.company.partner_id.tz = "Asia/Shanghai"
        fixture = datagen.Fixture(env, teams=20, agents_per_team=10, partners=2000)
        employees = employees_and_attendance(env, fixture)
        env["cs.incentive.rule"].create(
            {"code": "BENCH-SLA", "name": "SLA breaches", "amount": 20, "automatic_source": "sla"}
        )
        Record = env["cs.incentive.record"]
        Review = env["cs.performance.review"]
        Ticket = env["cs.ticket"]
        rows, verdicts, per_ticket = [], [], []
        inserted = 0
        for scale in sorted(args.scales):
            insert_month(env, fixture, scale - inserted, f"TRNBENCH{scale}-")
            inserted = scale
            # each scale starts from a clean month: no drafts, no reviews, the snapshot to compute
            env.cr.execute("DELETE FROM cs_incentive_record WHERE date >= %s", [MONTH])
            env.cr.execute("DELETE FROM cs_performance_review WHERE date_start = %s", [MONTH])
            env.cr.execute("UPDATE cs_kpi_period SET state = 'todo'")
            env.invalidate_all()

            def month_end():
                drafts = Record._draft_month(MONTH)
                reviews = Review._generate(employees, "month", MONTH)
                env.flush_all()
                return drafts, reviews

            seconds, (drafts, reviews) = benchlib.timed(env, month_end, profile=args.profile, label="month end")
            domain = [("create_date", ">=", START_UTC), ("create_date", "<", END_UTC), ("user_id", "!=", False)]
            aggregates = ["__count", "first_response_hours:avg", "resolution_hours:avg", "rating_last_value:avg"]
            core_seconds, _best, _runs = benchlib.repeat(
                env, lambda d=domain, a=aggregates: Ticket._read_group(d, ["user_id", "team_id"], a), 3
            )
            kinds = drafts.grouped("kind")
            per_ticket.append(seconds / scale)
            rows += [
                (f"{scale:,} tickets: month end s", seconds),
                (
                    f"{scale:,} tickets: rewards / penalties drafted / reviews",
                    f"{len(kinds.get('reward', []))} / {len(kinds.get('penalty', []))} / {len(reviews)}",
                ),
                (f"{scale:,} tickets: core _read_group by agent and team s", core_seconds),
                (f"{scale:,} tickets: ratio month end / core", seconds / core_seconds),
            ]
            projected = seconds / scale * TARGET_TICKETS
            verdicts.append(
                (
                    f"{scale:,} tickets: projected to 300,000 < {TARGET_SECONDS:.0f} s ({projected:.1f} s)",
                    projected < TARGET_SECONDS,
                )
            )
            verdicts.append((f"{scale:,} tickets: a review per agent", len(reviews) == len(employees)))
        if len(per_ticket) > 1:
            growth = per_ticket[-1] / per_ticket[0]
            rows.append(("time per ticket, largest / smallest scale", growth))
            verdicts.append(("no worse than linear (time per ticket grows < 1.5x)", growth < 1.5))
        ok = benchlib.report(args, "cs_training month end", rows, verdicts)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
