#!/usr/bin/env python3
"""What keeping the report rollups current costs the ticket create and SLA cron paths (target: at most 10 %).

The rollups are maintained by statement-level triggers on ``cs_ticket`` (marking dirty days) and a
refresh of those days (at the next report read or by the cron). Both paths are measured in the same
run with the triggers enabled (and the refresh that follows included in the time) and with them
disabled (``ALTER TABLE … DISABLE TRIGGER``), alternating rounds so load changes hit both sides:

* ticket create: ``--count`` tickets through ``cs.ticket.create`` in batches of ``--batch``, the
  fixture of ``bench_ticket_create.py`` (auto-assignment, SLA policies, followers);
* SLA cron: ``--sla-lines`` due first-response lines processed by ``cs.ticket.sla._cron_process_sla``
  (breaches, escalation notes and activities, ticket SLA status writes), the fixture of ``bench_sla_cron.py``.

    python3 bench/bench_rollup_overhead.py --db cs_bench [--count 2000] [--sla-lines 4000] [--rounds 2]
"""

import argparse
import sys
import time

import bench_sla_cron
import bench_ticket_create
import benchlib
import datagen
from odoo.tools import SQL

TARGET_OVERHEAD = 0.10


def rollup_triggers(env):
    env.cr.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'cs_ticket'::regclass AND NOT tgisinternal AND tgname LIKE %s",
        ["%rollup%"],
    )
    return [name for (name,) in env.cr.fetchall()]


def set_triggers(env, names, enabled):
    env.flush_all()
    for name in names:
        action = SQL("ENABLE") if enabled else SQL("DISABLE")
        env.cr.execute(SQL("ALTER TABLE cs_ticket %s TRIGGER %s", action, SQL.identifier(name)))


def sync(env):
    env.flush_all()
    for report in env["cs.report.mixin"]._rollup_reports():
        report._rollup_sync()


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=2000, help="tickets created per side (default 2,000)")
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--sla-lines", type=int, default=4000, help="due SLA lines processed per side (default 4,000)")
    p.add_argument("--rounds", type=int, default=2, help="alternating rounds per side (default 2)")
    p.add_argument("--seed", type=float, default=0.42)
    args = p.parse_args()
    setup_args = argparse.Namespace(agents=10, partners=2000, count=args.count, assignment="balanced")

    with benchlib.environment(args, vacuum_tables=["cs_ticket", "cs_ticket_sla"]) as env:
        triggers = rollup_triggers(env)
        if not triggers:
            sys.exit("no rollup triggers on cs_ticket: is cs_helpdesk up to date in this database?")
        _agents, team, _crm_team, partners = bench_ticket_create.setup(env, setup_args)
        fixture = datagen.Fixture(env, teams=4, agents_per_team=8, partners=2000)
        policy = env.ref("cs_helpdesk.sla_policy_email_reply")
        Ticket = env["cs.ticket"].with_context(mail_create_nolog=True)
        per_round = max(args.count // args.rounds, 1)
        lines_per_round = max(args.sla_lines // args.rounds, 1)
        created = {True: 0.0, False: 0.0}
        cron = {True: 0.0, False: 0.0}
        offset = 0
        for round_index in range(args.rounds):
            for enabled in (False, True) if round_index % 2 == 0 else (True, False):
                set_triggers(env, triggers, enabled)
                values = bench_ticket_create.ticket_values(env, team, partners, per_round, offset)
                offset += per_round
                env.invalidate_all()
                start = time.perf_counter()
                bench_ticket_create.create_batches(Ticket, values, args.batch)
                if enabled:
                    sync(env)
                env.flush_all()
                created[enabled] += time.perf_counter() - start

                bench_sla_cron.generate(env, fixture, lines_per_round, 1.0, args.seed + round_index / 10, policy)
                start = time.perf_counter()
                bench_sla_cron.run_cron(env, 5000, 1000)
                if enabled:
                    sync(env)
                cron[enabled] += time.perf_counter() - start
        set_triggers(env, triggers, True)

        total = per_round * args.rounds
        lines = lines_per_round * args.rounds
        create_on, create_off = created[True] * 1000 / total, created[False] * 1000 / total
        cron_on, cron_off = cron[True] * 1000 / lines, cron[False] * 1000 / lines
        create_overhead = create_on / create_off - 1
        cron_overhead = cron_on / cron_off - 1
        rows = [
            ("tickets created per side", total),
            ("create ms/ticket, rollup triggers + refresh", create_on),
            ("create ms/ticket, no rollup", create_off),
            ("create overhead of the rollups", f"{create_overhead:+.1%}"),
            ("SLA lines processed per side", lines),
            ("SLA cron ms/line, rollup triggers + refresh", cron_on),
            ("SLA cron ms/line, no rollup", cron_off),
            ("SLA cron overhead of the rollups", f"{cron_overhead:+.1%}"),
        ]
        verdicts = [
            (f"create overhead <= {TARGET_OVERHEAD:.0%}", create_overhead <= TARGET_OVERHEAD),
            (f"SLA cron overhead <= {TARGET_OVERHEAD:.0%}", cron_overhead <= TARGET_OVERHEAD),
        ]
        ok = benchlib.report(args, "rollup overhead", rows, verdicts)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
