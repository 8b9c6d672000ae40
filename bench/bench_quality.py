#!/usr/bin/env python3
"""cs_quality: automatic checks over agent replies, and monthly KPI snapshots.

Automatic checks (target: >= 2,000 replies/s): bulk inserts closed tickets with one
customer message and --replies-per-ticket agent replies each (realistic Chinese replies,
some with negative phrases or without polite words, as HTML), then runs the checks cron
until it has nothing left (``cs.ticket._cron_qa_checks``: segmentation with rjieba, phrase
matching, SLA and unanswered checks, results stored). Core reference: the same messages
read in the same batches through the ORM and turned into text with Odoo's
``html2plaintext`` -- what any reply-level feature pays at least.

Replies as they are posted (no target in the issue; the post must not slow down): agents post
--posts replies through ``message_post`` on open tickets, in alternating rounds with the reply queue
(normal) and without it (cs_quality's post hook patched out), each post as in its own request (the cron is
triggered again); then the reply-check cron works the queue off (replies/s).

KPI snapshots (target: 200 agents, 1,000,000 tickets in one month < 30 s, linear): bulk
inserts tickets of 200 agents in one month at each of --kpi-scales, and --calls-per-ticket
(0.2: 200,000 calls at 1,000,000 tickets) ended calls of the same agents and queues (answered,
outbound, missed, abandoned; talk, hold and answer times) and --chats-per-ticket (0.1) live chats
of the teams' live chat channels (three messages each), then times
``cs.kpi.period._compute_snapshots`` for that month. Core reference: one
``cs.ticket._read_group`` of the month by agent and team with four aggregates.

    python3 bench/bench_quality.py --db quality_bench [--replies 100000] [--kpi-scales 100000,200000]

The database needs cs_quality (and crm); everything is rolled back.
"""

import sys
import time
from datetime import date, datetime
from unittest.mock import patch

import benchlib
import datagen
from odoo.tools import SQL, html2plaintext

REPLIES_TARGET = 2000.0
KPI_TARGET_SECONDS = 30.0
KPI_TARGET_TICKETS = 1_000_000
REPLIES = [
    "<p>您好，您的包裹已经发出，预计明天送达，请耐心等待。</p>",
    "<p>谢谢您的耐心等待，退款已经原路退回，再见！</p>",
    "<p>非常抱歉给您带来不便，我们马上为您补发。</p>",
    "<p>这个我不能帮您办理，但是可以转给售后同事。</p>",
    "<p>收到，已为您登记维修，工程师会在两个工作日内联系您。</p>",
    "<p>请问您的订单号是多少？我帮您查询一下物流信息。</p>",
    "<p>我们会尽快处理，但是否能退款需要财务审核，请您稍等。</p>",
    "<p>我不会处理发票问题，您问一下财务吧。</p>",
]
QUESTION = "<p>我的订单三天了还没有物流信息，麻烦帮忙查一下，谢谢。</p>"


def insert_conversations(env, fixture, tickets, replies_per_ticket):
    """One customer message and ``replies_per_ticket`` agent replies per ticket, in two INSERTs."""
    comment = env.ref("mail.mt_comment").id
    env.cr.execute(
        SQL(
            """
            INSERT INTO mail_message (model, res_id, body, author_id, message_type, subtype_id, date,
                                      create_uid, create_date, write_uid, write_date)
            SELECT 'cs.ticket', t.id, %(question)s, t.partner_id, 'email', %(comment)s, t.create_date,
                   %(uid)s, t.create_date, %(uid)s, t.create_date
              FROM cs_ticket t WHERE t.id = ANY(%(ids)s)
            """,
            question=QUESTION,
            comment=comment,
            uid=env.uid,
            ids=tickets,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO mail_message (model, res_id, body, author_id, message_type, subtype_id, date,
                                      create_uid, create_date, write_uid, write_date)
            SELECT 'cs.ticket', t.id,
                   (%(replies)s::text[])[1 + mod(t.id * 31 + n, %(count)s)]
                       || '<p>订单号：' || (2026000000 + t.id * 10 + n) || '</p>',
                   u.partner_id,
                   'comment', %(comment)s, t.create_date + make_interval(mins => n), %(uid)s, t.create_date,
                   %(uid)s, t.create_date
              FROM cs_ticket t
              JOIN res_users u ON u.id = t.user_id
             CROSS JOIN generate_series(1, %(per_ticket)s) AS n
             WHERE t.id = ANY(%(ids)s)
            """,
            replies=REPLIES,
            count=len(REPLIES),
            comment=comment,
            uid=env.uid,
            ids=tickets,
            per_ticket=replies_per_ticket,
        )
    )
    env.cr.execute("ANALYZE mail_message")


def bench_checks(args, env, fixture):
    ticket_count = args.replies // args.replies_per_ticket
    with datagen.indexes_rebuilt(env, "cs_ticket"):
        tickets = datagen.insert_tickets(
            env,
            fixture,
            ticket_count,
            {
                "create_date": SQL("(now() AT TIME ZONE 'UTC') - interval '2 days'"),
                "write_date": SQL("(now() AT TIME ZONE 'UTC')"),
                "stage_id": SQL("%s", fixture.stage_closed),
                "is_closed": SQL("TRUE"),
                "is_resolved": SQL("TRUE"),
                "closed_date": SQL("(now() AT TIME ZONE 'UTC')"),
                "sla_status": SQL("'none'"),
            },
            prefix="QABENCH",
        )
    insert_conversations(env, fixture, tickets, args.replies_per_ticket)
    env.cr.execute("ANALYZE cs_ticket")
    Ticket = env["cs.ticket"]
    Message = env["mail.message"]

    def run_checks():
        done = 0
        while True:
            processed = Ticket._cron_qa_checks()
            done += processed
            if not processed:
                return done

    def core_path():
        for start in range(0, len(tickets), 500):
            batch = tickets[start : start + 500]
            for message in Message.search_fetch(
                [("model", "=", "cs.ticket"), ("res_id", "in", batch), ("message_type", "in", ("email", "comment"))],
                ["res_id", "body", "author_id", "subtype_id", "date"],
            ):
                html2plaintext(message.body)
            env.invalidate_all()

    from odoo.addons.cs_quality.tools.segmenter import tokenize  # importable once the addons path is set

    tokenize("加载词典")  # the segmenter loads its dictionary once per process, before the first cron batch
    core_seconds, _none = benchlib.timed(env, core_path)
    seconds, checked = benchlib.timed(env, run_checks, profile=args.profile, label="automatic checks")
    replies = ticket_count * args.replies_per_ticket
    failed = env["cs.qa.check"].search_count([("result", "=", "fail"), ("ticket_id", "in", tickets)])
    rate = replies / seconds
    rows = [
        ("closed tickets checked", checked),
        ("agent replies", replies),
        ("checks stored / failed", f"{env['cs.qa.check'].search_count([('ticket_id', 'in', tickets)])} / {failed}"),
        ("automatic checks: s", seconds),
        ("automatic checks: replies/s", rate),
        ("core: read + html2plaintext of the same messages: s", core_seconds),
        ("ratio checks / core", seconds / core_seconds),
        ("commits requested", len(env.bench_commits)),
    ]
    verdicts = [
        (f">= {REPLIES_TARGET:,.0f} replies/s", rate >= REPLIES_TARGET),
        ("every closed ticket checked", checked == ticket_count),
    ]
    return benchlib.report(args, "automatic QA checks", rows, verdicts)


def bench_posts(args, env, fixture):
    from odoo.addons.cs_quality.models.cs_qa_reply_queue import TRIGGERED
    from odoo.addons.cs_quality.models.cs_ticket import CsTicket

    agents = fixture.agents[:20]
    tickets = env["cs.ticket"].create(
        [
            {"name": f"回复基准 {index}", "partner_id": fixture.partners[index].id, "user_id": agents[index % 20].id}
            for index in range(100)
        ]
    )
    Queue = env["cs.qa.reply.queue"]
    Queue.search([]).unlink()

    def post_round(count, offset):
        start_queries = env.cr.sql_log_count
        start = time.perf_counter()
        for index in range(count):
            ticket = tickets[(offset + index) % len(tickets)]
            env.cr.postcommit.data.pop(TRIGGERED, None)  # each post is a request of its own
            ticket.with_user(ticket.user_id).message_post(
                body=REPLIES[index % len(REPLIES)], message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            env.flush_all()
        return time.perf_counter() - start, env.cr.sql_log_count - start_queries

    post_round(50, 0)  # warm the caches and give every ticket its first response
    with_queue, without_queue = [0.0, 0], [0.0, 0]
    rounds = 4
    per_round = args.posts // (2 * rounds)
    for round_ in range(rounds):
        seconds, queries = post_round(per_round, round_)
        with_queue[0] += seconds
        with_queue[1] += queries
        with patch.object(CsTicket, "_qa_is_agent_reply", lambda self, message: False):
            seconds, queries = post_round(per_round, round_)
        without_queue[0] += seconds
        without_queue[1] += queries
    posts = per_round * rounds
    queued = Queue.search_count([])

    def run_queue():
        done = 0
        while processed := Queue._cron_process():
            done += processed
        return done

    seconds, processed = benchlib.timed(env, run_queue, profile=args.profile, label="reply checks")
    ms_with, ms_without = with_queue[0] / posts * 1000, without_queue[0] / posts * 1000
    rows = [
        ("replies posted with / without the queue", f"{posts} / {posts}"),
        ("post ms with the reply queue", ms_with),
        ("post ms without (core message_post on the ticket)", ms_without),
        ("added ms per post", ms_with - ms_without),
        ("ratio post with / without", ms_with / ms_without),
        ("queries per post with / without", f"{with_queue[1] / posts:.1f} / {without_queue[1] / posts:.1f}"),
        ("replies queued / checked by the cron", f"{queued} / {processed}"),
        ("reply-check cron: replies/s", processed / seconds),
    ]
    verdicts = [
        ("posting is at most 10 % slower with the reply queue", ms_with <= ms_without * 1.1),
        ("every queued reply checked", processed == queued == posts + 50),
    ]
    return benchlib.report(args, "automatic checks of replies as they are posted", rows, verdicts)


def insert_calls(env, fixture, count, start_utc, offset):
    """``count`` ended calls of the fixture's agents and queues over the 30 days from ``start_utc``.

    Mix: 80 % answered inbound (answer after 2-60 s, talk 30-600 s, hold 0-120 s on a third), 8 % answered
    outbound, 7 % abandoned in the queue (no agent), 5 % missed by an agent. Stored computes written as the
    ORM computes them (talk = answer to hang-up minus hold).
    """
    integration = env["cs.inbound.integration"].search([("code", "=", "kpi-bench")]) or env[
        "cs.inbound.integration"
    ].create({"name": "KPI bench switch", "code": "kpi-bench", "kind": "telephony"})
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO cs_call (integration_id, company_id, external_call_id, direction, team_id, agent_id,
                                 ring_date, answer_date, hangup_date, answer_seconds, talk_seconds, hold_seconds,
                                 state, result, transfer_count, create_uid, create_date, write_uid, write_date)
            SELECT %(integration)s, %(company)s, 'kpi-' || g, d.direction, t.team_id,
                   CASE WHEN d.kind != 'abandoned' THEN t.agent_id END,
                   d.ring, CASE WHEN d.kind = 'answered' THEN d.ring + make_interval(secs => d.wait) END,
                   d.ring + make_interval(secs => d.wait + d.talk + d.hold),
                   CASE WHEN d.kind = 'answered' THEN d.wait ELSE 0 END,
                   CASE WHEN d.kind = 'answered' THEN d.talk ELSE 0 END,
                   CASE WHEN d.kind = 'answered' THEN d.hold ELSE 0 END,
                   'done', d.kind, 0, %(uid)s, d.ring, %(uid)s, d.ring
              FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
                      FROM generate_series(%(first)s, %(last)s) AS g) r
             CROSS JOIN LATERAL (
                   SELECT floor(power(r.r1, 1.6) * %(teams)s)::int AS slot) s
             CROSS JOIN LATERAL (
                   SELECT (%(team_ids)s::int[])[1 + s.slot] AS team_id,
                          (%(agent_ids)s::int[])[1 + s.slot * %(per_team)s + floor(r.r2 * %(per_team)s)::int]
                              AS agent_id
             ) t
             CROSS JOIN LATERAL (
                   SELECT %(start)s::timestamp + make_interval(secs => r.r3 * 30 * 86400) AS ring,
                          CASE WHEN r.r4 < 0.80 OR r.r4 >= 0.88 AND r.r4 < 0.96 THEN 'inbound' ELSE 'outbound' END
                              AS direction,
                          CASE WHEN r.r4 < 0.88 THEN 'answered' WHEN r.r4 < 0.95 THEN 'abandoned'
                               ELSE 'missed' END AS kind,
                          2 + floor(r.r5 * 58)::int AS wait,
                          30 + floor(r.r5 * r.r2 * 570)::int AS talk,
                          CASE WHEN mod(floor(r.r3 * 1000)::int, 3) = 0 THEN floor(r.r1 * 120)::int ELSE 0 END AS hold
             ) d
            """,
            integration=integration.id,
            company=fixture.company.id,
            teams=len(fixture.teams),
            team_ids=fixture.teams.ids,
            agent_ids=fixture.agents.ids,
            per_team=fixture.agents_per_team,
            start=start_utc,
            first=offset + 1,
            last=offset + count,
            uid=env.uid,
        )
    )
    env.cr.execute("ANALYZE cs_call")


def insert_chats(env, fixture, count, start_utc):
    """``count`` live chats answered by the fixture's agents over the 30 days from ``start_utc``: a live chat
    channel per team, sessions with the visitor's question, the agent's reply and the visitor's thanks."""
    Livechat = env["im_livechat.channel"]
    channels = Livechat.search([("cs_team_id", "in", fixture.teams.ids)])
    if not channels:
        channels = Livechat.create(
            [{"name": f"KPI bench {team.name}", "cs_team_id": team.id} for team in fixture.teams]
        )
    by_team = {channel.cs_team_id.id: channel.id for channel in channels}
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO discuss_channel (name, channel_type, livechat_channel_id, livechat_operator_id,
                                         livechat_active, create_uid, create_date, write_uid, write_date)
            SELECT '访客 #' || r.g, 'livechat', (%(livechats)s::int[])[1 + s.slot],
                   (%(partners)s::int[])[1 + s.slot * %(per_team)s + floor(r.r2 * %(per_team)s)::int],
                   FALSE, %(uid)s, d.start, %(uid)s, d.start
              FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3 FROM generate_series(1, %(count)s) g) r
             CROSS JOIN LATERAL (SELECT floor(power(r.r1, 1.6) * %(teams)s)::int AS slot) s
             CROSS JOIN LATERAL (SELECT %(start)s::timestamp + make_interval(secs => r.r3 * 30 * 86400) AS start) d
            RETURNING id
            """,
            livechats=[by_team[team.id] for team in fixture.teams],
            partners=fixture.agents.mapped("partner_id").ids,
            per_team=fixture.agents_per_team,
            teams=len(fixture.teams),
            uid=env.uid,
            count=count,
            start=start_utc,
        )
    )
    chat_ids = [row[0] for row in env.cr.fetchall()]
    with datagen.indexes_rebuilt(env, "mail_message"):
        env.cr.execute(
            SQL(
                """
                INSERT INTO mail_message (model, res_id, body, author_id, message_type, date,
                                          create_uid, create_date, write_uid, write_date)
                SELECT 'discuss.channel', c.id, (ARRAY['<p>在吗？订单还没发货</p>', '<p>您好，马上为您查询</p>',
                                                      '<p>好的，谢谢</p>'])[1 + n],
                       CASE WHEN n = 1 THEN c.livechat_operator_id END, 'comment',
                       c.create_date + make_interval(secs => 40 * n), %(uid)s, c.create_date, %(uid)s, c.create_date
                  FROM discuss_channel c CROSS JOIN generate_series(0, 2) n
                 WHERE c.id = ANY(%(ids)s)
                """,
                uid=env.uid,
                ids=chat_ids,
            )
        )
    env.cr.execute("ANALYZE discuss_channel")
    env.cr.execute("ANALYZE mail_message")


def bench_kpi(args, env, fixture):
    month_start = date(2026, 3, 1)
    start_utc, end_utc = datetime(2026, 2, 28, 16), datetime(2026, 3, 31, 16)
    Ticket = env["cs.ticket"]
    period = env["cs.kpi.period"].with_context(tz="Asia/Shanghai")
    env.user.tz = "Asia/Shanghai"
    rows, verdicts, per_ticket = [], [], []
    inserted = calls_inserted = chats_inserted = 0
    # the hotline answer target (30 s) of cs_helpdesk's seeded SLA policy measures the service level
    env.ref("cs_helpdesk.sla_policy_hotline_answer").active = True
    for scale in sorted(args.kpi_scales):
        with datagen.indexes_rebuilt(env, "cs_ticket"):
            datagen.insert_tickets(
                env,
                fixture,
                scale - inserted,
                {
                    "create_date": SQL("%s::timestamp + make_interval(secs => r.r8 * 30 * 86400)", start_utc),
                    "write_date": SQL("%s::timestamp", end_utc),
                    "first_response_date": SQL("CASE WHEN r.r6 < 0.95 THEN %s::timestamp END", end_utc),
                    "first_response_hours": SQL("CASE WHEN r.r6 < 0.95 THEN power(r.r7, 2) * 24 ELSE 0 END"),
                    "resolved_date": SQL("CASE WHEN r.r6 < 0.9 THEN %s::timestamp END", end_utc),
                    "resolution_hours": SQL("CASE WHEN r.r6 < 0.9 THEN r.r7 * 72 ELSE 0 END"),
                    "is_resolved": SQL("r.r6 < 0.9"),
                    "is_closed": SQL("r.r6 < 0.8"),
                    "stage_id": SQL(
                        "CASE WHEN r.r6 < 0.8 THEN %s ELSE %s END", fixture.stage_closed, fixture.stage_resolved
                    ),
                    "reopen_count": SQL("CASE WHEN r.r5 < 0.07 THEN 1 ELSE 0 END"),
                    "sla_status": SQL("CASE WHEN r.r4 < 0.8 THEN 'met' WHEN r.r4 < 0.9 THEN 'failed' ELSE 'none' END"),
                    "rating_last_value": SQL("CASE WHEN r.r3 < 0.3 THEN 1 + floor(r.r2 * 5) ELSE 0 END"),
                },
                prefix=f"KPIBENCH{scale}-",
                returning=False,
            )
        inserted = scale
        calls = int(scale * args.calls_per_ticket)
        with datagen.indexes_rebuilt(env, "cs_call"):
            insert_calls(env, fixture, calls - calls_inserted, start_utc, calls_inserted)
        calls_inserted = calls
        chats = int(scale * args.chats_per_ticket)
        insert_chats(env, fixture, chats - chats_inserted, start_utc)
        chats_inserted = chats
        env.cr.execute("ANALYZE cs_ticket")
        target = period._ensure(env.company, month_start, period_types=["month"])
        seconds, _count = benchlib.timed(env, target._compute_snapshots, profile=args.profile, label="KPI snapshots")
        domain = [("create_date", ">=", start_utc), ("create_date", "<", end_utc), ("user_id", "!=", False)]
        aggregates = ["__count", "first_response_hours:avg", "resolution_hours:avg", "rating_last_value:avg"]
        core_seconds, _best, _runs = benchlib.repeat(
            env, lambda d=domain, a=aggregates: Ticket._read_group(d, ["user_id", "team_id"], a), 3
        )
        agents = env["cs.kpi.snapshot"].search_count([("period_id", "=", target.id), ("scope", "=", "agent")])
        team_rows = env["cs.kpi.snapshot"].search([("period_id", "=", target.id), ("scope", "=", "team")])
        total = sum(team_rows.mapped("ticket_count"))
        calls_counted = sum(team_rows.mapped("call_count"))
        chats_counted = sum(team_rows.mapped("chat_count"))
        service = min(team_rows.mapped("service_level")), max(team_rows.mapped("service_level"))
        if args.explain:  # EXPLAIN ANALYZE inserts the rows again: counted before
            _code, _params, plan = benchlib.explain(env, target._compute_snapshots, "INSERT INTO cs_kpi_snapshot")
            print(f"\n----- EXPLAIN of the snapshots at {scale:,} tickets -----\n{plan}")
        per_ticket.append(seconds / scale)
        rows += [
            (f"{scale:,} tickets + {calls:,} calls + {chats:,} chats: snapshots s", seconds),
            (f"{scale:,} tickets: agent rows / tickets counted", f"{agents} / {total:,}"),
            (
                f"{scale:,} tickets: calls counted / service level of the teams",
                f"{calls_counted:,} / {service[0]:.2f}-{service[1]:.2f}",
            ),
            (f"{scale:,} tickets: core _read_group by agent and team s", core_seconds),
            (f"{scale:,} tickets: ratio snapshots / core", seconds / core_seconds),
        ]
        projected = seconds / scale * KPI_TARGET_TICKETS
        verdicts.append(
            (f"{scale:,} tickets: every call and chat counted", (calls_counted, chats_counted) == (calls, chats))
        )
        verdicts.append(
            (
                f"{scale:,} tickets: projected to 1,000,000 < {KPI_TARGET_SECONDS:.0f} s ({projected:.1f} s)",
                projected < KPI_TARGET_SECONDS,
            )
        )
    if len(per_ticket) > 1:
        growth = per_ticket[-1] / per_ticket[0]
        rows.append(("time per ticket, largest / smallest scale", growth))
        verdicts.append(("no worse than linear (time per ticket grows < 1.5x)", growth < 1.5))
    return benchlib.report(args, "KPI snapshots", rows, verdicts)


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--replies", type=int, default=100_000)
    p.add_argument("--replies-per-ticket", type=int, default=3)
    p.add_argument("--kpi-scales", type=lambda v: [int(x) for x in v.split(",")], default=[100_000, 200_000])
    p.add_argument("--calls-per-ticket", type=float, default=0.2, help="calls inserted per ticket for the KPIs")
    p.add_argument("--chats-per-ticket", type=float, default=0.1, help="live chats inserted per ticket for the KPIs")
    p.add_argument("--posts", type=int, default=2000, help="replies posted through message_post, half with the queue")
    p.add_argument("--skip-checks", action="store_true")
    p.add_argument("--skip-posts", action="store_true")
    p.add_argument("--skip-kpi", action="store_true")
    p.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the KPI query at each scale")
    args = p.parse_args()
    ok = True
    with benchlib.environment(args) as env:
        if "cs_quality" not in env.registry._init_modules:
            sys.exit("the database lacks cs_quality")
        fixture = datagen.Fixture(env, teams=20, agents_per_team=10, partners=2000)
        if not args.skip_checks:
            ok = bench_checks(args, env, fixture) and ok
        if not args.skip_posts:
            ok = bench_posts(args, env, fixture) and ok
        if not args.skip_kpi:
            ok = bench_kpi(args, env, fixture) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
