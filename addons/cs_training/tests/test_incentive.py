from freezegun import freeze_time
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CsIncentiveCase


@tagged("post_install", "-at_install")
class TestIncentiveAmounts(CsIncentiveCase):
    def test_third_violation_of_the_month_doubled_new_month_starts_over(self):
        amounts = [self.approved(self.rule_nth, day).amount for day in ("2026-03-05", "2026-03-12", "2026-03-31")]
        self.assertEqual(amounts, [15, 15, 30])
        self.assertEqual(self.approved(self.rule_nth, "2026-04-01").amount, 15, "a new month starts over")
        sixth = [self.approved(self.rule_nth, "2026-04-0%d" % day).amount for day in range(2, 7)]
        self.assertEqual(sixth, [15, 30, 15, 15, 30], "every third of the month is doubled")

    def test_drafts_and_cancelled_records_do_not_count(self):
        self.approved(self.rule_nth, "2026-05-02")
        self.record(self.rule_nth, "2026-05-03")
        cancelled = self.approved(self.rule_nth, "2026-05-04")
        cancelled.with_user(self.manager).action_cancel()
        self.approved(self.rule_nth, "2026-05-05")
        self.assertEqual(self.approved(self.rule_nth, "2026-05-06").amount, 30)

    def test_other_employee_and_other_rule_do_not_count(self):
        self.approved(self.rule_nth, "2026-05-02")
        self.approved(self.rule_nth, "2026-05-03", employee=self.emp_other)
        self.approved(self.rule_progressive, "2026-05-03")
        self.assertEqual(self.approved(self.rule_nth, "2026-05-04").amount, 15)

    def test_complaint_fine_doubles_progressively(self):
        amounts = [self.approved(self.rule_progressive, f"2026-06-{day:02d}").amount for day in (3, 9, 17, 30)]
        self.assertEqual(amounts, [20, 40, 80, 160])
        self.assertEqual(self.approved(self.rule_progressive, "2026-07-01").amount, 20)

    def test_reward_in_range_doubled_every_third(self):
        amounts = [self.approved(self.rule_range, "2026-06-1%d" % day, base_amount=50).amount for day in range(3)]
        self.assertEqual(amounts, [50, 50, 100])

    def test_amount_outside_range_refused(self):
        for amount in (29, 301):
            with self.assertRaises(ValidationError) as caught:
                self.record(self.rule_range, "2026-06-10", base_amount=amount)
            self.assertIn("300.00", str(caught.exception))
        self.assertEqual(self.record(self.rule_range, "2026-06-10").base_amount, 30, "the minimum by default")
        with self.assertRaises(ValidationError):
            self.record(self.rule_nth, "2026-06-10", base_amount=20)

    def test_rule_needs_a_valid_amount(self):
        Rule = self.env["cs.incentive.rule"]
        with self.assertRaises(ValidationError):
            Rule.create({"code": "BAD1", "name": "No amount", "kind": "penalty"})
        with self.assertRaises(ValidationError):
            Rule.create(
                {"code": "BAD2", "name": "Inverted", "amount_type": "range", "amount_min": 50, "amount_max": 30}
            )

    def test_no_self_approval_and_approver_recorded(self):
        own = self.record(self.rule_nth, "2026-06-10", employee=self.emp_manager)
        with self.assertRaises(UserError) as caught:
            own.with_user(self.manager).action_approve()
        self.assertIn("your own", str(caught.exception))
        self.assertEqual(own.state, "draft")
        own.with_user(self.manager2).action_approve()
        self.assertEqual((own.state, own.approver_id), ("approved", self.manager2))
        self.assertTrue(own.approval_date)
        own.with_user(self.manager2).action_apply()
        self.assertEqual(own.state, "applied")

    def test_cancelled_record_reset_to_draft_and_approved_again(self):
        self.approved(self.rule_nth, "2026-08-01")
        self.approved(self.rule_nth, "2026-08-02")
        third = self.approved(self.rule_nth, "2026-08-03")
        third.with_user(self.manager).action_cancel()
        third.with_user(self.manager).action_draft()
        self.assertEqual((third.state, third.approver_id.id), ("draft", False))
        third.with_user(self.manager2).action_approve()
        self.assertEqual((third.amount, third.approver_id), (30, self.manager2))

    def test_batch_approval_counts_in_date_order(self):
        later = self.record(self.rule_progressive, "2026-09-20")
        earlier = self.record(self.rule_progressive, "2026-09-05")
        (later | earlier).with_user(self.manager).action_approve()
        self.assertEqual((earlier.amount, later.amount), (20, 40))

    def test_default_date_in_the_employee_time_zone(self):
        self.emp_agent.tz = "Asia/Shanghai"
        # 17:30 UTC on March 31 is April 1 in Shanghai: the record counts in April
        with freeze_time("2027-03-31 17:30:00"):
            record = self.env["cs.incentive.record"].create(
                {"employee_id": self.emp_agent.id, "rule_id": self.rule_nth.id}
            )
        self.assertEqual(record.date.isoformat(), "2027-04-01")

    def test_no_self_approval_through_a_plain_write(self):
        own = self.record(self.rule_nth, "2026-06-10", employee=self.emp_manager).with_user(self.manager)
        with self.assertRaises(UserError):
            own.write({"state": "approved", "approver_id": self.manager2.id})
        other = self.record(self.rule_nth, "2026-06-10").with_user(self.manager)
        with self.assertRaises(UserError):
            other.write({"state": "approved", "approver_id": self.manager2.id})
        with self.assertRaises(UserError):
            other.write({"state": "applied"})
        with self.assertRaises(UserError):
            other.write({"approver_id": self.manager.id})
        self.assertEqual((own.state, other.state), ("draft", "draft"))

    def test_approved_record_is_frozen(self):
        record = self.approved(self.rule_nth, "2026-06-10")
        with self.assertRaises(UserError):
            record.with_user(self.manager).base_amount = 30
        with self.assertRaises(UserError):
            record.with_user(self.manager).action_approve()
        record.with_user(self.manager).note = "补充说明"
        self.assertEqual(record.note, "补充说明")

    def test_form_defaults_amount_from_rule(self):
        form = Form(self.env["cs.incentive.record"].with_user(self.leader))
        form.employee_id = self.emp_agent
        form.rule_id = self.rule_nth
        self.assertEqual(form.base_amount, 15)
        record = form.save()
        self.assertEqual((record.state, record.amount, record.signed_amount), ("draft", 15, -15))

    def test_seeded_rules(self):
        fine = self.env.ref("cs_training.incentive_rule_complaint_fine")
        self.assertEqual((fine.amount, fine.escalation, fine.automatic_source), (20, "progressive", "complaint"))
        tier3 = self.env.ref("cs_training.incentive_rule_penalty_tier3")
        self.assertEqual((tier3.amount_min, tier3.amount_max, tier3.dismissal_possible), (30, 200, True))
        tier5 = self.env.ref("cs_training.incentive_rule_reward_tier5")
        self.assertEqual((tier5.amount_min, tier5.amount_max, tier5.promotion_possible), (30, 300, True))
