from datetime import datetime

from odoo.exceptions import AccessError

from .test_livechat import LivechatCase


class TestChatReport(LivechatCase):
    def test_chat_statistics(self):
        start = datetime(2026, 11, 20, 2, 0, 0)
        chat = self.make_chat(
            operator=self.agent1,
            customer=self.partner,
            lines=[("op", "您好"), ("visitor", "订单没发货"), ("visitor", "在吗"), ("op", "马上查"), ("visitor", "好")],
            start=start,
        )
        unanswered = self.make_chat(operator=self.agent2, lines=[("visitor", "有人吗")], start=start)
        self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("discuss.channel"),
                "res_id": chat.id,
                "parent_res_model_id": self.env["ir.model"]._get_id("im_livechat.channel"),
                "parent_res_id": self.livechat.id,
                "rating": 5,
                "consumed": True,
            }
        )
        chat.with_user(self.agent1).execute_command_ticket(body="/ticket 发货")
        self.env.flush_all()
        Report = self.env["cs.chat.report"].with_user(self.analyst)
        row = Report.search([("channel_id", "=", chat.id)])
        self.assertEqual(row.user_id, self.agent1)
        self.assertEqual(row.team_id, self.team)
        self.assertEqual(row.message_count, 5)
        self.assertAlmostEqual(row.duration_minutes, 4.0)
        # the visitor first wrote at minute 1, the agent answered at minute 3 (the greeting does not count)
        self.assertAlmostEqual(row.first_reply_seconds, 120.0)
        self.assertEqual(row.rating, 5)
        self.assertEqual(row.ticket_count, 1)
        other = Report.search([("channel_id", "=", unanswered.id)])
        self.assertEqual(other.answered_rate, 0.0)
        self.assertFalse(other.first_reply_seconds)
        groups = Report._read_group(
            [("channel_id", "in", (chat | unanswered).ids)], ["team_id"], ["chat_count:sum", "answered_rate:avg"]
        )
        self.assertEqual(groups, [(self.team, 2, 0.5)])

    def test_report_access(self):
        self.make_chat(operator=self.agent1, lines=[("visitor", "你好")])
        self.assertTrue(self.env["cs.chat.report"].with_user(self.leader).search_count([]))
        with self.assertRaises(AccessError):
            self.env["cs.chat.report"].with_user(self.agent1).search([])
        for view in ("pivot", "graph"):
            self.env["cs.chat.report"].with_user(self.analyst).get_views([(False, view)])
