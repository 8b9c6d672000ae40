from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_int_param
from odoo.exceptions import UserError

# Seed 004 §4: selection and procurement → installation → training and use → supervision and evaluation.
TOOL_STATES = [
    ("requested", "Requested"),
    ("selected", "Selected"),
    ("purchased", "Purchased"),
    ("installed", "Installed"),
    ("in_use", "In Use"),
    ("maintenance", "Under Maintenance"),
    ("evaluated", "Evaluated"),
    ("upgraded", "Upgraded"),
    ("retired", "Retired"),
]
TOOL_TRANSITIONS = {
    "requested": ("selected", "retired"),
    "selected": ("purchased", "retired"),
    "purchased": ("installed",),
    "installed": ("in_use",),
    "in_use": ("maintenance", "evaluated", "retired"),
    "maintenance": ("in_use", "retired"),
    "evaluated": ("in_use", "upgraded", "retired"),
    "upgraded": ("in_use",),
    "retired": (),
}
# The seeds give no notice period for licences: 30 days by default, in the settings.
LICENSE_NOTICE_PARAM = "cs_quality.license_notice_days"
DEFAULT_LICENSE_NOTICE_DAYS = 30


class MaintenanceEquipment(models.Model):
    """Customer-service tools (客户服务工具, seed 004) managed as Maintenance equipment."""

    _inherit = "maintenance.equipment"

    cs_is_tool = fields.Boolean(string="Customer Service Tool")
    cs_tool_state = fields.Selection(TOOL_STATES, string="Lifecycle", default="requested", tracking=True)
    cs_team_id = fields.Many2one("cs.ticket.team", string="Customer Service Team", tracking=True)
    cs_user_id = fields.Many2one("res.users", string="Agent Using It", tracking=True)
    cs_budget = fields.Monetary(string="Budget", currency_field="cs_currency_id")
    cs_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    cs_license_expiry = fields.Date(string="Licence Expires On", tracking=True)
    cs_usage_rules = fields.Html(string="Usage Rules")
    cs_rules_acknowledged_by = fields.Many2one("res.users", string="Rules Acknowledged By", readonly=True)
    cs_rules_acknowledged_date = fields.Datetime(string="Rules Acknowledged On", readonly=True)
    cs_feedback_ids = fields.One2many("cs.tool.feedback", "equipment_id", string="Tool Feedback")
    cs_next_states = fields.Char(string="Next Lifecycle States", compute="_compute_cs_next_states")

    @api.depends("cs_tool_state")
    def _compute_cs_next_states(self):
        for equipment in self:
            equipment.cs_next_states = ",".join(TOOL_TRANSITIONS.get(equipment.cs_tool_state, ()))

    def _cs_set_state(self, state):
        labels = dict(TOOL_STATES)
        for equipment in self:
            if state not in TOOL_TRANSITIONS.get(equipment.cs_tool_state, ()):
                raise UserError(
                    self.env._(
                        "%(tool)s cannot go from “%(from)s” to “%(to)s”.",
                        tool=equipment.name,
                        **{"from": labels[equipment.cs_tool_state], "to": labels[state]},
                    )
                )
        self.write({"cs_tool_state": state})
        return True

    def action_cs_tool_state(self):
        return self._cs_set_state(self.env.context.get("cs_tool_state"))

    def action_cs_acknowledge_rules(self):
        for equipment in self:
            if self.env.user not in (equipment.cs_user_id | equipment.owner_user_id):
                raise UserError(self.env._("Only the user of %s acknowledges its usage rules.", equipment.name))
        self.sudo().write(
            {"cs_rules_acknowledged_by": self.env.uid, "cs_rules_acknowledged_date": fields.Datetime.now()}
        )
        return True

    def action_cs_schedule_check(self):
        """A recurring preventive maintenance request: the periodic check of seed 004 §6."""
        self.ensure_one()
        request = self.env["maintenance.request"].create(
            {
                "name": self.env._("Periodic check: %s", self.name),
                "equipment_id": self.id,
                "maintenance_type": "preventive",
                "recurring_maintenance": True,
                "repeat_interval": 1,
                "repeat_unit": "month",
                "repeat_type": "forever",
                "schedule_date": fields.Datetime.now(),
                "user_id": self.technician_user_id.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "maintenance.request",
            "res_id": request.id,
            "view_mode": "form",
        }

    @api.model
    def _cron_cs_license_reminders(self):
        notice = get_int_param(self.env, LICENSE_NOTICE_PARAM, DEFAULT_LICENSE_NOTICE_DAYS)
        limit = fields.Date.context_today(self) + timedelta(days=notice)
        tools = self.search(
            [("cs_is_tool", "=", True), ("cs_tool_state", "!=", "retired"), ("cs_license_expiry", "<=", limit)]
        )
        renewal = self.env.ref("cs_quality.mail_activity_type_license_renewal")
        pending = set(
            self.env["mail.activity"]
            .search(
                [("res_model", "=", self._name), ("res_id", "in", tools.ids), ("activity_type_id", "=", renewal.id)]
            )
            .mapped("res_id")
        )
        for tool in tools.filtered(lambda t: t.id not in pending):
            tool.activity_schedule(
                "cs_quality.mail_activity_type_license_renewal",
                date_deadline=tool.cs_license_expiry,
                user_id=(tool.technician_user_id or tool.owner_user_id).id or self.env.uid,
                note=self.env._(
                    "The licence of %(tool)s expires on %(date)s.", tool=tool.name, date=tool.cs_license_expiry
                ),
            )
