import statistics

from odoo import api, fields, models
from odoo.exceptions import UserError


class CsQaCalibration(models.Model):
    """Several inspectors score the same ticket to align their judgement; the spread shows how far apart they are."""

    _name = "cs.qa.calibration"
    _description = "QA Calibration Session"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    date = fields.Date(default=fields.Date.context_today, required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    ticket_id = fields.Many2one("cs.ticket", required=True, check_company=True, domain=[("is_closed", "=", True)])
    scorecard_id = fields.Many2one("cs.qa.scorecard", check_company=True)
    inspector_ids = fields.Many2many(
        "res.users",
        string="Inspectors",
        domain=lambda self: [("groups_id", "in", self.env.ref("cs_quality.group_qa_inspector").id)],
    )
    review_ids = fields.One2many("cs.qa.review", "calibration_id", string="Reviews")
    score_avg = fields.Float(string="Average Score", compute="_compute_spread")
    score_spread = fields.Float(
        string="Spread", compute="_compute_spread", help="Highest minus lowest score of the reviews sent."
    )
    score_stdev = fields.Float(string="Standard Deviation", compute="_compute_spread")

    @api.depends("review_ids.score", "review_ids.state")
    def _compute_spread(self):
        for session in self:
            scores = session.review_ids.filtered(lambda r: r.state != "draft").mapped("score")
            session.score_avg = statistics.mean(scores) if scores else 0.0
            session.score_spread = (max(scores) - min(scores)) if scores else 0.0
            session.score_stdev = statistics.pstdev(scores) if len(scores) > 1 else 0.0

    def action_start(self):
        for session in self:
            inspectors = session.inspector_ids - session.review_ids.inspector_id
            if len(session.inspector_ids) < 2:
                raise UserError(self.env._("A calibration session needs at least two inspectors."))
            self.env["cs.qa.review"].create(
                [
                    {
                        "ticket_id": session.ticket_id.id,
                        "inspector_id": inspector.id,
                        "scorecard_id": session.scorecard_id.id or False,
                        "kind": "calibration",
                        "calibration_id": session.id,
                    }
                    for inspector in inspectors
                ]
            )
        return True
