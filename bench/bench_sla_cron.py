#!/usr/bin/env python3
"""SLA cron throughput at 10,000 and 100,000 running SLA lines.

For each scale, tickets and their running ``cs.ticket.sla`` lines are bulk inserted
(SQL) on the seeded "Email reply within 24 hours" policy, whose ladder warns the
assignee 2 h before the deadline (L1) and escalates to the team leader at the
deadline (L3: raise priority + to-do activity + digest). By default 10 % of the
lines are due (``--due-share 0.1``, a night-long cron outage's backlog); with
``--due-share 1`` every line is due (worst case: deadlines spread over the last
24 h and the next 2 h, so most lines are breached and escalate to L3, the rest get
the L1 warning). ``env['cs.ticket.sla']._cron_process_sla(batch_size=…)`` is
then called until nothing is due, as the re-triggered cron would.

Core reference: creating the same kind of per-ticket work with Odoo's own
``mail.activity`` batch create (one to-do per ticket), in ms per record.
Targets: 100k lines in < 60 s; time(100k) / time(10k) <= 12.

    python3 bench/bench_sla_cron.py --db cs_bench [--scales 10000,100000] [--batch-size 5000] [--due-share 0.1]
"""

import contextlib
import os
import sys
import time

import benchlib
import datagen
from odoo.tools import SQL

TARGET_100K_SECONDS = 60
TARGET_SCALING = 12


def generate(env, fixture, count, due_share, seed, policy):
    """``count`` open email tickets with one running first-response line each; ``due_share`` of them due."""
    warn_hours = max([e.offset_hours for e in policy.escalation_ids if e.trigger == "before"] or [0])
    # r6 < due_share: deadline in [now - 24 h, now + warn h) so the next check (deadline - warn) is past;
    # others: deadline 3 to 72 h ahead
    deadline = SQL(
        """(now() AT TIME ZONE 'UTC') + CASE WHEN r.r6 < %s
                THEN make_interval(secs => (r.r7 * (24 + %s) - 24) * 3600)
                ELSE make_interval(secs => (3 + r.r7 * 69) * 3600) END""",
        due_share,
        warn_hours,
    )
    ticket_ids = datagen.insert_tickets(
        env,
        fixture,
        count,
        {
            "channel_id": SQL("%s", env.ref("cs_helpdesk.channel_email").id),
            "stage_id": SQL("%s", fixture.stage_open[1]),
            "is_closed": SQL("FALSE"),
            "is_resolved": SQL("FALSE"),
            "sla_status": SQL("'running'"),
            "sla_deadline": deadline,
            "create_date": SQL("%s - interval '24 hours'", deadline),
            "write_date": SQL("%s - interval '24 hours'", deadline),
            "assign_date": SQL("%s - interval '23 hours'", deadline),
            "first_response_hours": SQL("0"),
            "resolution_hours": SQL("0"),
        },
        seed=seed,
        prefix=f"SLA{count}-",
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO cs_ticket_sla (ticket_id, policy_id, company_id, kind, status, deadline, next_check,
                                       create_uid, write_uid, create_date, write_date)
            SELECT t.id, %(policy)s, t.company_id, 'first_response', 'running', t.sla_deadline,
                   t.sla_deadline - make_interval(secs => %(warn)s * 3600), %(uid)s, %(uid)s,
                   t.create_date, t.create_date
              FROM cs_ticket t
             WHERE t.id = ANY(%(ids)s)
            """,
            policy=policy.id,
            warn=warn_hours,
            uid=env.uid,
            ids=ticket_ids,
        )
    )
    env.cr.execute("ANALYZE cs_ticket")
    env.cr.execute("ANALYZE cs_ticket_sla")
    env.invalidate_all()
    return ticket_ids


def due_count(env):
    env.cr.execute("SELECT count(*) FROM cs_ticket_sla WHERE next_check <= now() AT TIME ZONE 'UTC'")
    return env.cr.fetchone()[0]


def run_cron(env, batch_size, max_calls, budget=None):
    """Call the cron method until it reports an incomplete batch (or the time budget is spent).

    Returns (seconds, calls, processed, complete).
    """
    Sla = env["cs.ticket.sla"]
    calls = processed = 0
    start = time.perf_counter()
    per_call = []
    complete = False
    while calls < max_calls:
        call_start = time.perf_counter()
        done = Sla._cron_process_sla(batch_size=batch_size)
        env.invalidate_all()  # flushes; each cron run starts with an empty cache, as in its own transaction
        per_call.append(time.perf_counter() - call_start)
        calls += 1
        processed += done
        if done < batch_size:
            complete = True
            break
        if budget and time.perf_counter() - start > budget:
            break
    if os.environ.get("CS_BENCH_VERBOSE"):
        print("cron call seconds:", " ".join(f"{s:.2f}" for s in per_call))
    return time.perf_counter() - start, calls, processed, complete


def core_reference(env, ticket_ids, count):
    """Odoo's own per-record work of the same kind: one to-do activity per ticket, batch created."""
    tickets = env["cs.ticket"].browse(ticket_ids[:count])
    todo = env.ref("mail.mail_activity_data_todo")
    model_id = env["ir.model"]._get_id("cs.ticket")
    values = [
        {
            "res_model_id": model_id,
            "res_id": ticket.id,
            "activity_type_id": todo.id,
            "user_id": ticket.user_id.id,
            "summary": "回访客户",
        }
        for ticket in tickets
    ]
    seconds, _res = benchlib.timed(env, lambda: env["mail.activity"].create(values))
    return seconds * 1000 / len(values)


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--scales", default="10000,100000", help="comma-separated line counts (default 10000,100000)")
    p.add_argument("--batch-size", type=int, default=5000, help="cron batch size (default 5000, the cron default)")
    p.add_argument(
        "--due-share", type=float, default=0.1, help="share of the lines that are due (default 0.1; 1 = worst case)"
    )
    p.add_argument("--core-count", type=int, default=1000, help="activities created for the core reference")
    p.add_argument("--seed", type=float, default=0.42)
    p.add_argument(
        "--no-escalation",
        action="store_true",
        help="diagnostic: a copy of the policy without escalation levels, to time the SLA engine alone",
    )
    p.add_argument(
        "--time-budget",
        type=float,
        default=180,
        help="seconds per scale after which the run stops and the total is projected from the lines/s so far "
        "(default 180; 0 = no limit)",
    )
    args = p.parse_args()
    scales = [int(s) for s in args.scales.split(",")]

    rows, verdicts, seconds_by_scale = [], [], {}
    tables = ["cs_ticket", "cs_ticket_sla", "mail_message", "mail_activity"]
    with benchlib.environment(args, vacuum_tables=tables) as env:
        fixture = datagen.Fixture(env, teams=6, agents_per_team=8, partners=5000)
        policy = env.ref("cs_helpdesk.sla_policy_email_reply")
        if args.no_escalation:
            policy = policy.copy({"name": "Bench: email reply, no escalation", "escalation_ids": False})
        core_ms = None
        for count in scales:
            # each scale starts from the same database state
            with contextlib.closing(env.cr.savepoint()):
                gen_start = time.perf_counter()
                ticket_ids = generate(env, fixture, count, args.due_share, args.seed, policy)
                gen_seconds = time.perf_counter() - gen_start
                due = due_count(env)
                commits_before = len(env.bench_commits)
                seconds, calls, processed, complete = run_cron(
                    env, args.batch_size, max_calls=count // args.batch_size + 5, budget=args.time_budget
                )
                left = due_count(env)
                env.cr.execute(
                    "SELECT status, count(*) FROM cs_ticket_sla WHERE ticket_id = ANY(%s) GROUP BY status",
                    [ticket_ids],
                )
                statuses = dict(env.cr.fetchall())
                if core_ms is None:
                    core_ms = core_reference(env, ticket_ids, min(args.core_count, count))
                env.invalidate_all(flush=False)
            ms_line = seconds * 1000 / max(processed, 1)
            # an interrupted run is projected to all due lines at the pace measured so far
            projected = seconds if complete else ms_line * due / 1000
            seconds_by_scale[count] = projected
            rows += [
                (f"[{count:,}] generated in s", gen_seconds),
                (f"[{count:,}] due lines", due),
                (f"[{count:,}] cron calls", calls),
                (f"[{count:,}] lines processed", processed),
                (f"[{count:,}] lines still due", left),
                (f"[{count:,}] failed / running", f"{statuses.get('failed', 0)} / {statuses.get('running', 0)}"),
                (f"[{count:,}] commits requested", len(env.bench_commits) - commits_before),
                (f"[{count:,}] cron s measured", seconds),
                (f"[{count:,}] cron s, all due lines{'' if complete else ' (PROJECTED: budget hit)'}", projected),
                (f"[{count:,}] cron ms/line", ms_line),
                (f"[{count:,}] ratio cs ms/line / core ms/activity", ms_line / core_ms),
            ]
            if complete:
                verdicts.append((f"[{count:,}] nothing left due", left == 0))
        rows.append(("core: mail.activity create ms/record", core_ms))
        if 100000 in seconds_by_scale:
            within = seconds_by_scale[100000] < TARGET_100K_SECONDS
            verdicts.append((f"100k lines in < {TARGET_100K_SECONDS} s", within))
        if 10000 in seconds_by_scale and 100000 in seconds_by_scale:
            scaling = seconds_by_scale[100000] / seconds_by_scale[10000]
            rows.append(("time ratio 100k / 10k", scaling))
            verdicts.append((f"time ratio 100k / 10k <= {TARGET_SCALING}", scaling <= TARGET_SCALING))
        ok = benchlib.report(args, "SLA cron", rows, verdicts)
        if args.profile:
            with contextlib.closing(env.cr.savepoint()):
                generate(env, fixture, min(scales), args.due_share, args.seed, policy)
                benchlib.timed(
                    env,
                    lambda: run_cron(env, args.batch_size, max_calls=min(scales) // args.batch_size + 5, budget=None),
                    profile=True,
                    label=f"SLA cron x{min(scales)}",
                )
                env.invalidate_all(flush=False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
