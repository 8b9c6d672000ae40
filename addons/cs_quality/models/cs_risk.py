from odoo import api, fields, models

from .cs_kpi_metrics import KPI_METRICS, PERIOD_TYPES

RISK_TYPES = [
    ("personnel", "Personnel"),
    ("information", "Information"),
    ("business", "Business"),
    ("legal", "Legal"),
    ("market", "Market"),
]
SCALE = [("1", "Very Low"), ("2", "Low"), ("3", "Medium"), ("4", "High"), ("5", "Very High")]


class CsRisk(models.Model):
    """Risk register (风险控制, 000 §8.1, 002 ch.10) with a KPI warning indicator."""

    _name = "cs.risk"
    _description = "Risk"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "level desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    risk_type = fields.Selection(RISK_TYPES, string="Type", required=True, tracking=True)
    description = fields.Text()
    likelihood = fields.Selection(SCALE, required=True, default="3", tracking=True)
    impact = fields.Selection(SCALE, required=True, default="3", tracking=True)
    level = fields.Integer(compute="_compute_level", store=True, help="Likelihood × impact, from 1 to 25.")
    tolerance = fields.Text(help="What the company can bear (承受能力).")
    strategy = fields.Selection(
        [("avoid", "Avoid"), ("share", "Share"), ("transfer", "Transfer"), ("reduce", "Reduce"), ("accept", "Accept")],
        tracking=True,
    )
    prevention = fields.Text(string="Preventive Measures")
    user_id = fields.Many2one("res.users", string="Owner", tracking=True, default=lambda self: self.env.user)
    team_id = fields.Many2one("cs.ticket.team", check_company=True, help="Team whose KPI is watched; empty for all.")
    state = fields.Selection(
        [("identified", "Identified"), ("monitored", "Monitored"), ("closed", "Closed")],
        string="Status",
        default="identified",
        tracking=True,
    )
    indicator = fields.Selection(KPI_METRICS, string="Warning Indicator")
    indicator_period = fields.Selection(PERIOD_TYPES, string="Watched Per", default="week")
    threshold_direction = fields.Selection([("above", "Rises Above"), ("below", "Falls Below")], default="above")
    threshold = fields.Float(help="Rates are fractions: 0.05 for 5 %.")
    last_value = fields.Float(readonly=True)
    warning = fields.Boolean(readonly=True, help="The indicator crossed its threshold at the last check.")
    improvement_ids = fields.One2many("cs.improvement.action", "risk_id", string="Improvement Actions")

    @api.depends("likelihood", "impact")
    def _compute_level(self):
        for risk in self:
            risk.level = int(risk.likelihood or 0) * int(risk.impact or 0)

    def _crossed(self, value):
        self.ensure_one()
        return value > self.threshold if self.threshold_direction == "above" else value < self.threshold

    @api.model
    def _cron_check_indicators(self):
        """Raise an activity for the owner when a warning indicator crosses its threshold."""
        today = fields.Date.context_today(self)
        Snapshot = self.env["cs.kpi.snapshot"]
        for risk in self.search([("state", "!=", "closed"), ("indicator", "!=", False)]):
            value = Snapshot._value(risk.indicator, risk.company_id, risk.indicator_period, today, team=risk.team_id)
            if value is None:
                continue
            crossed = risk._crossed(value)
            if crossed and not risk.warning:
                risk.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=risk.user_id.id or self.env.uid,
                    summary=self.env._("Warning indicator crossed its threshold"),
                )
            risk.write({"last_value": value, "warning": crossed})

    def action_create_improvement(self):
        self.ensure_one()
        action = self.env["cs.improvement.action"].create(
            {
                "name": self.env._("Reduce risk: %s", self.name),
                "source": "risk",
                "risk_id": self.id,
                "team_id": self.team_id.id,
                "problem": self.description or self.name,
                "indicator": self.indicator,
            }
        )
        return action._open_form()
