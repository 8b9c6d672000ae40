from ast import literal_eval

from odoo import Command, http
from odoo.addons.mail.tools.discuss import Store
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from .complaint_common import CsComplaintCase
from .test_sla import FRI, MON, SAT, THU, TUE, WED, d  # the test week of March 2025, local Shanghai times


class TestConversation(CsComplaintCase):
    """What customers' replies, agents' replies and stage changes do to tickets and their SLA lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_cancelled = cls.env.ref("cs_helpdesk.stage_cancelled")
        cls.policy = cls.make_policy(
            time_unit="working_hours",
            first_response_time=8,
            resolution_time=16,
            pause_stage_ids=[Command.link(cls.stage_waiting.id)],
        )

    def create_at(self, when, **values):
        with self.mock_now(when):
            return self.make_ticket(**values)

    def at(self, when, function):
        with self.mock_now(when):
            result = function()
            self.env.flush_all()
            return result

    def customer_writes(self, ticket, when, body="我又查了一下，还是没有收到"):
        """The customer's reply as the portal chatter posts it (author = the customer, as superuser)."""
        return self.at(
            when,
            lambda: ticket.sudo().message_post(
                body=body,
                author_id=ticket.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            ),
        )

    def agent_replies(self, ticket, user, when, message_type="comment"):
        return self.at(
            when,
            lambda: ticket.with_user(user).message_post(
                body="您好，已为您处理", message_type=message_type, subtype_xmlid="mail.mt_comment"
            ),
        )

    def set_stage(self, ticket, stage, when):
        self.at(when, lambda: ticket.write({"stage_id": stage.id}))

    def line(self, ticket, kind, cycle=0):
        line = ticket.sla_ids.filtered(lambda s: s.kind == kind and s.cycle == cycle and s.policy_id == self.policy)
        self.assertEqual(len(line), 1)
        return line

    # ------------------------------------------------------------------ customer replies
    def test_reply_resumes_waiting_ticket(self):
        """Waiting since Mon 15:00 (4 working hours left), the customer answers on Wed 11:00."""
        ticket = self.create_at(d(MON, 10))
        self.set_stage(ticket, self.stage_waiting, d(MON, 15))
        self.assertEqual(self.line(ticket, "first_response").status, "paused")
        self.customer_writes(ticket, d(WED, 11))
        self.assertEqual(ticket.stage_id, self.stage_progress, "back to the team's in-progress stage")
        line = self.line(ticket, "first_response")
        self.assertEqual((line.status, line.deadline), ("running", d(WED, 16)))

    def test_reply_in_progress_changes_nothing(self):
        ticket = self.create_at(d(MON, 10))
        self.customer_writes(ticket, d(MON, 11))
        self.assertEqual((ticket.stage_id, ticket.reopen_count), (self.stage_new, 0))

    def test_reply_to_resolved_ticket_reopens_within_team_days(self):
        self.assertEqual(self.team.reopen_days, 7, "default of the team setting")
        ticket = self.create_at(d(MON, 10))
        self.agent_replies(ticket, self.agent1, d(MON, 11))
        self.set_stage(ticket, self.stage_resolved, d(MON, 12))
        # Saturday night, five and a half days later: within the 7 days
        self.customer_writes(ticket, d(SAT + 7, 23))
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(ticket.reopen_count, 1)
        self.assertEqual(ticket.previous_sla_status, "met")
        self.assertFalse(ticket.resolved_date)
        # a new resolution clock (二次处理) starting on Monday 9:00, the first working time after the reply
        second = self.line(ticket, "resolution", cycle=1)
        self.assertEqual((second.status, second.deadline), ("running", d(TUE + 7, 18)))
        self.assertEqual(self.line(ticket, "resolution").status, "met", "the first handling keeps its outcome")

    def test_late_reply_to_resolved_ticket_opens_a_linked_ticket(self):
        self.team.reopen_days = 3
        ticket = self.create_at(d(MON, 10))
        self.set_stage(ticket, self.stage_resolved, d(MON, 12))
        self.customer_writes(ticket, d(THU, 13), "同样的问题又出现了")
        self.assertEqual((ticket.stage_id, ticket.reopen_count), (self.stage_resolved, 0), "left as it was")
        follow_up = self.env["cs.ticket"].search([("origin_ticket_id", "=", ticket.id)])
        self.assertEqual(len(follow_up), 1)
        self.assertEqual((follow_up.partner_id, follow_up.team_id), (self.partner, self.team))
        self.assertIn("同样的问题又出现了", follow_up.description)
        self.assertIn("同样的问题又出现了", follow_up.message_ids.mapped("body")[0])
        self.assertEqual(self.line(follow_up, "first_response").deadline, d(FRI + 7, 12), "counted from the reply")

    def test_reply_to_closed_ticket_always_opens_a_linked_ticket(self):
        ticket = self.create_at(d(MON, 10))
        self.set_stage(ticket, self.stage_closed, d(MON, 12))
        self.customer_writes(ticket, d(MON, 13))
        self.assertTrue(ticket.is_closed)
        self.assertEqual(self.env["cs.ticket"].search_count([("origin_ticket_id", "=", ticket.id)]), 1)

    # ------------------------------------------------------------------ first response
    def test_internal_note_and_own_ticket_are_no_first_response(self):
        # an employee files a ticket for themselves (web form, email): their own message answers nobody
        own = self.create_at(d(MON, 10), partner_id=self.agent2.partner_id.id)
        self.agent_replies(own, self.agent2, d(MON, 10))
        self.assertFalse(own.first_response_date)
        self.assertEqual(self.line(own, "first_response").status, "running")
        self.at(
            d(MON, 11),
            lambda: own.with_user(self.agent1).message_post(body="内部备注", subtype_xmlid="mail.mt_note"),
        )
        self.assertFalse(own.first_response_date)
        self.agent_replies(own, self.agent1, d(MON, 12))
        self.assertEqual(own.first_response_date, d(MON, 12))
        self.assertEqual(self.line(own, "first_response").status, "met")

    def test_agent_email_reply_is_a_first_response(self):
        ticket = self.create_at(d(MON, 10))
        self.at(
            d(MON, 16),
            lambda: ticket.sudo().message_post(
                body="邮件回复",
                author_id=self.agent1.partner_id.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
            ),
        )
        self.assertEqual(ticket.first_response_date, d(MON, 16))
        self.assertEqual(self.line(ticket, "first_response").status, "met")

    # ------------------------------------------------------------------ closing is not meeting
    def test_resolved_or_closed_without_reply_is_not_met(self):
        resolved, closed, answered = (self.create_at(d(MON, 10)) for __ in range(3))
        self.agent_replies(answered, self.agent1, d(MON, 11))
        for ticket in (resolved, closed, answered):
            self.set_stage(ticket, self.stage_closed if ticket == closed else self.stage_resolved, d(MON, 14))
        for ticket in (resolved, closed):
            self.assertEqual(self.line(ticket, "first_response").status, "failed")
            self.assertEqual(self.line(ticket, "resolution").status, "met")
            self.assertEqual(ticket.sla_status, "failed")
        self.assertEqual(self.line(answered, "first_response").status, "met")
        self.assertEqual(self.line(answered, "resolution").status, "met")
        self.assertEqual(answered.sla_status, "met")

    def test_cancelled_ticket_is_not_applicable_and_out_of_rates(self):
        spam = self.create_at(d(MON, 10))
        met = self.create_at(d(MON, 10))
        self.agent_replies(met, self.agent1, d(MON, 11))
        self.set_stage(met, self.stage_resolved, d(MON, 12))
        self.set_stage(spam, self.stage_cancelled, d(MON, 12))
        self.assertEqual(set(spam.sla_ids.mapped("status")), {"not_applicable"})
        self.assertFalse(spam.sla_ids.filtered("next_check"))
        self.assertEqual(spam.sla_status, "none")
        self.assertFalse(spam.resolved_date)
        self.assertEqual(spam.closed_date, d(MON, 12))
        self.env.flush_all()
        [(rate,)] = self.env["cs.ticket.report"]._read_group(
            [("ticket_id", "in", (spam | met).ids)], [], ["sla_met:avg"]
        )
        self.assertEqual(rate, 1.0, "the cancelled ticket counts neither as met nor as failed")

    def test_hotline_answer_only_when_entered(self):
        policy = self.make_policy(answer_seconds=30, channel_ids=[Command.link(self.channel_phone.id)])
        action = self.env.ref("cs_helpdesk.cs_ticket_action_log_contact")
        context = dict(literal_eval(action.context), default_channel_id=self.channel_phone.id)
        Ticket = self.env["cs.ticket"].with_user(self.agent1).with_context(**context)

        def log_call(answer=None):
            form = Form(Ticket, view="cs_helpdesk.cs_ticket_view_form_quick_create")
            form.name = "来电咨询"
            form.partner_id = self.partner
            if answer is not None:
                form.answer_seconds = answer
            return form.save()

        unanswered, in_time = log_call(), log_call(12)
        self.assertEqual(unanswered.user_id, self.agent1)
        line = unanswered.sla_ids.filtered(lambda s: s.policy_id == policy)
        self.assertEqual((line.status, line.reached_date), ("running", False), "no answer time, nothing measured")
        self.assertEqual(in_time.sla_ids.filtered(lambda s: s.policy_id == policy).status, "met")
        self.set_stage(unanswered, self.stage_resolved, d(MON, 12))
        self.assertEqual(line.status, "not_applicable")

    # ------------------------------------------------------------------ lines created later
    def test_line_added_later_starts_from_the_change_and_stays_paused(self):
        complaint_policy = self.make_policy(
            name="complaint",
            first_response_time=8,
            type_ids=[Command.link(self.type_question.id)],
            pause_stage_ids=[Command.link(self.stage_waiting.id)],
        )
        ticket = self.create_at(d(MON, 10))
        self.set_stage(ticket, self.stage_waiting, d(MON, 11))
        self.at(d(MON, 12), lambda: ticket.write({"type_id": self.type_question.id}))
        line = ticket.sla_ids.filtered(lambda s: s.policy_id == complaint_policy)
        self.assertEqual((line.status, line.remaining_hours), ("paused", 8.0), "the whole target is left")
        self.set_stage(ticket, self.stage_progress, d(TUE, 10))
        self.assertEqual(line.deadline, d(WED, 10))

    # ------------------------------------------------------------------ working days
    def test_working_days_same_time_next_working_day(self):
        """Mon-Fri 9-12 13-18 and Saturday 9-12: one working day is not 8 hours."""
        self.calendar.attendance_ids = [
            Command.create({"name": "Sat", "dayofweek": "5", "hour_from": 9, "hour_to": 12, "day_period": "morning"})
        ]
        policy = self.make_policy(name="days", time_unit="working_days", first_response_time=1, resolution_time=2)
        friday = self.create_at(d(FRI, 10, 30))
        lines = friday.sla_ids.filtered(lambda s: s.policy_id == policy)
        self.assertEqual(lines.filtered(lambda s: s.kind == "first_response").deadline, d(SAT, 10, 30))
        self.assertEqual(lines.filtered(lambda s: s.kind == "resolution").deadline, d(MON, 10, 30))
        # Saturday afternoon is not working time: the count starts on Monday 9:00
        saturday = self.create_at(d(SAT, 15))
        line = saturday.sla_ids.filtered(lambda s: s.policy_id == policy and s.kind == "first_response")
        self.assertEqual(line.deadline, d(TUE, 9))

    def test_working_days_skip_public_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {"name": "清明节 (test)", "company_id": self.company.id, "date_from": d(TUE, 0), "date_to": d(TUE, 23, 59)}
        )
        policy = self.make_policy(name="days", time_unit="working_days", first_response_time=1)
        ticket = self.create_at(d(MON, 16, 30))
        line = ticket.sla_ids.filtered(lambda s: s.policy_id == policy)
        self.assertEqual(line.deadline, d(WED, 16, 30))

    def test_policy_without_calendar_says_so(self):
        policy = self.make_policy(name="days", time_unit="working_days", first_response_time=1)
        self.assertFalse(policy.calendar_warning)
        self.team.resource_calendar_id = False
        self.company.resource_calendar_id = False
        policy.team_ids = self.team
        policy.invalidate_recordset(["calendar_warning"])
        self.assertIn(self.team.name, policy.calendar_warning)
        policy.time_unit = "hours"
        self.assertFalse(policy.calendar_warning)

    def test_channel_targets_are_sla_policies(self):
        """The channel's own targets are gone: the seeded policies carry them (email 24 h, hotline 30 s)."""
        self.assertNotIn("response_hours", self.env["cs.ticket.channel"]._fields)
        self.assertNotIn("answer_seconds", self.env["cs.ticket.channel"]._fields)
        self.assertEqual(self.env.ref("cs_helpdesk.sla_policy_hotline_answer").answer_seconds, 30)
        self.assertEqual(self.env.ref("cs_helpdesk.sla_policy_email_reply").first_response_time, 24)

    # ------------------------------------------------------------------ stages of the team
    def test_reopen_picks_a_stage_of_the_ticket_team(self):
        other_team = self.env["cs.ticket.team"].create({"name": "Other", "assignment_method": "manual"})
        self.env["cs.ticket.stage"].create({"name": "Other triage", "sequence": 25, "team_ids": other_team.ids})
        own = self.env["cs.ticket.stage"].create({"name": "Own handling", "sequence": 22, "team_ids": self.team.ids})
        ticket = self.create_at(d(MON, 10))
        self.set_stage(ticket, self.stage_resolved, d(MON, 12))
        ticket.with_user(self.agent1).action_reopen()
        self.assertEqual(ticket.stage_id, own)

    def test_team_change_goes_through_the_stage_hooks(self):
        waiting = self.env["cs.ticket.stage"].create(
            {"name": "Waiting (team)", "sequence": 31, "team_ids": self.team.ids, "is_waiting": True}
        )
        self.policy.pause_stage_ids = [Command.link(waiting.id)]
        other_team = self.env["cs.ticket.team"].create(
            {"name": "Other", "assignment_method": "manual", "resource_calendar_id": self.calendar.id}
        )
        ticket = self.create_at(d(MON, 10))
        self.set_stage(ticket, waiting, d(MON, 15))
        self.assertEqual(self.line(ticket, "first_response").status, "paused")
        self.at(d(WED, 11), lambda: ticket.write({"team_id": other_team.id}))
        self.assertEqual(ticket.stage_id, other_team._default_stage())
        line = self.line(ticket, "first_response")
        self.assertEqual((line.status, line.deadline), ("running", d(WED, 16)), "leaving the waiting stage resumes")

    # ------------------------------------------------------------------ complaints
    def test_complaint_steps_cannot_be_skipped_by_the_type(self):
        complaint = self.make_complaint()
        self.investigate(complaint)
        with self.assertRaises(UserError):
            complaint.with_user(self.agent1).type_id = self.type_question
        self.assertEqual(complaint.complaint_state, "investigating")
        # a registered complaint filed by mistake: the handler reclassifies it, an agent cannot
        misfiled = self.make_complaint()
        with self.assertRaises(UserError):
            misfiled.with_user(self.agent1).type_id = self.type_question
        misfiled.with_user(self.handler).type_id = self.type_question
        self.assertFalse(misfiled.complaint_state)
        # a resolved request cannot become a complaint that skipped its steps
        resolved = self.make_ticket(type_id=self.type_question.id, description="<p>态度很差</p>")
        resolved.stage_id = self.stage_resolved
        with self.assertRaises(ValidationError):
            resolved.type_id = self.type_complaint

    def test_reopened_complaint_needs_approval_again(self):
        ticket = self.make_complaint(complaint_compensation=300)
        self.investigate(ticket)
        ticket.with_user(self.agent1).action_complaint_request_approval()
        ticket.with_user(self.manager).action_complaint_approve()
        self.give_feedback(ticket)
        ticket.with_user(self.agent1).stage_id = self.stage_resolved
        ticket.with_user(self.agent1).action_reopen()
        self.assertEqual(ticket.complaint_state, "investigating")
        self.assertEqual(ticket.complaint_approval_state, "none")
        with self.assertRaises(UserError):
            self.give_feedback(ticket)

    def test_seeded_complaint_resolution_policy(self):
        policy = self.env.ref("cs_helpdesk.sla_policy_complaint_resolution")
        policy.active = True
        complaint = self.env.ref("cs_helpdesk.type_complaint")
        ticket = self.create_at(d(FRI, 17), type_id=complaint.id, description="<p>x</p>", complaint_severity="normal")
        line = ticket.sla_ids.filtered(lambda s: s.policy_id == policy)
        self.assertEqual((line.kind, line.deadline), ("resolution", d(SAT, 17)), "24 hours round the clock")


class TestTicketNotifications(CsComplaintCase):
    """Subtypes followed through the team: a leader following the team hears of each new ticket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=False, mail_notrack=False))
        cls.follower = new_test_user(
            cls.env, login="cs_test_team_follower", groups="cs_helpdesk.group_leader", notification_type="inbox"
        )
        cls.team.message_subscribe(partner_ids=cls.follower.partner_id.ids)

    def flush_tracking(self):
        """Tracking messages are posted just before the commit."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def inbox(self, user, subtype_xmlid):
        return self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", user.partner_id.id),
                ("notification_type", "=", "inbox"),
                ("mail_message_id.subtype_id", "=", self.env.ref(subtype_xmlid).id),
            ]
        )

    def test_team_subtypes_have_ticket_parents(self):
        for name in ("ticket_new", "ticket_stage", "customer_reply", "ticket_rated", "sla_failed"):
            team_subtype = self.env.ref(f"cs_helpdesk.mt_team_{name}")
            self.assertEqual(team_subtype.parent_id.res_model, "cs.ticket")
            self.assertEqual(team_subtype.relation_field, "team_id")

    def test_leader_following_team_hears_of_new_tickets(self):
        tickets = self.env["cs.ticket"].create(
            [{"name": f"工单 {index}", "partner_id": self.partner.id, "team_id": self.team.id} for index in range(3)]
        )
        notifications = self.inbox(self.follower, "cs_helpdesk.mt_ticket_new")
        self.assertEqual(sorted(notifications.mail_message_id.mapped("res_id")), sorted(tickets.ids))
        self.assertEqual(len(self.inbox(self.leader, "cs_helpdesk.mt_ticket_new")), 3, "the leader follows too")
        customer = self.env["mail.notification"].search([("res_partner_id", "=", self.partner.id)])
        self.assertFalse(customer, "customers are not told about internal events")

    def test_stage_reply_and_rating_subtypes(self):
        # the follower follows stage changes of the team only when they ask for it
        follower = self.team.message_follower_ids.filtered(lambda f: f.partner_id == self.follower.partner_id)
        follower.subtype_ids = [
            Command.link(self.env.ref("cs_helpdesk.mt_team_ticket_stage").id),
            Command.link(self.env.ref("cs_helpdesk.mt_team_customer_reply").id),
        ]
        ticket = self.make_ticket()
        self.flush_tracking()
        ticket.stage_id = self.stage_progress
        self.flush_tracking()
        self.assertEqual(len(self.inbox(self.follower, "cs_helpdesk.mt_ticket_stage")), 1)
        ticket.sudo().message_post(
            body="还没收到", author_id=self.partner.id, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        reply = self.env["mail.notification"].search(
            [("res_partner_id", "=", self.follower.partner_id.id), ("mail_message_id.body", "ilike", "还没收到")]
        )
        self.assertEqual(len(reply), 1, "a customer's reply reaches who follows Customer Replied")
        self.assertEqual(reply.mail_message_id.subtype_id, self.env.ref("mail.mt_comment"), "portal-visible")
        ticket.rating_apply(2, token=ticket._rating_get_access_token(), feedback="太慢了")
        self.assertEqual(len(self.inbox(self.leader, "cs_helpdesk.mt_ticket_rated")), 1)

    def test_batch_creation_notifies_in_constant_queries(self):
        partners = self.env["res.partner"].create(
            [{"name": f"客户 {index}", "email": f"c{index}@example.com"} for index in range(41)]
        )

        def create(batch):
            return lambda: self.env["cs.ticket"].create(
                [{"name": "x", "partner_id": partner.id, "team_id": self.team.id} for partner in batch]
            )

        def count_queries(function):
            self.env.flush_all()
            before = self.cr.sql_log_count
            function()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        count_queries(create(partners[:1]))
        one = count_queries(create(partners[1:2]))
        forty = count_queries(create(partners[2:]))
        self.assertLessEqual(forty, one + 39 + 10, "one sequence number per ticket, the rest batched")
        self.assertEqual(len(self.inbox(self.follower, "cs_helpdesk.mt_ticket_new")), 41)


class TestAgentNumber(CsComplaintCase):
    def test_agent_number_on_ticket_report_and_signature(self):
        self.agent1.cs_agent_number = "A007"
        ticket = self.make_ticket(user_id=self.agent1.id)
        self.assertEqual(ticket.user_agent_number, "A007")
        self.env.flush_all()
        row = self.env["cs.ticket.report"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(row.agent_number, "A007")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.agent2.cs_agent_number = "A007"
            self.env.flush_all()

        def reply_mail(body):
            message = (
                ticket.with_user(self.agent1)
                .with_context(mail_notify_force_send=False)
                .message_post(
                    body=body, message_type="comment", subtype_xmlid="mail.mt_comment", partner_ids=self.partner.ids
                )
            )
            mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
            self.assertEqual(len(mail), 1)
            return mail

        self.assertNotIn("A007", reply_mail("您好，第一次回复").body_html)
        self.env["ir.config_parameter"].sudo().set_param("cs_helpdesk.signature_agent_number", "True")
        self.assertIn("A007", reply_mail("您好，第二次回复").body_html)


def wakings(env, cron_xmlid):
    """How many times the cron is triggered so far."""
    cron = env.ref(cron_xmlid)
    return env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)])


QUEUE_CRON = "mail.ir_cron_mail_scheduler_action"
SCHEDULED_CRON = "mail.ir_cron_send_scheduled_message"


class TestQueuedReplyEmails(CsComplaintCase):
    def test_reply_email_queued_and_sent_by_the_woken_queue(self):
        """Posted outside a request (a cron, the mail gateway), a reply's email is queued and the email
        queue's cron is woken at once, then sends it."""
        ticket = self.make_ticket(user_id=self.agent1.id)
        queued = wakings(self.env, QUEUE_CRON)
        message = (
            ticket.with_user(self.agent1)
            .with_context(mail_notify_force_send=True)  # what a caller may ask: still queued
            .message_post(body="您好，已为您查询", message_type="comment", subtype_xmlid="mail.mt_comment")
        )
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.partner)
        self.assertEqual(wakings(self.env, QUEUE_CRON), queued + 1)
        notification = message.notification_ids.filtered(lambda n: n.res_partner_id == self.partner)
        self.assertEqual(notification.notification_status, "ready")
        mail.send()
        self.assertEqual(notification.notification_status, "sent")

    def test_internal_note_wakes_no_queue(self):
        ticket = self.make_ticket(user_id=self.agent1.id)
        queued = wakings(self.env, QUEUE_CRON)
        ticket.with_user(self.agent1).message_post(body="内部备注", subtype_xmlid="mail.mt_note")
        self.assertEqual(wakings(self.env, QUEUE_CRON), queued)


class TestChatterEmailStatus(CsComplaintCase):
    def test_chatter_shows_each_recipient_of_a_reply_even_of_another_company(self):
        """The agent's chatter shows a reply's email status per recipient with the recipient's name, as
        mail does, also for a contact of another company whom the agent may not open: the chatter reads
        the notified contacts once, as mail reads a message's recipients."""
        other_company = self.env["res.company"].create({"name": "Other Shop"})
        outsider = self.env["res.partner"].create(
            {"name": "外部联系人", "email": "outsider@example.com", "company_id": other_company.id}
        )
        ticket = self.make_ticket(user_id=self.agent1.id)
        ticket.message_subscribe(partner_ids=(self.partner | outsider).ids)
        message = ticket.with_user(self.agent1).message_post(
            body="您好，已为您查询", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            outsider.with_user(self.agent1).read(["name"])

        result = Store(ticket.with_user(self.agent1).message_ids, for_current_user=True).get_result()
        shown = [n for n in result["mail.notification"] if n["message"] == message.id]
        self.assertEqual({n["persona"]["id"] for n in shown}, set((self.partner | outsider).ids))
        self.assertEqual({n["notification_type"] for n in shown}, {"email"})
        names = {partner["id"]: partner.get("name") for partner in result["res.partner"]}
        self.assertEqual(names[outsider.id], "外部联系人")

    def test_chatter_queries_do_not_grow_with_replies_and_recipients(self):
        def chatter_queries(ticket):
            def chatter():  # as /mail/thread/messages: the messages searched, then sent to the web client
                domain = [("model", "=", "cs.ticket"), ("res_id", "=", ticket.id)]
                Store(self.env["mail.message"].with_user(self.agent1).search(domain), for_current_user=True)

            chatter()  # warms Odoo's caches (rules, groups)
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            chatter()
            return self.env.cr.sql_log_count - start

        counts = []
        for replies in (1, 5):
            ticket = self.make_ticket(user_id=self.agent1.id)
            for index in range(replies):
                copied = self.env["res.partner"].create({"name": f"抄送 {index}", "email": f"cc{index}@example.com"})
                ticket.message_subscribe(partner_ids=copied.ids)
                ticket.with_user(self.agent1).message_post(
                    body=f"第 {index} 次回复", message_type="comment", subtype_xmlid="mail.mt_comment"
                )
            counts.append(chatter_queries(ticket))
        self.assertEqual(counts[0], counts[1], "queries per chatter: 1 reply to 1 contact vs 5 replies to up to 5")


@tagged("post_install", "-at_install")
class TestReplyEmailsRenderedByCron(HttpCase):
    """In the web client, an agent's reply is saved and shown without rendering its email."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        team = cls.env["cs.ticket.team"].create({"name": "Email Team", "assignment_method": "manual"})
        cls.agent, cls.colleague = (
            new_test_user(cls.env, login, groups="cs_helpdesk.group_agent", notification_type="inbox")
            for login in ("cs_reply_agent", "cs_reply_colleague")
        )
        cls.customer = cls.env["res.partner"].create({"name": "客户 E", "email": "customer.e@example.com"})
        cls.ticket = cls.env["cs.ticket"].create(
            {"name": "物流查询", "team_id": team.id, "user_id": cls.agent.id, "partner_id": cls.customer.id}
        )
        cls.ticket.message_subscribe(partner_ids=(cls.customer | cls.colleague.partner_id).ids)

    def post(self, subtype_xmlid):
        self.authenticate("cs_reply_agent", "cs_reply_agent")
        result = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "cs.ticket",
                "thread_id": self.ticket.id,
                "post_data": {"body": "您好，包裹已到达", "message_type": "comment", "subtype_xmlid": subtype_xmlid},
            },
        )
        return self.env["mail.message"].browse(result["mail.message"][0]["id"])

    def test_reply_emailed_by_the_woken_crons(self):
        scheduled = wakings(self.env, SCHEDULED_CRON)
        message = self.post("mail.mt_comment")
        self.assertEqual(message.notification_ids.res_partner_id, self.colleague.partner_id, "inbox at once")
        self.assertFalse(self.env["mail.mail"].search([("mail_message_id", "=", message.id)]))
        self.assertTrue(self.env["mail.message.schedule"].search([("mail_message_id", "=", message.id)]))
        self.assertEqual(wakings(self.env, SCHEDULED_CRON), scheduled + 1)

        queued = wakings(self.env, QUEUE_CRON)
        self.env.ref(SCHEDULED_CRON).method_direct_trigger()
        self.assertFalse(self.env["mail.message.schedule"].search([("mail_message_id", "=", message.id)]))
        message.invalidate_recordset()
        by_partner = {n.res_partner_id: n for n in message.notification_ids}
        self.assertEqual(set(by_partner), {self.customer, self.colleague.partner_id}, "no one notified twice")
        self.assertEqual(by_partner[self.customer].notification_type, "email")
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn("您好，包裹已到达", mail.body_html)
        self.assertEqual(wakings(self.env, QUEUE_CRON), queued + 1)
        mail.send()
        self.assertEqual(by_partner[self.customer].notification_status, "sent")

    def test_internal_note_schedules_nothing(self):
        scheduled = wakings(self.env, SCHEDULED_CRON)
        message = self.post("mail.mt_note")
        self.assertFalse(self.env["mail.message.schedule"].search([("mail_message_id", "=", message.id)]))
        self.assertEqual(wakings(self.env, SCHEDULED_CRON), scheduled)


@tagged("post_install", "-at_install")
class TestConversationPortal(HttpCase):
    """The customer answers or closes a ticket from the portal, as the portal chatter posts it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["cs.sla.policy"].search([]).active = False
        cls.team = cls.env["cs.ticket.team"].create({"name": "Portal Team", "assignment_method": "manual"})
        cls.policy = cls.env["cs.sla.policy"].create(
            {
                "name": "portal policy",
                "time_unit": "hours",
                "first_response_time": 24,
                "team_ids": [Command.link(cls.team.id)],
                "pause_stage_ids": [Command.link(cls.env.ref("cs_helpdesk.stage_waiting").id)],
            }
        )
        cls.customer = new_test_user(
            cls.env, "cs_portal_reply", groups="base.group_portal", name="客户 C", email="customer.c@example.com"
        )
        cls.ticket = cls.env["cs.ticket"].create(
            {"name": "发票抬头", "team_id": cls.team.id, "partner_id": cls.customer.partner_id.id}
        )

    def test_portal_reply_resumes_and_close_before_answer_is_not_met(self):
        self.ticket.stage_id = self.env.ref("cs_helpdesk.stage_waiting")
        line = self.ticket.sla_ids
        self.assertEqual(line.status, "paused")
        self.authenticate("cs_portal_reply", "cs_portal_reply")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "cs.ticket",
                "thread_id": self.ticket.id,
                # as the portal composer posts it (portal_composer.js)
                "post_data": {"body": "抬头改好了吗？", "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
                "token": self.ticket._portal_ensure_token(),
            },
        )
        self.ticket.invalidate_recordset()
        line.invalidate_recordset()
        self.assertEqual(self.ticket.stage_id, self.env.ref("cs_helpdesk.stage_in_progress"))
        self.assertEqual(line.status, "running")

        response = self.url_open(
            f"/my/tickets/{self.ticket.id}/close",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.ticket.invalidate_recordset()
        line.invalidate_recordset()
        self.assertTrue(self.ticket.is_closed)
        self.assertEqual(line.status, "failed", "closed by the customer before anyone answered: not met")
        self.assertFalse(
            self.env["cs.ticket"].search([("origin_ticket_id", "=", self.ticket.id)]),
            "the closing note opens no follow-up ticket",
        )
