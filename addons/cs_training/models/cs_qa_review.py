from odoo import models
from odoo.addons.cs_helpdesk.models.cs_settings import get_float_param, get_int_param

from .cs_training_record import DEFAULT_QA_SAMPLE, QA_SAMPLE_PARAM

LOW_QA_PARAM = "cs_training.low_qa_threshold"
DEFAULT_LOW_QA = 80.0  # the seeds give a 100-point scale (N7) but no threshold


class CsQaReview(models.Model):
    _inherit = "cs.qa.review"

    def write(self, vals):
        was_final = {review.id for review in self if review.is_final}
        res = super().write(vals)
        if "state" in vals:
            self.filtered(lambda r: r.is_final and r.id not in was_final)._assign_training()
        return res

    def _assign_training(self):
        """Closes the loop QA → training: a failed critical criterion or a low QA average enrols the agent.

        A failed review also drafts the penalty of the rule set to draw from failed QA reviews, if any.
        """
        Course = self.env["cs.training.course"].sudo()
        Record = self.env["cs.training.record"]
        threshold = get_float_param(self.env, LOW_QA_PARAM, DEFAULT_LOW_QA)
        size = get_int_param(self.env, QA_SAMPLE_PARAM, DEFAULT_QA_SAMPLE, minimum=1)
        for review in self:
            employee = review.agent_id.sudo().employee_ids.filtered(lambda e, r=review: e.company_id == r.company_id)[
                :1
            ]
            if not employee:
                continue
            failed = review.line_ids.filtered(lambda line: line.critical and line.failed).criterion_id
            courses = Course.search([("qa_criterion_ids", "in", failed.ids)]) if failed else Course
            average = Record._qa_average(
                [("agent_id", "=", review.agent_id.id), ("is_final", "=", True)], "feedback_date desc, id desc", size
            )
            if average < threshold:
                courses |= Course.search([("assign_on_low_qa", "=", True), ("company_id", "=", review.company_id.id)])
            if courses:
                Record._enrol(employee, courses, "quality", qa_review=review)
            rule = self.env["cs.incentive.rule"]._automatic("qa_failed", review.company_id)
            if rule and not review.passed:
                self.env["cs.incentive.record"]._draft_from_source(
                    rule, employee, review, note=self.env._("Failed QA review %(review)s", review=review.name)
                )
