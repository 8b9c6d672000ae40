from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

# The seeds score on a 100-point scale (百分制, 003 L61): the weights of a scorecard add up to it.
TOTAL_WEIGHT = 100.0
# The seeds state no pass mark: a common default that each scorecard can change.
DEFAULT_PASS_SCORE = 80.0


class CsQaScorecard(models.Model):
    _name = "cs.qa.scorecard"
    _description = "QA Scorecard"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    description = fields.Text(translate=True)
    channel_ids = fields.Many2many(
        "cs.ticket.channel", string="Channels", help="Channels the scorecard applies to; empty for every channel."
    )
    type_ids = fields.Many2many(
        "cs.ticket.type", string="Ticket Types", help="Ticket types the scorecard applies to; empty for every type."
    )
    criterion_ids = fields.One2many("cs.qa.criterion", "scorecard_id", string="Criteria", copy=True)
    total_weight = fields.Float(compute="_compute_total_weight")
    pass_score = fields.Float(
        string="Pass Mark",
        default=DEFAULT_PASS_SCORE,
        help="Reviews scoring below this mark (out of 100) fail; failing a critical item fails the review anyway.",
    )

    @api.depends("criterion_ids.weight")
    def _compute_total_weight(self):
        for scorecard in self:
            scorecard.total_weight = sum(scorecard.criterion_ids.mapped("weight"))

    @api.constrains("criterion_ids", "pass_score")
    def _check_weights(self):
        for scorecard in self:
            if not 0 <= scorecard.pass_score <= TOTAL_WEIGHT:
                raise ValidationError(self.env._("The pass mark must lie between 0 and 100."))
            total = sum(scorecard.criterion_ids.mapped("weight"))
            if scorecard.criterion_ids and float_compare(total, TOTAL_WEIGHT, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "The weights of the criteria of scorecard “%(name)s” add up to %(total)s; they must add up "
                        "to 100.",
                        name=scorecard.name,
                        total=round(total, 2),
                    )
                )

    def _find_for_ticket(self, ticket):
        """Most specific active scorecard of the ticket's company: channel and type match first."""
        scorecards = self.search([("company_id", "=", ticket.company_id.id), ("criterion_ids", "!=", False)])

        def specificity(scorecard):
            return (bool(scorecard.channel_ids) + bool(scorecard.type_ids), -scorecard.sequence, -scorecard.id)

        matching = scorecards.filtered(
            lambda s: (not s.channel_ids or ticket.channel_id in s.channel_ids)
            and (not s.type_ids or ticket.type_id in s.type_ids)
        )
        return max(matching, key=specificity) if matching else self.browse()
