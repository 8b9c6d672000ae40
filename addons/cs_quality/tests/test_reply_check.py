from unittest.mock import patch

from odoo.addons.cs_quality.models.cs_ticket import CsTicket
from odoo.exceptions import AccessError

from .common import CsQualityCase


class TestReplyCheck(CsQualityCase):
    """Agent replies are queued as they are posted and checked by the reply-check cron."""

    def setUp(self):
        super().setUp()
        self.ticket = self.make_ticket(user_id=self.agent1.id)
        self.Queue = self.env["cs.qa.reply.queue"]
        self.Queue.search([]).unlink()  # replies of the demo data
        self.cron = self.env.ref("cs_quality.ir_cron_qa_reply_checks")

    def queued(self):
        return self.Queue.search([]).message_id

    def results(self, message):
        checks = self.env["cs.qa.check"].search([("message_id", "=", message.id)])
        return {check.check: (check.result, check.detail or "") for check in checks}

    def test_only_agent_replies_are_queued(self):
        reply = self.agent_reply(self.ticket, "您好，已为您查询。")
        self.customer_message(self.ticket, "我的包裹还没到。")
        self.ticket.with_user(self.agent1).message_post(body="客户很着急", subtype_xmlid="mail.mt_note")
        self.ticket.with_user(self.agent1).message_post(body="系统记录", message_type="notification")
        self.assertEqual(self.queued(), reply)

    def test_queued_replies_are_checked_by_the_cron(self):
        rude = self.agent_reply(self.ticket, "这个我不能帮您办理，但是可以转给售后同事。")
        # a colleague answering on the ticket is checked as the author of the reply
        kind = self.agent_reply(self.ticket, "<p>您好，您的包裹已经发出，请耐心等待。</p>", agent=self.agent2)
        careful = self.agent_reply(self.ticket, "我们会尽快处理，但是否能退款需要财务审核。")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]), "the cron is woken up")
        self.assertEqual(self.Queue._cron_process(), 3)
        self.assertFalse(self.queued(), "the queue is emptied")
        self.assertEqual(self.results(rude), {"polite": ("fail", ""), "negative": ("fail", "但是、我不能")})
        self.assertEqual(self.results(kind), {"polite": ("pass", ""), "negative": ("pass", "")})
        # 但是否 is 但 + 是否: no negative phrase, and no polite word either
        self.assertEqual(self.results(careful), {"polite": ("fail", ""), "negative": ("pass", "")})
        checks = self.env["cs.qa.check"].search([("message_id", "in", (rude | kind).ids)])
        self.assertEqual(set(checks.mapped("scope")), {"reply"})
        self.assertEqual(checks.filtered(lambda c: c.message_id == kind).agent_id, self.agent2)
        self.assertEqual(checks.filtered(lambda c: c.message_id == rude).agent_id, self.agent1)
        self.assertEqual(checks.ticket_id, self.ticket)
        self.assertEqual(set(checks.mapped("failed_reply_count")), {0, 1})
        self.assertEqual(self.Queue._cron_process(), 0)

    def test_edited_reply_is_checked_again(self):
        reply = self.agent_reply(self.ticket, "包裹明天到。")
        self.Queue._cron_process()
        self.assertEqual(self.results(reply)["polite"][0], "fail")
        self.ticket.with_user(self.agent1)._message_update_content(reply, "您好，包裹明天到，谢谢您的耐心等待。")
        self.assertEqual(self.queued(), reply)
        self.Queue._cron_process()
        self.assertEqual(self.results(reply), {"polite": ("pass", ""), "negative": ("pass", "")}, "results replaced")
        # emptied (deleted from the chatter): nothing left to check
        self.ticket.with_user(self.agent1)._message_update_content(reply, "")
        self.Queue._cron_process()
        self.assertEqual(self.results(reply), {})

    def test_closing_the_ticket_keeps_reply_results_apart(self):
        reply = self.agent_reply(self.ticket, "这个我不会处理。")
        self.Queue._cron_process()
        self.ticket.stage_id = self.stage_closed
        self.ticket._qa_run_checks()
        self.ticket._qa_run_checks()  # run again: only the ticket's own results are replaced
        by_scope = {}
        for check in self.ticket.qa_check_ids:
            by_scope.setdefault(check.scope, []).append(check.check)
        self.assertEqual(sorted(by_scope["reply"]), ["negative", "polite"])
        self.assertEqual(sorted(by_scope["ticket"]), ["negative", "polite"])
        self.assertEqual(self.results(reply)["negative"], ("fail", "我不会"))
        self.assertEqual(self.ticket._qa_check_summary()[self.ticket.id], {"polite": "fail", "negative": "fail"})

    def test_agents_see_their_reply_results_only(self):
        mine = self.agent_reply(self.ticket, "您好。")
        theirs = self.agent_reply(self.ticket, "您好。", agent=self.agent2)
        self.Queue._cron_process()
        visible = self.env["cs.qa.check"].with_user(self.agent1).search([("ticket_id", "=", self.ticket.id)])
        self.assertEqual(visible.message_id, mine)
        self.assertNotIn(theirs, visible.message_id)
        with self.assertRaises(AccessError):  # the queue is the cron's, not the agents'
            self.Queue.with_user(self.agent1).search([])

    def test_posting_costs_one_query_more(self):
        """Posting a reply only inserts its id in the queue and a trigger of the cron, in the same
        statement: one query more than without the reply checks."""

        def post_queries(body):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.agent_reply(self.ticket, body)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        self.agent_reply(self.ticket, "您好。")  # first reply: warms the ticket up, gives its first response
        with patch.object(CsTicket, "_qa_is_agent_reply", lambda self, message: False):
            # twice: what the other installed addons read once per transaction is then read
            without = post_queries("您好，请稍等。")
            without = post_queries("您好，请稍等两分钟。")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)])
        self.assertEqual(post_queries("您好，请再稍等。"), without + 1)
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]), triggers + 1)
        self.env.invalidate_all()
        with self.assertQueryCount(without + 1):
            self.agent_reply(self.ticket, "谢谢，再见。")
        self.assertEqual(len(self.queued()), 3)
