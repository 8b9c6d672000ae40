from datetime import datetime, timedelta

from freezegun import freeze_time
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .common import CsQualityCase


class TestReview(CsQualityCase):
    def _review(self, ticket, inspector=None, **values):
        return (
            self.env["cs.qa.review"]
            .with_user(inspector or self.inspector1)
            .create(dict({"ticket_id": ticket.id, "inspector_id": (inspector or self.inspector1).id}, **values))
        )

    def test_only_closed_tickets(self):
        ticket = self.make_ticket(user_id=self.agent1.id)
        with self.assertRaisesRegex(UserError, "Only closed tickets"):
            self._review(ticket)

    def test_inspector_never_reviews_own_ticket(self):
        self.inspector1.groups_id = [Command.link(self.env.ref("cs_helpdesk.group_agent").id)]
        ticket = self.closed_ticket(agent=self.inspector1)
        with self.assertRaisesRegex(ValidationError, "own tickets"):
            self._review(ticket)

    def test_score_total_and_critical_failure(self):
        review = self._review(self.closed_ticket())
        self.assertEqual(review.agent_id, self.agent1)
        self.assertEqual(len(review.line_ids), len(self.scorecard.criterion_ids))
        self.answer_all(review)
        self.assertEqual(review.score, 100)
        self.assertTrue(review.passed)
        attitude = review.line_ids.filtered(lambda line: line.criterion_id.name == "Service attitude")
        attitude.answer_scale = "3"  # 3/5 of 15 points
        self.assertAlmostEqual(review.score, 94.0)
        polite = review.line_ids.filtered(lambda line: line.criterion_id.name == "Ten polite words")
        polite.answer_yes_no = "no"
        self.assertAlmostEqual(review.score, 84.0)
        self.assertTrue(review.passed)
        escalation = review.line_ids.filtered(
            lambda line: line.criterion_id.critical and line.criterion_id.name.startswith("Escal")
        )
        escalation.answer_yes_no = "no"
        self.assertTrue(review.critical_failed)
        self.assertEqual(review.score, 0)
        self.assertAlmostEqual(review.raw_score, 74.0)
        self.assertFalse(review.passed)

    def test_send_acknowledge(self):
        review = self._review(self.closed_ticket())
        with self.assertRaisesRegex(UserError, "Answer every criterion"):
            review.action_send()
        self.answer_all(review, yes=False)
        with self.assertRaisesRegex(UserError, "root cause"):
            review.action_send()
        for line in review.line_ids:
            line.root_cause_id = line.criterion_id.root_cause_ids[:1]
        review.action_send()
        self.assertEqual(review.state, "done")
        self.assertIn(self.agent1.partner_id, review.message_partner_ids)
        with self.assertRaisesRegex(UserError, "Only the reviewed agent"):
            review.with_user(self.agent2).action_acknowledge()
        review.with_user(self.agent1).action_acknowledge()
        self.assertEqual(review.state, "acknowledged")

    def test_appeal_goes_to_another_inspector(self):
        review = self._review(self.closed_ticket())
        self.answer_all(review)
        review.action_send()
        wizard = Form(self.env["cs.qa.appeal.wizard"].with_user(self.agent1).with_context(default_review_id=review.id))
        wizard.reason = "客户的问题我已升级处理。"
        wizard.save().action_appeal()
        self.assertEqual(review.state, "appealed")
        second = review.appeal_review_id
        self.assertEqual(second.kind, "appeal")
        self.assertNotEqual(second.inspector_id, self.inspector1)
        self.assertNotEqual(second.inspector_id, self.agent1)
        with self.assertRaisesRegex(ValidationError, "another inspector"):
            second.sudo().inspector_id = self.inspector1
        second = second.with_user(second.inspector_id)
        self.answer_all(second)
        second.with_user(second.inspector_id).action_send()
        self.assertEqual(review.state, "revised")
        self.assertFalse(review.is_final)
        self.assertTrue(second.is_final)

    def test_appeal_deadline(self):
        self.env["ir.config_parameter"].sudo().set_param("cs_quality.appeal_days", 3)
        review = self._review(self.closed_ticket())
        self.answer_all(review)
        with freeze_time(datetime(2026, 3, 2, 9)):
            review.action_send()
        with freeze_time(datetime(2026, 3, 2, 9) + timedelta(days=3, minutes=1)):
            with self.assertRaisesRegex(UserError, "appeal period"):
                review.with_user(self.agent1).action_appeal("too late")
        self.assertEqual(review.state, "done")
        with self.assertRaisesRegex(UserError, "reason"):
            review.with_user(self.agent1).action_appeal(" ")

    def test_agent_cannot_edit_review(self):
        review = self._review(self.closed_ticket())
        with self.assertRaises(AccessError):
            review.with_user(self.agent1).write({"feedback": "<p>mine</p>"})

    def test_calibration_spread(self):
        ticket = self.closed_ticket()
        session = self.env["cs.qa.calibration"].create(
            {
                "name": "Calibration",
                "ticket_id": ticket.id,
                "inspector_ids": [Command.set((self.inspector1 | self.inspector2).ids)],
            }
        )
        session.action_start()
        self.assertEqual(len(session.review_ids), 2)
        first, second = session.review_ids.sorted("id")
        self.answer_all(first)
        self.answer_all(second)
        polite = second.line_ids.filtered(lambda line: line.criterion_id.name == "Ten polite words")
        polite.write({"answer_yes_no": "no", "root_cause_id": self.env.ref("cs_quality.root_cause_attitude").id})
        (first | second).action_send()
        self.assertAlmostEqual(session.score_spread, 10.0)
        self.assertAlmostEqual(session.score_avg, 95.0)
        self.assertFalse(first.is_final, "calibration reviews do not count in the agent's average")

    def test_review_form_query_count_does_not_grow(self):
        """The conversation beside the scorecard costs the same queries whatever its length."""
        short = self.closed_ticket(replies=["您好"])
        long = self.closed_ticket(replies=[f"您好，第 {index} 条回复" for index in range(30)])
        reviews = self._review(short) | self._review(long)
        spec = {
            "conversation": {},
            "line_ids": {
                "fields": {"criterion_id": {"fields": {"display_name": {}}}, "score": {}, "answer_yes_no": {}}
            },
            "ticket_id": {"fields": {"display_name": {}}},
            "score": {},
        }
        counts = []
        for review in reviews:
            # fill the caches that do not depend on the record (access rules, refs), one record at a time
            self.env.invalidate_all()
            review.with_user(self.inspector1).web_read(spec)
            self.env.invalidate_all()
            queries_before = self.cr.sql_log_count
            review.with_user(self.inspector1).web_read(spec)
            counts.append(self.cr.sql_log_count - queries_before)
        self.assertEqual(counts[0], counts[1])
        self.env.invalidate_all()
        with self.assertQueryCount(counts[1]):
            reviews[1].with_user(self.inspector1).web_read(spec)
        self.assertIn("第 29 条回复", reviews[1].conversation)
