from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .cs_qa_criterion import MAX_SCALE


class CsQaReviewLine(models.Model):
    _name = "cs.qa.review.line"
    _description = "QA Review Answer"
    _order = "review_id, sequence, id"

    review_id = fields.Many2one("cs.qa.review", required=True, ondelete="cascade", index=True)
    criterion_id = fields.Many2one("cs.qa.criterion", required=True, ondelete="restrict")
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    weight = fields.Float(related="criterion_id.weight")
    answer_type = fields.Selection(related="criterion_id.answer_type")
    scale_max = fields.Integer(related="criterion_id.scale_max")
    critical = fields.Boolean(related="criterion_id.critical", store=True)
    answer_yes_no = fields.Selection([("yes", "Yes"), ("no", "No")], string="Met")
    answer_scale = fields.Selection([(str(value), str(value)) for value in range(MAX_SCALE + 1)], string="Rating")
    answered = fields.Boolean(compute="_compute_score", store=True)
    score = fields.Float(string="Points", compute="_compute_score", store=True)
    failed = fields.Boolean(compute="_compute_score", store=True)
    auto_result = fields.Selection(
        [("pass", "Passed"), ("fail", "Failed")],
        string="Automatic Check",
        readonly=True,
        help="Result of the automatic check mapped to this criterion, used to pre-fill the answer.",
    )
    overridden = fields.Boolean(
        compute="_compute_overridden", store=True, help="The inspector's answer differs from the automatic check."
    )
    root_cause_id = fields.Many2one("cs.qa.root.cause", string="Root Cause")
    allowed_root_cause_ids = fields.Many2many(related="criterion_id.root_cause_ids")
    note = fields.Char(string="Comment")

    @api.depends(
        "answer_yes_no", "answer_scale", "criterion_id.answer_type", "criterion_id.weight", "criterion_id.scale_max"
    )
    def _compute_score(self):
        for line in self:
            criterion = line.criterion_id
            if criterion.answer_type == "yes_no":
                line.answered = bool(line.answer_yes_no)
                ratio = 1.0 if line.answer_yes_no == "yes" else 0.0
            else:
                line.answered = bool(line.answer_scale)
                ratio = min(int(line.answer_scale or 0), criterion.scale_max) / (criterion.scale_max or 1)
            line.score = criterion.weight * ratio if line.answered else 0.0
            line.failed = line.answered and ratio == 0.0

    @api.constrains("answer_scale")
    def _check_answer_scale(self):
        for line in self:
            if line.answer_scale and int(line.answer_scale) > line.criterion_id.scale_max:
                raise ValidationError(
                    self.env._(
                        "The answer to “%(criterion)s” goes up to %(max)s.",
                        criterion=line.criterion_id.name,
                        max=line.criterion_id.scale_max,
                    )
                )

    @api.depends("auto_result", "failed", "answered")
    def _compute_overridden(self):
        for line in self:
            line.overridden = bool(line.auto_result and line.answered and line.failed != (line.auto_result == "fail"))

    @api.model
    def _answer_from_result(self, criterion, result):
        if criterion.answer_type == "yes_no":
            return {"answer_yes_no": "yes" if result == "pass" else "no"}
        return {"answer_scale": str(criterion.scale_max if result == "pass" else 0)}
