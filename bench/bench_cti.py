#!/usr/bin/env python3
"""Telephony events through the HTTP endpoint against Odoo's own crm.lead creation.

Posts --calls calls (ring, answer, hang-up: 3 events each, 10,000 events by default with one keypress
survey) to /cs_helpdesk/inbound/<code>/calls through Odoo's WSGI application, signed and in batches of
--batch events, as the switch sends them (bench/cti_simulator.py builds the day). Then replays every
event: each must come back "duplicate" and no call may be recorded twice. The core reference is
``crm.lead.create`` of --core-count opportunities, measured in the same run. Target: time per call
<= 0.5 x time per lead.

The HTTP requests run in this process, on the benchmark's transaction (the registry's test mode,
as HttpCase does), so everything is rolled back at the end.

    python3 bench/bench_cti.py --db cs_bench [--calls 3333] [--batch 100] [--core-count 1000]
"""

import random
import sys
from datetime import datetime, timedelta

import benchlib
import cti_simulator

TARGET_RATIO = 0.5
SECRET = "bench-secret"


def setup(env, args):
    from odoo import Command

    agents = (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"坐席 {index:02d}",
                    "login": f"bench_cti_agent_{index:02d}",
                    "cs_agent_number": f"9{index:03d}",
                    "groups_id": [Command.set([env.ref("cs_helpdesk.group_agent").id])],
                }
                for index in range(args.agents)
            ]
        )
    )
    team = env["cs.ticket.team"].create(
        {"name": "Bench 热线", "assignment_method": "manual", "member_ids": [Command.set(agents.ids)]}
    )
    integration = env["cs.inbound.integration"].create(
        {
            "name": "Bench 交换机",
            "code": "bench-switch",
            "secret": SECRET,
            "team_id": team.id,
            "route_ids": [Command.create({"code": "aftersales", "team_id": team.id})],
        }
    )
    partners = env["res.partner"].create(
        [
            {"name": f"来电客户{index:05d}", "phone": f"+86 139 {index // 10000:04d} {index % 10000:04d}"}
            for index in range(args.partners)
        ]
    )
    crm_team = env["crm.team"].create({"name": "Bench 销售组", "user_id": agents[0].id})
    return agents, integration, partners, crm_team


def http_client(env, args):
    """A WSGI client of Odoo's application on the benchmark's cursor, with a session on ``args.db``."""
    from odoo import http

    client = benchlib.wsgi_client(env, args)
    session = http.root.session_store.new()
    session.db = args.db
    http.root.session_store.save(session)
    client.cs_headers = {"Cookie": f"session_id={session.sid}"}
    return client


def post_all(client, code, events, batch):
    """POST the events in batches; returns ({status: count}, http errors)."""
    counts, errors = {}, []
    for chunk in cti_simulator.batches(events, batch):
        body = cti_simulator.body_of(chunk)
        response = client.post(
            f"/cs_helpdesk/inbound/{code}/calls",
            data=body,
            headers={**client.cs_headers, **cti_simulator.sign(SECRET, body)},
        )
        data = response.get_json()
        if response.status_code != 200:
            errors.append((response.status_code, data))
            continue
        for result in data["results"]:
            counts[result["status"]] = counts.get(result["status"], 0) + 1
    return counts, errors


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--calls", type=int, default=3333, help="calls (3 events each; default 3,333)")
    p.add_argument("--batch", type=int, default=100, help="events per HTTP request (default 100)")
    p.add_argument("--core-count", type=int, default=1000, help="crm.lead records of the core reference")
    p.add_argument("--core-batch", type=int, default=500, help="crm.lead records per create() call")
    p.add_argument("--agents", type=int, default=10)
    p.add_argument("--partners", type=int, default=2000, help="customers with a phone number (default 2,000)")
    args = p.parse_args()

    with benchlib.environment(args, vacuum_tables=("cs_call", "cs_inbound_event")) as env:
        agents, integration, partners, crm_team = setup(env, args)
        rng = random.Random(13)
        numbers = [f"+86139{i // 10000:04d}{i % 10000:04d}" for i in range(args.partners)] + ["+8618600000000"]
        day = datetime(2026, 11, 2) - timedelta(hours=8)
        events = cti_simulator.call_day(
            rng, args.calls, day, agents.mapped("cs_agent_number"), ["aftersales"], numbers,
            abandoned=0, missed=0, voicemail=0, survey=0, prefix="bench",
        )  # fmt: skip
        events.append(
            {"id": "bench-survey", "type": "survey", "call_id": events[-1]["call_id"], "time": events[-1]["time"],
             "score": 5}
        )  # fmt: skip
        env.flush_all()
        client = http_client(env, args)
        try:
            # warm-up: routes, prepared plans, the registry of the request path
            warm = cti_simulator.call_day(rng, 20, day, agents.mapped("cs_agent_number"), ["aftersales"], numbers,
                                          prefix="warm")  # fmt: skip
            post_all(client, integration.code, warm, args.batch)

            queries = benchlib.count_queries(env)
            c_sec, (counts, errors) = benchlib.timed(
                env, lambda: post_all(client, integration.code, events, args.batch)
            )
            c_queries = benchlib.count_queries(env) - queries
            env.invalidate_all()
            Call = env["cs.call"]
            recorded = Call.search_count(
                [("integration_id", "=", integration.id), ("external_call_id", "=like", "bench-%")]
            )
            snapshot = Call.search_read([("integration_id", "=", integration.id)], ["write_date"], order="id")

            r_sec, (replayed, r_errors) = benchlib.timed(
                env, lambda: post_all(client, integration.code, events, args.batch)
            )
            env.invalidate_all()
            after_replay = Call.search_count(
                [("integration_id", "=", integration.id), ("external_call_id", "=like", "bench-%")]
            )
            unchanged = (
                Call.search_read([("integration_id", "=", integration.id)], ["write_date"], order="id") == snapshot
            )
            answered = Call.search_count(
                [
                    ("integration_id", "=", integration.id),
                    ("external_call_id", "=like", "bench-%"),
                    ("result", "=", "answered"),
                ]
            )
        finally:
            env.registry.leave_test_mode()

        Lead = env["crm.lead"]
        lead_values = [
            {
                "name": f"咨询：这款手机支持5G吗 #{index}",
                "partner_id": partners[index % len(partners)].id,
                "team_id": crm_team.id,
                "user_id": agents[index % len(agents)].id,
                "type": "opportunity",
            }
            for index in range(args.core_count + 50)
        ]
        Lead.create(lead_values[:50])  # warm-up
        queries = benchlib.count_queries(env)
        l_sec, _res = benchlib.timed(
            env,
            lambda: [
                Lead.create(lead_values[50 + start : 50 + start + args.core_batch])
                for start in range(0, args.core_count, args.core_batch)
            ],
        )
        l_queries = benchlib.count_queries(env) - queries

        call_ms, lead_ms = c_sec * 1000 / args.calls, l_sec * 1000 / args.core_count
        ratio = call_ms / lead_ms
        ok = benchlib.report(
            args,
            "telephony events",
            [
                ("calls", args.calls),
                ("events posted", len(events)),
                ("events per request", args.batch),
                ("events processed", counts.get("processed", 0)),
                ("HTTP errors", len(errors) + len(r_errors)),
                ("calls recorded", recorded),
                ("answered calls", answered),
                ("ms/call (3 events, HTTP)", call_ms),
                ("ms/event", c_sec * 1000 / len(events)),
                ("crm.lead ms/record (core)", lead_ms),
                ("ratio call/core", ratio),
                ("SQL queries/call", c_queries / args.calls),
                ("crm.lead SQL queries/record", l_queries / args.core_count),
                ("replay: events answered duplicate", replayed.get("duplicate", 0)),
                ("replay ms/event", r_sec * 1000 / len(events)),
                ("calls after replay", after_replay),
            ],
            [
                (f"ratio call/core <= {TARGET_RATIO}", ratio <= TARGET_RATIO),
                ("every event processed once", counts.get("processed", 0) == len(events) and not errors),
                ("no call recorded twice after the replay", recorded == after_replay == args.calls and unchanged),
                ("every replayed event answered duplicate", replayed.get("duplicate", 0) == len(events)),
            ],
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
