from odoo import api, fields, models

from .cs_kpi_metrics import KPI_METRICS, LOWER_IS_BETTER, PERIOD_TYPES


class CsKpiTarget(models.Model):
    """A KPI target of a team (or every team) for a kind of period; the seeds set none, each center sets its own."""

    _name = "cs.kpi.target"
    _description = "KPI Target"
    _order = "team_id, period_type, metric"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    team_id = fields.Many2one("cs.ticket.team", check_company=True, help="Empty for every team.")
    scope = fields.Selection(
        [("agent", "Each Agent"), ("team", "The Team")], required=True, default="agent", string="Applies To"
    )
    period_type = fields.Selection(PERIOD_TYPES, required=True, default="month")
    metric = fields.Selection(KPI_METRICS, string="KPI", required=True)
    direction = fields.Selection(
        [("min", "At Least"), ("max", "At Most")],
        compute="_compute_direction",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    target = fields.Float(required=True, help="Rates are fractions: 0.8 for 80 %.")

    _sql_constraints = [
        (
            "target_uniq",
            "unique (company_id, team_id, scope, period_type, metric)",
            "This KPI already has a target for this team and period.",
        ),
    ]

    @api.depends("metric")
    def _compute_direction(self):
        for target in self:
            target.direction = "max" if target.metric in LOWER_IS_BETTER else "min"

    def _is_met(self, value):
        self.ensure_one()
        if value is None or value is False:
            return True
        return value >= self.target if self.direction == "min" else value <= self.target
