"""Bulk data for the benchmarks: a few users, teams and customers through the ORM,
then tickets (and SLA lines) with one ``INSERT … SELECT generate_series`` each.

The SQL rows carry what the ORM would store: stored computed fields (stage flags,
durations, SLA summary) are written consistently with the dates. Random values
come from Postgres ``random()`` after ``setseed``, so a run is repeatable.
"""

import contextlib

from odoo import Command
from odoo.tools import SQL

SUBJECTS = [
    "我的包裹到哪了",
    "申请7天无理由退货",
    "客服回复太慢",
    "这款手机支持5G吗",
    "收到的商品有质量问题要换货",
    "物流信息三天没有更新",
    "退款什么时候到账",
    "耳机左耳没有声音，申请维修",
    "能开增值税专用发票吗",
    "希望增加夜间人工客服",
]
DESCRIPTION = (
    "<p>您好，我的订单号是 2024061812345678，下单后一直没有收到货，物流信息也没有更新，"
    "麻烦帮忙查询一下包裹现在在哪里，如果丢件了请尽快给我补发或者退款，谢谢。</p>"
)
# channel xml id -> share of the contacts (seeds §2.2: chat and hotline carry most)
CHANNEL_MIX = [
    ("channel_chat", 0.30),
    ("channel_phone", 0.24),
    ("channel_email", 0.16),
    ("channel_social", 0.10),
    ("channel_web", 0.10),
    ("channel_sms", 0.05),
    ("channel_walk_in", 0.05),
]
TYPE_MIX = [
    ("type_parcel", 0.30),
    ("type_consultation", 0.30),
    ("type_aftersales", 0.26),
    ("type_complaint", 0.08),
    ("type_suggestion", 0.06),
]


class Fixture:
    """Users, teams and customers the generated tickets point to."""

    def __init__(self, env, teams=6, agents_per_team=8, partners=5000):
        self.env = env
        self.company = env.company
        users = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True)
        agent_group = env.ref("cs_helpdesk.group_agent")
        leader_group = env.ref("cs_helpdesk.group_leader")
        self.leaders = users.create(
            [
                {
                    "name": f"Bench 组长 {index}",
                    "login": f"bench_leader_{index}",
                    "email": f"bench_leader_{index}@example.com",
                    "notification_type": "inbox",
                    "groups_id": [Command.set([leader_group.id])],
                }
                for index in range(teams)
            ]
        )
        self.agents = users.create(
            [
                {
                    "name": f"Bench 坐席 {index:03d}",
                    "login": f"bench_agent_{index:03d}",
                    "email": f"bench_agent_{index:03d}@example.com",
                    "notification_type": "inbox",
                    "groups_id": [Command.set([agent_group.id])],
                }
                for index in range(teams * agents_per_team)
            ]
        )
        names = ["售前组", "售后组", "查件组", "投诉处理组", "大客户组", "夜班组", "海外组", "直播组"]
        self.teams = env["cs.ticket.team"].create(
            [
                {
                    "name": f"Bench {names[index % len(names)]} {index}",
                    "assignment_method": "balanced",
                    "leader_id": self.leaders[index].id,
                    "member_ids": [
                        Command.set(self.agents[index * agents_per_team : (index + 1) * agents_per_team].ids)
                    ],
                }
                for index in range(teams)
            ]
        )
        self.agents_per_team = agents_per_team
        partner_ids = env["res.partner"].create(
            [
                {"name": f"客户{index:05d}", "email": f"bench.customer{index:05d}@example.com"}
                for index in range(partners)
            ]
        )
        self.partners = partner_ids
        stage = env.ref
        self.stage_open = [stage(f"cs_helpdesk.stage_{s}").id for s in ("assigned", "in_progress", "waiting")]
        self.stage_resolved = stage("cs_helpdesk.stage_resolved").id
        self.stage_closed = stage("cs_helpdesk.stage_closed").id
        env.flush_all()

    def pick(self, xmlids_shares, rand):
        """SQL CASE choosing an id by cumulative share from the uniform SQL value ``rand``."""
        cases, total = [], 0.0
        for xmlid, share in xmlids_shares:
            total += share
            cases.append(SQL("WHEN %s < %s THEN %s", rand, total, self.env.ref(f"cs_helpdesk.{xmlid}").id))
        return SQL("CASE %s ELSE %s END", SQL(" ").join(cases), self.env.ref(f"cs_helpdesk.{xmlids_shares[-1][0]}").id)


@contextlib.contextmanager
def indexes_rebuilt(env, table):
    """Bulk-load idiom: drop the secondary indexes of ``table``, load, then build them again.

    Building an index once is much cheaper than maintaining it row by row (the trigram
    GIN indexes above all). Inside the benchmark's transaction, so a rollback restores all.
    """
    env.cr.execute(
        """
        SELECT i.indexname, i.indexdef
          FROM pg_indexes i
          JOIN pg_class c ON c.relname = i.indexname
          JOIN pg_index x ON x.indexrelid = c.oid
         WHERE i.tablename = %s AND NOT x.indisprimary AND NOT x.indisunique
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
        """,
        [table],
    )
    indexes = env.cr.fetchall()
    for name, _definition in indexes:
        env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    yield
    for _name, definition in indexes:
        env.cr.execute(definition)


def insert_tickets(env, fixture, count, columns, seed=0.42, prefix="BENCH", derived=None, returning=True):
    """Insert ``count`` tickets; ``columns`` maps column names to SQL over ``r`` (the random row).

    ``r`` exposes ``g`` (1..count), uniform values ``r1`` … ``r8`` in [0, 1) and the
    ``derived`` values (name -> SQL over ``r0``, the same row before derivation).
    Returns the inserted ids, in ``g`` order (an empty list without ``returning``).
    """
    env.flush_all()
    env.cr.execute(SQL("SELECT setseed(%s)", seed))
    team_ids = fixture.teams.ids
    agent_ids = fixture.agents.ids
    base = {
        "name": SQL("(%s::varchar[])[1 + mod(r.g, %s)] || ' #' || r.g", SUBJECTS, len(SUBJECTS)),
        "number": SQL("%s || lpad(r.g::text, 9, '0')", prefix),
        "description": SQL("%s", DESCRIPTION),
        "active": SQL("TRUE"),
        "company_id": SQL("%s", fixture.company.id),
        "partner_id": SQL("(%s::int[])[1 + mod(r.g::bigint * 7919, %s)]", fixture.partners.ids, len(fixture.partners)),
        # skewed team volumes: the first teams carry most contacts
        "team_id": SQL("(%s::int[])[1 + floor(power(r.r1, 1.6) * %s)::int]", team_ids, len(team_ids)),
        "user_id": SQL(
            "(%s::int[])[1 + floor(power(r.r1, 1.6) * %s)::int * %s + floor(r.r2 * %s)::int]",
            agent_ids,
            len(team_ids),
            fixture.agents_per_team,
            fixture.agents_per_team,
        ),
        "channel_id": fixture.pick(CHANNEL_MIX, SQL("r.r3")),
        "type_id": fixture.pick(TYPE_MIX, SQL("r.r4")),
        "priority": SQL(
            "CASE WHEN r.r5 < 0.15 THEN '0' WHEN r.r5 < 0.75 THEN '1' WHEN r.r5 < 0.95 THEN '2' ELSE '3' END"
        ),
        "reopen_count": SQL("0"),
        "create_uid": SQL("%s", env.uid),
        "write_uid": SQL("%s", env.uid),
    }
    base.update(columns)
    names = list(base)
    derived = derived or {}
    env.cr.execute(
        SQL(
            """
            INSERT INTO cs_ticket (%s)
            SELECT %s
              FROM (SELECT r0.* %s
                      FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                                   random() AS r5, random() AS r6, random() AS r7, random() AS r8
                              FROM generate_series(1, %s) AS g) AS r0) AS r
            %s
            """,
            SQL(", ").join(SQL.identifier(name) for name in names),
            SQL(", ").join(base[name] for name in names),
            SQL("").join(SQL(", %s AS %s", expr, SQL.identifier(name)) for name, expr in derived.items()),
            count,
            SQL("RETURNING id") if returning else SQL(),
        )
    )
    return [row[0] for row in env.cr.fetchall()] if returning else []
