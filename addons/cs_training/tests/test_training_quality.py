from freezegun import freeze_time
from odoo import Command
from odoo.addons.cs_quality.tests.common import CsQualityCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestTrainingFromQuality(CsQualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls.env["hr.employee"].create(
            {"name": "质检客服", "user_id": cls.agent1.id, "tz": "Asia/Shanghai"}
        )
        cls.critical = cls.scorecard.criterion_ids.filtered("critical")[:1]
        Course = cls.env["cs.training.course"]
        cls.course_critical = Course.create(
            {"name": "升级处理规范", "category": "process", "qa_criterion_ids": [Command.set(cls.critical.ids)]}
        )
        cls.course_low = Course.create({"name": "服务技巧提升", "category": "communication", "assign_on_low_qa": True})

    def send_review(self, passed_critical=True, yes=True):
        review = (
            self.env["cs.qa.review"]
            .with_user(self.inspector1)
            .create({"ticket_id": self.closed_ticket().id, "inspector_id": self.inspector1.id})
        )
        self.answer_all(review, yes=yes)
        if not passed_critical:
            review.line_ids.filtered(lambda line: line.criterion_id == self.critical).answer_yes_no = "no"
        for line in review.line_ids.filtered("failed"):
            line.root_cause_id = line.criterion_id.root_cause_ids[:1]
        review.action_send()
        return review

    def records(self):
        """The enrolments in this test's courses (demo courses may also be linked to the scorecard)."""
        courses = self.course_critical | self.course_low
        return self.env["cs.training.record"].search(
            [("employee_id", "=", self.employee.id), ("course_id", "in", courses.ids)]
        )

    def test_good_review_assigns_nothing(self):
        self.send_review()
        self.assertFalse(self.records())

    def test_failed_critical_criterion_assigns_course(self):
        self.send_review()
        review = self.send_review(passed_critical=False)
        record = self.records()
        # the failed critical item gives a 0 score: the average (50) is low too
        self.assertEqual(record.course_id, self.course_critical | self.course_low)
        self.assertEqual(set(record.mapped("origin")), {"quality"})
        self.assertEqual(record.qa_review_id, review)
        # sent again later: no second enrolment while the first is open
        self.send_review(passed_critical=False)
        self.assertEqual(len(self.records()), 2)

    def test_low_average_threshold_is_a_setting(self):
        self.env["ir.config_parameter"].set_param("cs_training.low_qa_threshold", "50")
        self.send_review()
        self.send_review()
        self.send_review(passed_critical=False)  # average 66.7
        self.assertEqual(self.records().course_id, self.course_critical)

    def test_kpi_before_after_on_record(self):
        # 23:30 UTC: already the 30th in Shanghai (the employee's zone) and in the zones an hour ahead of UTC
        with freeze_time("2026-11-29 23:30:00"):
            self.send_review()
            record = self.env["cs.training.record"]._enrol(self.employee, self.course_low, "manual")
        self.assertEqual(str(record.date_enrolled), "2026-11-30", "enrolled on the employee's day")
        self.assertEqual(record.kpi_before, 0.0, "no review before the enrolment date")
        record.date_enrolled = "2026-12-01"
        self.assertEqual(record.kpi_before, 100.0)

    def test_kpi_before_counts_days_of_the_employee_zone(self):
        with freeze_time("2026-11-29 15:30:00"):  # 23:30 on the 29th in Shanghai
            self.send_review()
        with freeze_time("2026-11-29 16:30:00"):  # 00:30 on the 30th in Shanghai, still the 29th in UTC
            record = self.env["cs.training.record"]._enrol(self.employee, self.course_low, "manual")
        self.assertEqual(str(record.date_enrolled), "2026-11-30")
        self.assertEqual(record.kpi_before, 100.0, "sent the day before the enrolment, in the employee's zone")

    def test_failed_review_drafts_the_qa_penalty(self):
        rule = self.env["cs.incentive.rule"].create(
            {"code": "T-QA", "name": "质检不合格", "amount": 20, "automatic_source": "qa_failed"}
        )
        self.send_review()
        review = self.send_review(passed_critical=False)
        draft = self.env["cs.incentive.record"].search([("rule_id", "=", rule.id)])
        self.assertEqual((draft.employee_id, draft.res_model, draft.res_id), (self.employee, "cs.qa.review", review.id))
