from datetime import date, datetime, timedelta

from odoo.addons.cs_helpdesk.tests.test_livechat import LivechatCase
from odoo.exceptions import AccessError


class TestKpiCallsChats(LivechatCase):
    """Call and chat KPIs of the snapshots against figures computed by hand (March 2026, Shanghai time)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.env.user.tz = "Asia/Shanghai"
        # cs_helpdesk's hotline answer target (30 s): the one setting the service level is measured against
        cls.hotline = cls.env.ref("cs_helpdesk.sla_policy_hotline_answer")
        cls.hotline.active = True
        cls.integration = cls.env["cs.inbound.integration"].create(
            {"name": "热线交换机", "code": "kpi-switch", "kind": "telephony", "team_id": cls.team.id}
        )
        cls.call_number = 0

    def call(self, ring, agent=None, wait=None, talk=0, hold=0, result="answered", direction="inbound"):
        """An ended call: ``ring`` in UTC, answered ``wait`` seconds later (None: never answered), on hold
        ``hold`` seconds within a conversation of ``talk`` seconds besides; an unanswered call hangs up after 50 s."""
        self.call_number += 1
        answer = ring + timedelta(seconds=wait) if wait is not None else None
        hangup = answer + timedelta(seconds=talk + hold) if answer else ring + timedelta(seconds=50)
        return (
            self.env["cs.call"]
            .sudo()
            .create(
                {
                    "integration_id": self.integration.id,
                    "company_id": self.company.id,
                    "external_call_id": f"kpi-{self.call_number}",
                    "direction": direction,
                    "team_id": self.team.id,
                    "agent_id": agent.id if agent else False,
                    "ring_date": ring,
                    "answer_date": answer,
                    "hangup_date": hangup,
                    "hold_seconds": hold,
                    "state": "done",
                    "result": result,
                }
            )
        )

    def data_set(self):
        march = datetime(2026, 3, 12, 2)  # 10:00 in Shanghai
        self.call(march, self.agent1, wait=10, talk=120, hold=20)
        self.call(march, self.agent1, wait=45, talk=200)  # answered after the 30 s target
        self.call(march, self.agent1, wait=5, talk=60, hold=40)
        self.call(march, wait=None, result="abandoned")  # given up in the queue: no agent
        self.call(march, self.agent1, wait=8, talk=30, direction="outbound")
        self.call(march, self.agent2, wait=20, talk=100, hold=10)
        # 1 March 00:30 in Shanghai (still February in UTC), answered right on the target
        self.call(datetime(2026, 2, 28, 16, 30), self.agent2, wait=30, talk=50)
        # 1 April 00:30 in Shanghai (still March in UTC): not in March
        self.call(datetime(2026, 3, 31, 16, 30), self.agent2, wait=100, talk=10, hold=5)
        lines = [("visitor", "在吗"), ("op", "您好，请讲")]
        self.make_chat(operator=self.agent1, lines=lines, start=datetime(2026, 2, 28, 16, 10))  # 1 March, 00:10
        self.make_chat(operator=self.agent1, lines=lines, start=march)
        self.make_chat(operator=self.agent1, lines=lines, start=datetime(2026, 3, 31, 16, 10))  # April
        self.env.flush_all()

    def snapshots(self, day, period_type):
        period = self.env["cs.kpi.period"]._ensure(self.company, day, period_types=[period_type])
        period._compute_snapshots()
        return period.snapshot_ids

    def test_call_and_chat_kpis(self):
        self.data_set()
        rows = self.snapshots(date(2026, 3, 20), "month")
        agent1 = rows.filtered(lambda s: s.user_id == self.agent1)
        agent2 = rows.filtered(lambda s: s.user_id == self.agent2)
        team = rows.filtered(lambda s: s.scope == "team")
        # agent 1: three inbound calls and one outbound, all answered; two chats in March
        self.assertEqual((agent1.call_count, agent1.call_answered_count, agent1.chat_count), (4, 4, 2))
        self.assertAlmostEqual(agent1.talk_seconds, (120 + 200 + 60 + 30) / 4)
        self.assertAlmostEqual(agent1.hold_seconds, (20 + 0 + 40 + 0) / 4)
        self.assertAlmostEqual(agent1.call_handling_seconds, (140 + 200 + 100 + 30) / 4)
        self.assertAlmostEqual(agent1.wait_seconds, (10 + 45 + 5) / 3, msg="inbound calls only")
        self.assertAlmostEqual(agent1.service_level, 2 / 3, msg="10 s and 5 s within 30 s, 45 s not")
        # agent 2: the call of 1 March 00:30 local counts (30 s is within the target), 1 April's does not
        self.assertEqual((agent2.call_count, agent2.chat_count), (2, 0))
        self.assertAlmostEqual(agent2.talk_seconds, (100 + 50) / 2)
        self.assertAlmostEqual(agent2.call_handling_seconds, (110 + 50) / 2)
        self.assertAlmostEqual(agent2.wait_seconds, (20 + 30) / 2)
        self.assertAlmostEqual(agent2.service_level, 1.0)
        # the team: the abandoned call too (offered, not answered in time), in the service level only
        self.assertEqual((team.call_count, team.call_answered_count, team.chat_count), (7, 6, 2))
        self.assertAlmostEqual(team.talk_seconds, (120 + 200 + 60 + 30 + 100 + 50) / 6)
        self.assertAlmostEqual(team.hold_seconds, (20 + 40 + 10) / 6)
        self.assertAlmostEqual(team.call_handling_seconds, 630 / 6)
        self.assertAlmostEqual(team.wait_seconds, (10 + 45 + 5 + 20 + 30) / 5)
        self.assertAlmostEqual(team.service_level, 4 / 6)
        self.assertFalse(agent1.ticket_count, "calls and chats alone make the agent's row")
        # the same figures as cs_helpdesk's call detail report over the same calls
        [(calls, service_level)] = self.env["cs.call.report"]._read_group(
            [
                ("call_id.integration_id", "=", self.integration.id),
                ("ring_date", ">=", datetime(2026, 2, 28, 16)),
                ("ring_date", "<", datetime(2026, 3, 31, 16)),
            ],
            [],
            ["call_count:sum", "service_level:avg"],
        )
        self.assertEqual(calls, team.call_count)
        self.assertAlmostEqual(service_level, team.service_level)

    def test_every_period_kind_in_company_time(self):
        self.data_set()
        first = {kind: self.snapshots(date(2026, 3, 1), kind) for kind in ("day", "week", "month", "quarter", "year")}
        for kind, rows in first.items():
            agent2 = rows.filtered(lambda s: s.user_id == self.agent2)
            agent1 = rows.filtered(lambda s: s.user_id == self.agent1)
            if kind in ("day", "week"):
                # 1 March 2026 is a Sunday: its day and week hold only the calls and chats around midnight
                self.assertEqual((agent2.call_count, agent2.service_level), (1, 1.0), kind)
                self.assertEqual((agent1.call_count, agent1.chat_count), (0, 1), kind)
            elif kind in ("month", "quarter"):
                self.assertEqual((agent2.call_count, agent1.chat_count), (2, 2), kind)
            else:
                # the year also holds 1 April's call (100 s to answer) and chat
                self.assertEqual((agent2.call_count, agent1.chat_count), (3, 3), kind)
                self.assertAlmostEqual(agent2.service_level, 2 / 3, msg=kind)
        february = self.snapshots(date(2026, 2, 28), "day")
        self.assertFalse(february.filtered("call_count"), "28 February in Shanghai ends at 16:00 UTC")

    def test_without_answer_target_no_service_level(self):
        self.hotline.active = False
        self.data_set()
        team = self.snapshots(date(2026, 3, 20), "month").filtered(lambda s: s.scope == "team")
        self.assertEqual(team.call_count, 7)
        self.assertFalse(team.service_level)

    def test_agent_reads_only_own_rows(self):
        self.data_set()
        rows = self.snapshots(date(2026, 3, 20), "month")
        own = self.env["cs.kpi.snapshot"].with_user(self.agent1).search([("period_id", "=", rows.period_id.id)])
        self.assertEqual(own.user_id, self.agent1)
        self.assertEqual(own.scope, "agent")
        self.assertEqual(own.call_count, 4)
        colleague = rows.filtered(lambda s: s.user_id == self.agent2).with_user(self.agent1)
        with self.assertRaises(AccessError):
            colleague.read(["call_count"])
        with self.assertRaises(AccessError):
            rows.filtered(lambda s: s.scope == "team").with_user(self.agent1).read(["service_level"])
        leader_rows = self.env["cs.kpi.snapshot"].with_user(self.leader).search([("period_id", "=", rows.period_id.id)])
        self.assertEqual(len(leader_rows), len(rows))

    def test_service_level_target(self):
        self.data_set()
        self.env["cs.kpi.target"].search([]).unlink()  # the demo's
        self.env["cs.kpi.target"].create(
            {"scope": "agent", "period_type": "month", "metric": "service_level", "target": 0.8}
        )
        self.env["cs.kpi.target"].create(
            {"scope": "agent", "period_type": "month", "metric": "wait_seconds", "target": 25}
        )
        rows = self.snapshots(date(2026, 3, 20), "month")
        agent1 = rows.filtered(lambda s: s.user_id == self.agent1)
        agent2 = rows.filtered(lambda s: s.user_id == self.agent2)
        self.assertEqual(agent1.target_state, "red")
        self.assertEqual(agent1.target_summary, "Service Level")
        self.assertEqual(agent2.target_state, "green", "25 s waiting is at most 25 s; 100 % service level")
