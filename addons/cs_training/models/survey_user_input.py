from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        """A finished attempt of a course's written exam goes to the trainee's open training record."""
        res = super()._mark_done()
        Record = self.env["cs.training.record"].sudo()
        for answer in self.filtered(lambda a: a.survey_id.certification and a.partner_id and not a.test_entry):
            records = Record.search(
                [
                    ("course_id.survey_id", "=", answer.survey_id.id),
                    ("user_id.partner_id", "=", answer.partner_id.id),
                    ("state", "in", ("enrolled", "failed")),
                ]
            )
            records._apply_exam(answer)
        return res
