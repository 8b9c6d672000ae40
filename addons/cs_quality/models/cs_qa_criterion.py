from odoo import api, fields, models
from odoo.exceptions import ValidationError

# answers of a scale criterion are offered as a drop-down from 0 to this value
MAX_SCALE = 10

AUTO_CHECKS = [
    ("polite", "Polite Words Used"),
    ("negative", "No Negative Phrases"),
    ("first_response", "First Response within SLA"),
    ("apology", "Apology on Complaints"),
    ("unanswered", "No Question Left Unanswered"),
]


class CsQaCriterion(models.Model):
    _name = "cs.qa.criterion"
    _description = "QA Scorecard Criterion"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one("cs.qa.scorecard", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(string="Guideline", translate=True, help="What the inspector looks for.")
    weight = fields.Float(required=True, default=10.0, help="Points of the criterion out of the scorecard's 100.")
    answer_type = fields.Selection([("yes_no", "Yes / No"), ("scale", "Scale")], required=True, default="yes_no")
    scale_max = fields.Integer(
        string="Scale Maximum", default=5, help="Answers range from 0 to this value; the points are prorated."
    )
    critical = fields.Boolean(help="Failing this criterion fails the whole review, whatever the total.")
    auto_check = fields.Selection(
        AUTO_CHECKS, help="Automatic check whose result pre-fills the answer; the inspector confirms or overrides it."
    )
    root_cause_ids = fields.Many2many(
        "cs.qa.root.cause", string="Root Causes", help="Causes the inspector chooses from when the answer is negative."
    )

    @api.constrains("weight", "answer_type", "scale_max")
    def _check_values(self):
        for criterion in self:
            if criterion.weight <= 0:
                raise ValidationError(self.env._("The weight of criterion “%s” must be positive.", criterion.name))
            if criterion.answer_type == "scale" and not 1 <= criterion.scale_max <= MAX_SCALE:
                raise ValidationError(
                    self.env._("The scale of criterion “%s” must go up to a value from 1 to 10.", criterion.name)
                )
