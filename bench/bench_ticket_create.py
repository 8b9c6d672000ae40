#!/usr/bin/env python3
"""Ticket creation throughput against Odoo's own crm.lead creation.

Creates --count tickets in batches through ``cs.ticket.create`` as the web client
and the mail gateway do (customer partner, a team that auto-assigns, the seeded
SLA policies matching, chatter and followers), then --core-count ``crm.lead``
with partner, sales team and salesperson. Prints ms/record, SQL queries/record
and the ratio cs/crm (target <= 0.5). When the ratio misses the target (or with
--profile) a smaller run is profiled with cProfile.

    python3 bench/bench_ticket_create.py --db cs_bench [--count 10000] [--core-count 1000] [--batch 500]
"""

import itertools
import sys

import benchlib

TARGET_RATIO = 0.5


def setup(env, args):
    """Users, teams and customers shared by both paths (not timed)."""
    from odoo import Command

    company = env.company
    agents = (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"坐席 {index:02d}",
                    "login": f"bench_agent_{index:02d}",
                    "email": f"bench_agent_{index:02d}@example.com",
                    "groups_id": [
                        Command.set(
                            [
                                env.ref("cs_helpdesk.group_agent").id,
                                env.ref("sales_team.group_sale_salesman").id,
                            ]
                        )
                    ],
                }
                for index in range(args.agents)
            ]
        )
    )
    leader = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "组长 Bench",
                "login": "bench_leader",
                "email": "bench_leader@example.com",
                "groups_id": [Command.set([env.ref("cs_helpdesk.group_leader").id])],
            }
        )
    )
    team = env["cs.ticket.team"].create(
        {
            "name": "Bench 售后组",
            "assignment_method": args.assignment,
            "leader_id": leader.id,
            "member_ids": [Command.set(agents.ids)],
            "company_id": company.id,
        }
    )
    # two people follow the team for its new tickets (a supervisor, a quality inspector) besides the leader:
    # each new ticket notifies them ("Ticket Created", inbox), as a team's followers are in production
    followers = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"关注者 {index}",
                    "login": f"bench_team_follower_{index}",
                    "email": f"bench_team_follower_{index}@example.com",
                    "notification_type": "inbox",
                    "groups_id": [Command.set([env.ref("cs_helpdesk.group_leader").id])],
                }
                for index in range(args.team_followers)
            ]
        )
    )
    team.message_subscribe(
        partner_ids=followers.partner_id.ids, subtype_ids=env.ref("cs_helpdesk.mt_team_ticket_new").ids
    )
    crm_team = env["crm.team"].create(
        {
            "name": "Bench 销售组",
            "user_id": leader.id,
            "crm_team_member_ids": [Command.create({"user_id": user.id}) for user in agents],
            "company_id": company.id,
        }
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"客户{index:05d}",
                "email": f"bench.customer{index:05d}@example.com",
                "phone": f"+86 138 {index // 10000:04d} {index % 10000:04d}",
            }
            for index in range(min(args.count, args.partners))
        ]
    )
    return agents, team, crm_team, partners


def ticket_values(env, team, partners, count, offset=0):
    ref = env.ref
    channels = [ref(f"cs_helpdesk.channel_{c}").id for c in ("email", "chat", "web", "phone", "email", "social")]
    categories = [
        ref("cs_helpdesk.category_return_exchange").id,
        ref("cs_helpdesk.category_product").id,
        ref("cs_helpdesk.category_repair").id,
        False,
    ]
    types = [ref(f"cs_helpdesk.type_{t}").id for t in ("aftersales", "consultation", "parcel", "complaint")]
    cycle = zip(itertools.cycle(channels), itertools.cycle(categories), itertools.cycle(types), itertools.cycle("1120"))
    values = []
    for index, (channel, category, type_id, priority) in zip(range(count), cycle):  # noqa: B905
        partner = partners[(offset + index) % len(partners)]
        values.append(
            {
                "name": f"申请7天无理由退货 #{offset + index}",
                "description": "<p>订单号 2024%06d，收到的商品有划痕，想退货。</p>" % (offset + index),
                "partner_id": partner.id,
                "team_id": team.id,
                "channel_id": channel,
                "category_id": category,
                "type_id": type_id,
                "priority": priority,
            }
        )
    return values


def lead_values(crm_team, agents, partners, count, offset=0):
    values = []
    for index in range(count):
        partner = partners[(offset + index) % len(partners)]
        values.append(
            {
                "name": f"咨询：这款手机支持5G吗 #{offset + index}",
                "description": "<p>订单号 2024%06d，想了解批量采购价格。</p>" % (offset + index),
                "partner_id": partner.id,
                "team_id": crm_team.id,
                "user_id": agents[(offset + index) % len(agents)].id,
                "type": "opportunity",
            }
        )
    return values


def create_batches(model, values, batch):
    for start in range(0, len(values), batch):
        model.create(values[start : start + batch])


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=10000, help="tickets to create (default 10,000)")
    p.add_argument(
        "--core-count",
        type=int,
        default=1000,
        help="crm.lead records for the core reference (default 1,000; ms/record is compared)",
    )
    p.add_argument("--batch", type=int, default=500, help="records per create() call (default 500)")
    p.add_argument("--agents", type=int, default=10)
    p.add_argument("--team-followers", type=int, default=2, help="users following the team for new tickets (default 2)")
    p.add_argument("--partners", type=int, default=2000, help="distinct customers (default 2,000)")
    p.add_argument("--assignment", default="balanced", choices=["round_robin", "balanced", "skill", "manual"])
    p.add_argument("--profile-count", type=int, default=500, help="tickets created under cProfile")
    p.add_argument("--no-profile", action="store_true", help="never profile, even when the ratio misses the target")
    p.add_argument(
        "--no-assign-notify",
        action="store_true",
        help="diagnostic: both paths without the per-record 'you have been assigned' notification "
        "(context mail_auto_subscribe_no_notify)",
    )
    args = p.parse_args()

    with benchlib.environment(args) as env:
        if args.no_assign_notify:
            env = env(context=dict(env.context, mail_auto_subscribe_no_notify=True))
        agents, team, crm_team, partners = setup(env, args)
        Ticket = env["cs.ticket"]
        Lead = env["crm.lead"]
        # warm-up: caches, prepared plans, first sequence numbers
        create_batches(Ticket, ticket_values(env, team, partners, 50, offset=10**6), 50)
        create_batches(Lead, lead_values(crm_team, agents, partners, 50, offset=10**6), 50)
        env.flush_all()

        t_values = ticket_values(env, team, partners, args.count)
        core_count = min(args.core_count, args.count)
        l_values = lead_values(crm_team, agents, partners, core_count)

        queries = benchlib.count_queries(env)
        t_sec, _res = benchlib.timed(env, lambda: create_batches(Ticket, t_values, args.batch))
        t_queries = benchlib.count_queries(env) - queries

        queries = benchlib.count_queries(env)
        l_sec, _res = benchlib.timed(env, lambda: create_batches(Lead, l_values, args.batch))
        l_queries = benchlib.count_queries(env) - queries

        created = Ticket.search([("team_id", "=", team.id)])
        notified = env["mail.notification"].search_count(
            [
                ("mail_message_id.model", "=", "cs.ticket"),
                ("mail_message_id.res_id", "in", created.ids),
                ("mail_message_id.subtype_id", "=", env.ref("cs_helpdesk.mt_ticket_new").id),
            ]
        )
        sla_lines = env["cs.ticket.sla"].search_count([("ticket_id", "in", created.ids)])
        assigned = Ticket.search_count([("team_id", "=", team.id), ("user_id", "!=", False)])

        t_ms, l_ms = t_sec * 1000 / args.count, l_sec * 1000 / core_count
        ratio = t_ms / l_ms
        ok = benchlib.report(
            args,
            "ticket create",
            [
                ("cs.ticket records", args.count),
                ("crm.lead records", core_count),
                ("batch size", args.batch),
                ("cs.ticket ms/record", t_ms),
                ("crm.lead ms/record (core)", l_ms),
                ("ratio cs/core", ratio),
                ("cs.ticket SQL queries/record", t_queries / args.count),
                ("crm.lead SQL queries/record", l_queries / core_count),
                ("cs.ticket total s", t_sec),
                ("crm.lead total s", l_sec),
                ("tickets assigned", assigned),
                ("SLA lines created", sla_lines),
                ("'Ticket Created' notifications", notified),
            ],
            [(f"ratio cs/core <= {TARGET_RATIO}", ratio <= TARGET_RATIO)],
        )
        if args.profile or (not ok and not args.no_profile):
            count = min(args.profile_count, args.count)
            values = ticket_values(env, team, partners, count, offset=2 * 10**6)
            seconds, _res = benchlib.timed(
                env,
                lambda: create_batches(Ticket, values, min(args.batch, count)),
                profile=True,
                label=f"cs.ticket create x{count}",
            )
            print(f"profiled run: {seconds * 1000 / count:.2f} ms/ticket (cProfile overhead included)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
