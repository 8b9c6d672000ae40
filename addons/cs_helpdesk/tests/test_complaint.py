from datetime import datetime

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .complaint_common import CsComplaintCase


@tagged("post_install", "-at_install")
class TestComplaint(CsComplaintCase):
    # ------------------------------------------------------------------ registration and review
    def test_new_complaint_is_registered(self):
        ticket = self.make_complaint(user=self.agent1)
        self.assertEqual(ticket.complaint_state, "registered")
        question = self.make_ticket(type_id=self.type_question.id)
        self.assertFalse(question.complaint_state, "only complaints follow the complaint steps")

    def test_agent_cannot_review(self):
        ticket = self.make_complaint(user=self.agent1)
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent1).action_complaint_review()
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent1).write({"complaint_reviewer_id": self.agent1.id})
        with self.assertRaises(ValidationError):
            ticket.with_user(self.agent1).write({"complaint_state": "reviewed"})
        self.assertEqual(ticket.complaint_state, "registered")
        self.assertFalse(ticket.complaint_reviewer_id)

        ticket.with_user(self.handler).action_complaint_review()
        self.assertEqual(ticket.complaint_state, "reviewed")
        self.assertEqual(ticket.complaint_reviewer_id, self.handler)
        self.assertTrue(ticket.complaint_review_date)

    def test_leader_and_manager_are_complaint_handlers(self):
        for user in (self.leader, self.manager):
            self.assertTrue(user.has_group("cs_helpdesk.group_complaint_handler"))
        self.assertFalse(self.agent1.has_group("cs_helpdesk.group_complaint_handler"))
        ticket = self.make_complaint()
        ticket.with_user(self.leader).action_complaint_review()
        self.assertEqual(ticket.complaint_reviewer_id, self.leader)

    def test_review_cannot_be_skipped(self):
        ticket = self.make_complaint(user=self.agent1)
        with self.assertRaises(UserError):
            ticket.with_user(self.agent1).action_complaint_investigate()
        with self.assertRaises(UserError):
            ticket.with_user(self.agent1).write({"complaint_state": "investigating"})
        with self.assertRaises(UserError):
            ticket.with_user(self.agent1).action_complaint_feedback()
        with self.assertRaises(UserError):
            self.make_complaint(user=self.agent1, complaint_state="feedback")
        # a superuser writing the step still cannot leave the reviewer out
        with self.assertRaises(ValidationError):
            ticket.sudo().write({"complaint_state": "reviewed"})
        self.assertEqual(ticket.complaint_state, "registered")

    def test_review_needs_a_complete_registration(self):
        ticket = self.make_complaint(description=False, complaint_severity=False)
        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.handler).action_complaint_review()
        message = str(caught.exception)
        self.assertIn("complaint matter", message)
        self.assertIn("severity", message)
        self.assertEqual(ticket.complaint_state, "registered")

    # ------------------------------------------------------------------ resolution and closing
    def test_resolve_blocked_without_feedback(self):
        ticket = self.make_complaint()
        self.investigate(ticket)
        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.agent1).write({"stage_id": self.stage_resolved.id, "priority": "3"})
        self.assertIn("feedback", str(caught.exception))
        # nothing half-saved
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.priority, "1")
        self.assertFalse(ticket.resolved_date)
        self.assertFalse(ticket.followup_ids)

        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.agent1).action_complaint_feedback()
        self.assertIn("feedback date", str(caught.exception))
        self.assertIn("feedback channel", str(caught.exception))

        self.give_feedback(ticket)
        self.assertEqual(ticket.complaint_state, "feedback")
        ticket.with_user(self.agent1).stage_id = self.stage_waiting
        self.assertEqual(ticket.complaint_state, "feedback", "moving between open stages keeps the feedback")
        self.assertTrue(ticket.complaint_feedback_date)
        ticket.with_user(self.agent1).stage_id = self.stage_resolved
        self.assertTrue(ticket.is_resolved)
        self.assertEqual(ticket.complaint_state, "return_visit")

    def test_resolve_through_the_form_is_refused(self):
        ticket = self.make_complaint()
        self.investigate(ticket)
        form = Form(ticket.with_user(self.agent1))
        form.stage_id = self.stage_resolved
        with self.assertRaises(UserError):
            form.save()
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, self.stage_new)

    def test_close_blocked_without_return_visit(self):
        ticket = self.complaint_to_return_visit()
        visit = ticket.followup_ids
        self.assertEqual(len(visit), 1, "a resolved complaint always gets a return visit")
        self.assertEqual(visit.source, "complaint")
        self.assertEqual(ticket.followup_status, "planned")

        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.agent1).stage_id = self.stage_closed
        self.assertIn("return visit", str(caught.exception))
        with self.assertRaises(UserError):
            ticket.with_user(self.handler).action_complaint_archive()
        self.assertFalse(ticket.is_closed)
        self.assertEqual(ticket.complaint_state, "return_visit")

        visit.with_user(self.agent1).evaluation = "处理及时，满意。"
        visit.with_user(self.agent1).action_satisfied()
        self.assertEqual(ticket.followup_status, "satisfied")
        self.assertEqual(ticket.complaint_evaluation_result, "satisfied")
        self.assertEqual(ticket.complaint_evaluation, "处理及时，满意。")

        ticket.with_user(self.handler).action_complaint_archive()
        self.assertTrue(ticket.is_closed)
        self.assertEqual(ticket.complaint_state, "archived")

    def test_reopened_complaint_needs_a_new_feedback(self):
        ticket = self.complaint_to_return_visit()
        ticket.with_user(self.agent1).action_reopen()
        self.assertFalse(ticket.is_resolved)
        self.assertEqual(ticket.complaint_state, "investigating")
        self.assertFalse(ticket.complaint_feedback_date)
        with self.assertRaises(UserError):
            ticket.with_user(self.agent1).stage_id = self.stage_resolved

    def test_changing_the_type_starts_the_complaint_steps(self):
        ticket = self.make_ticket(type_id=self.type_question.id, description="<p>态度很差</p>")
        ticket.type_id = self.type_complaint
        self.assertEqual(ticket.complaint_state, "registered")
        with self.assertRaises(UserError):
            ticket.stage_id = self.stage_resolved

    # ------------------------------------------------------------------ escalation
    def _escalation_rules(self):
        Rule = self.env["cs.complaint.escalation"]
        serious = Rule.create({"severity": "serious", "level": "3", "notify_leader": True})
        critical = Rule.create(
            {
                "severity": "critical",
                "level": "4",
                "notify_leader": True,
                "notify_managers": True,
                "assign_to": "leader",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            }
        )
        return serious, critical

    def _notified(self, ticket):
        messages = ticket.message_ids.filtered(lambda m: "escalated" in (m.body or ""))
        return messages.notified_partner_ids

    def test_severity_escalation(self):
        self._escalation_rules()
        normal = self.make_complaint(user=self.agent1)
        self.assertFalse(normal.complaint_escalation_level, "no rule for normal complaints")

        ticket = self.make_complaint(user=self.agent1, complaint_severity="serious")
        self.assertEqual(ticket.complaint_escalation_level, "3")
        self.assertTrue(ticket.complaint_escalation_date)
        self.assertEqual(ticket.user_id, self.agent1, "serious: the leader is told, the agent keeps it")
        self.assertEqual(self._notified(ticket), self.leader.partner_id)

        ticket.with_user(self.agent1).complaint_severity = "critical"
        self.assertEqual(ticket.complaint_escalation_level, "4")
        self.assertEqual(ticket.user_id, self.leader, "critical: handed over to the team leader")
        self.assertIn(self.manager.partner_id, self._notified(ticket))
        activity = ticket.activity_ids.filtered(lambda a: a.user_id == self.leader)
        self.assertEqual(len(activity), 1)

        escalations = len(ticket.message_ids)
        ticket.with_user(self.leader).complaint_severity = "normal"
        ticket.with_user(self.leader).complaint_severity = "critical"
        self.assertEqual(ticket.complaint_escalation_level, "4", "an escalation is never taken back")
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: "escalated" in (m.body or ""))),
            2,
            "no second escalation to the same level",
        )
        self.assertGreaterEqual(len(ticket.message_ids), escalations)

    def test_escalation_rules_per_company_and_severity(self):
        self._escalation_rules()
        with self.assertRaises(ValidationError):
            self.env["cs.complaint.escalation"].create({"severity": "serious", "level": "4"})

    # ------------------------------------------------------------------ approval
    def test_approval_flow(self):
        ticket = self.make_complaint(complaint_compensation=300)
        self.investigate(ticket)
        self.assertTrue(ticket.complaint_approval_required, "300 is above the team's 100")
        with self.assertRaises(UserError) as caught:
            self.give_feedback(ticket)
        self.assertIn("approval", str(caught.exception))
        self.assertEqual(ticket.complaint_state, "investigating")

        with self.assertRaises(AccessError):
            ticket.with_user(self.agent1).write({"complaint_approval_state": "approved"})
        ticket.with_user(self.agent1).action_complaint_request_approval()
        self.assertEqual(ticket.complaint_approval_state, "pending")
        request = ticket.message_ids.filtered(lambda m: "Approval requested" in (m.body or ""))
        self.assertIn(self.manager.partner_id, request.notified_partner_ids)
        with self.assertRaises(AccessError):
            ticket.with_user(self.leader).action_complaint_approve()

        action = ticket.with_user(self.manager).action_complaint_refuse()
        wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
        wizard.reason = "赔偿金额过高，请先与客户协商退货退款。"
        wizard.save().action_refuse()
        self.assertEqual(ticket.complaint_approval_state, "refused")
        self.assertEqual(ticket.complaint_refusal_reason, "赔偿金额过高，请先与客户协商退货退款。")
        with self.assertRaises(UserError):
            self.give_feedback(ticket)

        ticket.with_user(self.agent1).complaint_compensation = 150
        ticket.with_user(self.agent1).action_complaint_request_approval()
        ticket.with_user(self.manager).action_complaint_approve()
        self.assertEqual(ticket.complaint_approval_state, "approved")
        self.assertEqual(ticket.complaint_approver_id, self.manager)
        self.assertEqual(ticket.complaint_approved_amount, 150)

        ticket.with_user(self.agent1).complaint_compensation = 200
        self.assertEqual(ticket.complaint_approval_state, "none", "a higher compensation needs a new approval")
        ticket.with_user(self.agent1).complaint_compensation = 150
        ticket.with_user(self.agent1).action_complaint_request_approval()
        ticket.with_user(self.manager).action_complaint_approve()
        self.give_feedback(ticket)
        self.assertEqual(ticket.complaint_state, "feedback")

    def test_needs_approval_checkbox(self):
        ticket = self.make_complaint()
        self.investigate(ticket)
        self.assertFalse(ticket.complaint_approval_required)
        with self.assertRaises(UserError):
            ticket.with_user(self.agent1).action_complaint_request_approval()
        ticket.with_user(self.agent1).complaint_needs_approval = True
        self.assertTrue(ticket.complaint_approval_required)
        with self.assertRaises(UserError):
            self.give_feedback(ticket)

    def test_refusal_needs_a_reason(self):
        ticket = self.make_complaint(complaint_needs_approval=True)
        self.investigate(ticket)
        ticket.with_user(self.agent1).action_complaint_request_approval()
        with self.assertRaises(UserError):
            ticket.with_user(self.manager)._complaint_refuse("  ")

    # ------------------------------------------------------------------ periodic report
    def test_complaint_digest_cron_mails_managers(self):
        monday = datetime(2024, 6, 17, 1, 0)
        with self.mock_now(datetime(2024, 6, 12, 3, 0)):
            self.make_complaint(complaint_aspect_id=self.aspect.id)
            self.make_tickets([{"name": f"咨询 {index}"} for index in range(3)])
        with self.mock_now(datetime(2024, 6, 1, 3, 0)):
            self.make_complaint(name="上个月的投诉")  # before the period
        self.env["mail.mail"].search([]).unlink()
        with self.mock_now(monday):
            self.env["cs.ticket"]._cron_send_complaint_digest()
        mails = self.env["mail.mail"].search([])  # whatever the managers' language, only the digest was sent
        self.assertTrue(mails)
        recipients = mails.recipient_ids
        self.assertIn(self.manager.partner_id, recipients)
        self.assertNotIn(self.agent1.partner_id, recipients)
        self.assertNotIn(self.leader.partner_id, recipients)
        body = mails[0].body_html
        self.assertIn("Test Logistics", body)
        self.assertIn("25.0%", body, "1 complaint out of 4 tickets in the week")

    def test_complaint_report(self):
        self.make_complaint(complaint_aspect_id=self.aspect.id)
        self.make_tickets([{"name": "咨询"}, {"name": "查件"}, {"name": "售后"}])
        self.env.flush_all()
        groups = self.env["cs.complaint.report"]._read_group(
            [("team_id", "=", self.team.id)],
            ["team_id"],
            ["ticket_count:sum", "complaint_count:sum", "complaint_rate:avg"],
        )
        self.assertEqual(groups, [(self.team, 4, 1, 0.25)])
        by_aspect = self.env["cs.complaint.report"]._read_group(
            [("team_id", "=", self.team.id), ("is_complaint", "=", True)], ["aspect_id"], ["__count"]
        )
        self.assertEqual(by_aspect, [(self.aspect, 1)])

    def test_attributed_agents_group_complaints(self):
        first = self.make_complaint(complaint_user_ids=[Command.set([self.agent2.id])])
        self.make_complaint(complaint_user_ids=[Command.set([self.agent2.id, self.agent3.id])])
        groups = dict(
            self.env["cs.ticket"]._read_group(
                [("complaint_state", "!=", False), ("team_id", "=", self.team.id)], ["complaint_user_ids"], ["__count"]
            )
        )
        self.assertEqual(groups[self.agent2], 2)
        self.assertEqual(groups[self.agent3], 1)
        self.assertTrue(first.complaint_user_ids)

    def test_feedback_date_is_kept_in_history(self):
        ticket = self.make_complaint()
        self.investigate(ticket)
        when = fields.Datetime.now()
        self.give_feedback(ticket, complaint_feedback_date=when, complaint_feedback_channel="email")
        self.assertEqual(ticket.complaint_feedback_date, when)
        self.assertEqual(ticket.complaint_feedback_channel, "email")
