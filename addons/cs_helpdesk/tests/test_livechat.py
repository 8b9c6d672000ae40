from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.addons.cs_helpdesk.models.discuss_channel import DiscussChannel
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CsHelpdeskCase


class LivechatCase(CsHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.livechat = cls.env["im_livechat.channel"].create(
            {
                "name": "在线客服测试",
                "user_ids": [Command.set(cls.agents.ids)],
                "cs_team_id": cls.team.id,
                "cs_ticket_channel_id": cls.channel_chat.id,
            }
        )

    def make_chat(self, operator=None, customer=None, visitor_name="访客 #88", lines=(), start=None, bot=None):
        """A live chat session; ``lines`` are (who, text) with who "op" or "visitor", a minute apart.

        ``operator`` is the agent (res.users), or ``bot`` the chatbot script that runs the chat.
        """
        operator_partner = operator.partner_id if operator else bot.operator_partner_id
        guest = self.env["mail.guest"].create({"name": visitor_name}) if not customer else None
        members = [Command.create({"partner_id": operator_partner.id})]
        if customer:
            members.append(Command.create({"partner_id": customer.id}))
        chat = self.env["discuss.channel"].create(
            {
                "name": visitor_name,
                "channel_type": "livechat",
                "livechat_channel_id": self.livechat.id,
                "livechat_operator_id": operator_partner.id,
                "livechat_active": True,
                "anonymous_name": None if customer else visitor_name,
                "channel_member_ids": members,
            }
        )
        if guest:
            self.env["discuss.channel.member"].create({"guest_id": guest.id, "channel_id": chat.id})
        start = start or datetime(2026, 11, 20, 2, 0, 0)
        for index, (who, text) in enumerate(lines):
            author = {"author_id": operator_partner.id}
            if who == "visitor":
                author = {"author_id": customer.id} if customer else {"author_id": False, "author_guest_id": guest.id}
            self.env["mail.message"].create(
                {
                    "model": "discuss.channel",
                    "res_id": chat.id,
                    "body": text,
                    "message_type": "comment",
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "date": start + timedelta(minutes=index),
                    **author,
                }
            )
        return chat

    def ticket_of(self, chat):
        return self.env["cs.ticket"].search([("chat_channel_id", "=", chat.id)])


class TestLivechatTicket(LivechatCase):
    def test_ticket_command(self):
        chat = self.make_chat(
            operator=self.agent1,
            customer=self.partner,
            lines=[("visitor", "发票抬头开错了"), ("op", "我帮您登记重开"), ("visitor", "谢谢")],
        )
        file = self.env["ir.attachment"].create(
            {"name": "发票.png", "raw": b"fake", "res_model": "discuss.channel", "res_id": chat.id}
        )
        chat.message_ids[0].attachment_ids = file
        ticket = chat.with_user(self.agent1).execute_command_ticket(body="/ticket 发票抬头错误")
        self.assertEqual(ticket.name, "发票抬头错误")
        self.assertEqual(ticket.partner_id, self.partner)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.channel_id, self.channel_chat)
        self.assertEqual(ticket.user_id, self.agent1, "the agent of the chat keeps the case")
        self.assertEqual(ticket.chat_channel_id, chat)
        self.assertEqual(ticket.answer_seconds, 60, "the visitor waited a minute for the agent's reply")
        note = ticket.message_ids.filtered(lambda m: "发票抬头开错了" in (m.body or ""))
        self.assertEqual(len(note), 1, "the transcript is on the ticket")
        self.assertIn("我帮您登记重开", note.body)
        self.assertTrue(note.subtype_id.internal, "the transcript is an internal note")
        self.assertIn("2026-11-20 10:00", note.body, "message times in the team's time zone (Shanghai)")
        self.assertEqual(note.attachment_ids.mapped("name"), ["发票.png"])
        self.assertEqual(note.attachment_ids.res_model, "cs.ticket")
        # a second problem in the same chat: a second ticket
        second = chat.with_user(self.agent1).execute_command_ticket(body="/ticket 退款进度")
        self.assertEqual(len(self.ticket_of(chat)), 2)
        self.assertEqual(chat.with_user(self.agent1).cs_ticket_count, 2)
        self.assertNotEqual(second, ticket)

    def test_agents_operate_the_live_chat(self):
        self.assertTrue(self.agent1.has_group("im_livechat.im_livechat_group_user"))
        self.assertTrue(self.manager.has_group("im_livechat.im_livechat_group_manager"))
        self.assertFalse(self.analyst.has_group("im_livechat.im_livechat_group_user"))

    def test_anonymous_visitor_default_subject(self):
        chat = self.make_chat(operator=self.agent1, lines=[("visitor", "在吗?"), ("op", "您好")])
        ticket = chat.with_user(self.agent1).execute_command_ticket(body="/ticket")
        self.assertFalse(ticket.partner_id, "an anonymous visitor becomes no contact")
        self.assertEqual(ticket.partner_name, "访客 #88")
        self.assertIn("访客 #88", ticket.name)

    def test_button_opens_the_chat_ticket(self):
        chat = self.make_chat(operator=self.agent1, customer=self.partner, lines=[("visitor", "你好")])
        action = chat.with_user(self.agent1).action_cs_make_ticket()
        ticket = self.env["cs.ticket"].browse(action["res_id"])
        self.assertEqual(ticket.chat_channel_id, chat)
        again = chat.with_user(self.agent1).action_cs_make_ticket()
        self.assertEqual(again["res_id"], ticket.id, "the button opens the chat's ticket instead of a duplicate")

    def test_only_agents_and_live_chats(self):
        employee = new_test_user(self.env, login="cs_test_employee", groups="base.group_user")
        chat = self.make_chat(operator=self.agent1, customer=self.partner, lines=[("visitor", "你好")])
        with self.assertRaises(AccessError):
            chat.with_user(employee).execute_command_ticket(body="/ticket x")
        group_chat = self.env["discuss.channel"].create({"name": "客服群", "channel_type": "group"})
        with self.assertRaises(UserError):
            group_chat.execute_command_ticket(body="/ticket x")
        self.assertFalse(self.ticket_of(chat))


class TestOfflineMessage(LivechatCase):
    def test_unanswered_chat_becomes_ticket_on_close(self):
        """The visitor wrote, nobody answered, the visitor left: the message becomes a ticket."""
        self.team.assignment_method = "balanced"
        self.agents.sudo().cs_availability = "busy"
        chat = self.make_chat(operator=self.agent1, lines=[("visitor", "快递三天没更新了")])
        chat.with_user(self.env.ref("base.public_user")).sudo(False)._close_livechat_session()
        ticket = self.ticket_of(chat)
        self.assertEqual(len(ticket), 1)
        self.assertIn("访客 #88", ticket.name)
        self.assertFalse(ticket.user_id, "nobody available: the ticket waits")
        self.assertFalse(ticket.answer_seconds, "never answered: no answer time")
        self.assertIn("快递三天没更新了", ticket.message_ids[0].body)
        self.env["res.users"].with_user(self.agent2).cs_set_my_availability("available")
        self.assertEqual(ticket.user_id, self.agent2)

    def test_answered_chat_makes_no_ticket(self):
        chat = self.make_chat(operator=self.agent1, lines=[("visitor", "在吗"), ("op", "在的")])
        chat._close_livechat_session()
        self.assertFalse(self.ticket_of(chat))

    def test_chatbot_leaves_ticket(self):
        script = self.env["chatbot.script"].create({"title": "离线留言"})
        Step = self.env["chatbot.script.step"]
        email_step = Step.create(
            {"chatbot_script_id": script.id, "sequence": 1, "step_type": "question_email", "message": "邮箱?"}
        )
        phone_step = Step.create(
            {"chatbot_script_id": script.id, "sequence": 2, "step_type": "question_phone", "message": "电话?"}
        )
        ticket_step = Step.create(
            {"chatbot_script_id": script.id, "sequence": 3, "step_type": "create_ticket", "message": "已收到"}
        )
        answers = ((email_step, "visitor88@example.com"), (phone_step, "not a phone"))
        chat = self.make_chat(
            bot=script, lines=[("visitor", "晚上还能退货吗")] + [("visitor", answer) for __, answer in answers]
        )
        for message, (step, answer) in zip(chat.message_ids.sorted("id")[1:], answers, strict=True):
            self.env["chatbot.message"].create(
                {
                    "mail_message_id": message.id,
                    "discuss_channel_id": chat.id,
                    "script_step_id": step.id,
                    "user_raw_answer": answer,
                }
            )
        ticket_step.with_user(self.env.ref("base.public_user"))._process_step(chat)
        ticket = self.ticket_of(chat)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.email_from, "visitor88@example.com")
        self.assertFalse(ticket.partner_phone, "an answer that is no phone number is not stored as one")
        self.assertEqual(ticket.team_id, self.team, "the live chat channel's team")
        # closing the bot session later makes no second ticket
        chat._close_livechat_session()
        self.assertEqual(len(self.ticket_of(chat)), 1)


class TestVisitedPages(LivechatCase):
    PAGES = [
        {"name": "耳机详情页", "url": "/shop/earphones", "visit_datetime": datetime(2026, 11, 20, 1, 50)},
        {"name": "退换货政策", "url": "/return-policy", "visit_datetime": datetime(2026, 11, 20, 1, 55)},
    ]

    def make_ticket_with_pages(self):
        chat = self.make_chat(operator=self.agent1, customer=self.partner, lines=[("visitor", "能退吗")])
        with patch.object(DiscussChannel, "_cs_visitor_pages", lambda channel: self.PAGES):
            return chat.with_user(self.agent1).execute_command_ticket(body="/ticket 退货咨询")

    def test_without_website_no_pages(self):
        if "livechat_visitor_id" in self.env["discuss.channel"]._fields:
            self.skipTest("website_livechat is installed")
        chat = self.make_chat(operator=self.agent1, customer=self.partner, lines=[("visitor", "你好")])
        self.assertEqual(chat._cs_visitor_pages(), [])

    def test_pages_kept_and_hidden_from_analysts(self):
        ticket = self.make_ticket_with_pages()
        pages = ticket.with_user(self.agent1).chat_page_ids
        self.assertEqual(set(pages.mapped("url")), {"/return-policy", "/shop/earphones"})
        with self.assertRaises(AccessError):
            self.env["cs.ticket.chat.page"].with_user(self.analyst).search([])
        with self.assertRaises(AccessError):
            ticket.with_user(self.analyst).read(["chat_page_ids"])
        ticket.with_user(self.analyst).read(["name"])  # the ticket itself stays readable for reports
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent1).chat_page_ids.unlink()

    def test_pages_purged_after_retention(self):
        ticket = self.make_ticket_with_pages()
        self.env["ir.config_parameter"].set_param("cs_helpdesk.chat_page_retention_days", "30")
        Page = self.env["cs.ticket.chat.page"]
        with self.mock_now(datetime(2026, 12, 20, 1, 49)):  # a minute short of 30 days after the first visit
            self.assertEqual(Page._cron_purge(), 0)
        with self.mock_now(datetime(2026, 12, 20, 1, 51)):  # the first visit is now over 30 days old
            self.assertEqual(Page._cron_purge(), 1)
        self.assertEqual(ticket.chat_page_ids.mapped("name"), ["退换货政策"])


@tagged("post_install", "-at_install")
class TestWebsiteVisitedPages(LivechatCase):
    """Runs where Odoo's website live chat is installed (after every module is loaded)."""

    def test_pages_from_website_livechat(self):
        """With Odoo's website live chat, the visitor's trail before the chat, newest first, up to the limit."""
        if "livechat_visitor_id" not in self.env["discuss.channel"]._fields:
            self.skipTest("website_livechat is not installed")
        visitor = self.env["website.visitor"].create({"access_token": "f" * 32})
        now = datetime.now()
        Track = self.env["website.track"]
        for minutes, url in ((30, "/shop"), (20, "/shop/earphones"), (10, "/return-policy"), (-60, "/later")):
            Track.create({"visitor_id": visitor.id, "url": url, "visit_datetime": now - timedelta(minutes=minutes)})
        chat = self.make_chat(operator=self.agent1, customer=self.partner, lines=[("visitor", "能退吗")])
        chat.livechat_visitor_id = visitor
        chat.flush_recordset()
        self.env["ir.config_parameter"].set_param("cs_helpdesk.chat_page_limit", "2")
        self.env.cr.execute("UPDATE discuss_channel SET create_date = %s WHERE id = %s", (now, chat.id))
        chat.invalidate_recordset(["create_date"])
        ticket = chat.with_user(self.agent1).execute_command_ticket(body="/ticket 退货")
        pages = ticket.with_user(self.agent1).chat_page_ids.sorted("visit_datetime")
        self.assertEqual(pages.mapped("url"), ["/shop/earphones", "/return-policy"])
