from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    cs_esat = fields.Boolean(
        string="Employee Satisfaction (ESAT)",
        help="Answers of employees to this survey make the ESAT of their customer service teams in the KPI "
        "snapshots of the period they answered in: the score of each answer as a share of the maximum score.",
    )

    @api.constrains("cs_esat", "scoring_type")
    def _check_cs_esat(self):
        for survey in self:
            if survey.cs_esat and survey.scoring_type == "no_scoring":
                raise ValidationError(
                    self.env._(
                        "The employee satisfaction survey “%s” needs a scoring: give the answers their points.",
                        survey.title,
                    )
                )
