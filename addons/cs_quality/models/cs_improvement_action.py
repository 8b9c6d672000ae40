from odoo import api, fields, models
from odoo.exceptions import UserError

from .cs_kpi_metrics import KPI_METRICS, LOWER_IS_BETTER, PERIOD_TYPES

IMPROVEMENT_STATES = [
    ("draft", "Draft"),
    ("planned", "Planned"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("evaluated", "Evaluated"),
    ("cancelled", "Cancelled"),
]
NEXT_STATE = {"draft": "planned", "planned": "in_progress", "in_progress": "done"}


class CsImprovementAction(models.Model):
    """Continuous improvement (持续改进): a problem found by QA, a complaint, a survey, a risk or tool feedback."""

    _name = "cs.improvement.action"
    _description = "Improvement Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    source = fields.Selection(
        [
            ("review", "QA Review"),
            ("complaint", "Complaint"),
            ("survey", "Survey"),
            ("risk", "Risk"),
            ("tool", "Tool Feedback"),
            ("incident", "Incident"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    review_id = fields.Many2one("cs.qa.review", string="QA Review", check_company=True, index="btree_not_null")
    ticket_id = fields.Many2one("cs.ticket", check_company=True, index="btree_not_null")
    risk_id = fields.Many2one("cs.risk", check_company=True, index="btree_not_null")
    incident_id = fields.Many2one("cs.incident", check_company=True, index="btree_not_null")
    equipment_id = fields.Many2one("maintenance.equipment", string="Tool", index="btree_not_null")
    problem = fields.Text(required=True)
    root_cause = fields.Text()
    measure = fields.Text()
    user_id = fields.Many2one("res.users", string="Owner", tracking=True, default=lambda self: self.env.user)
    team_id = fields.Many2one("cs.ticket.team", check_company=True)
    date_deadline = fields.Date(string="Due Date", tracking=True)
    state = fields.Selection(IMPROVEMENT_STATES, string="Status", default="draft", required=True, tracking=True)
    indicator = fields.Selection(
        KPI_METRICS, string="Effect Indicator", help="KPI of the team measured before and after."
    )
    indicator_period = fields.Selection(PERIOD_TYPES, string="Measured Per", default="month")
    value_before = fields.Float(string="Before", tracking=True)
    value_after = fields.Float(string="After", tracking=True)
    date_done = fields.Date(string="Done On", readonly=True)
    effect = fields.Selection(
        [("better", "Improved"), ("same", "Unchanged"), ("worse", "Worse")], compute="_compute_effect", store=True
    )

    @api.depends("indicator", "value_before", "value_after", "state")
    def _compute_effect(self):
        for action in self:
            if action.state != "evaluated" or not action.indicator:
                action.effect = False
            elif action.value_after == action.value_before:
                action.effect = "same"
            else:
                improved = (action.value_after < action.value_before) == (action.indicator in LOWER_IS_BETTER)
                action.effect = "better" if improved else "worse"

    def _open_form(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form"}

    def _measure(self):
        """The indicator's current team value from the KPI snapshots, or None."""
        self.ensure_one()
        if not self.indicator:
            return None
        return (
            self.env["cs.kpi.snapshot"]
            .sudo()
            ._value(
                self.indicator,
                self.company_id,
                self.indicator_period,
                fields.Date.context_today(self),
                team=self.team_id,
            )
        )

    def action_next(self):
        for action in self:
            if action.state not in NEXT_STATE:
                raise UserError(self.env._("Action %s cannot move on from its current status.", action.name))
            values = {"state": NEXT_STATE[action.state]}
            if action.state == "planned" and action.indicator:
                before = action._measure()
                if before is not None:
                    values["value_before"] = before
            if values["state"] == "done":
                values["date_done"] = fields.Date.context_today(action)
            action.write(values)
        return True

    def action_evaluate(self):
        for action in self:
            if action.state != "done":
                raise UserError(self.env._("Only a done action can be evaluated."))
            values = {"state": "evaluated"}
            after = action._measure()
            if after is not None:
                values["value_after"] = after
            action.write(values)
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True
