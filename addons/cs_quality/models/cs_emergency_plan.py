from dateutil.relativedelta import relativedelta
from odoo import api, fields, models

PLAN_TYPES = [
    ("personnel", "Personnel"),
    ("information", "Information"),
    ("business", "Business"),
    ("facility", "Facilities and Equipment"),
    ("other", "Other"),
]
# The seeds ask for regular revisions without a period: yearly by default, per plan.
DEFAULT_REVISION_MONTHS = 12


class CsEmergencyPlan(models.Model):
    """Emergency plan (应急预案, 000 §8.2.2): activation conditions, procedure, responsibilities, resources."""

    _name = "cs.emergency.plan"
    _description = "Emergency Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    plan_type = fields.Selection(PLAN_TYPES, string="Type", required=True, default="business")
    category_ids = fields.Many2many(
        "cs.incident.category", "cs_emergency_plan_category_rel", "plan_id", "category_id", string="Incident Categories"
    )
    activation_conditions = fields.Text(required=True)
    procedure = fields.Html()
    responsibilities = fields.Html()
    resources = fields.Text()
    user_id = fields.Many2one("res.users", string="Owner", default=lambda self: self.env.user, tracking=True)
    version = fields.Char(default="1.0", tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("revision", "Under Revision"), ("archived", "Archived")],
        string="Status",
        default="draft",
        tracking=True,
    )
    revision_months = fields.Integer(string="Revise Every (months)", default=DEFAULT_REVISION_MONTHS)
    approved_date = fields.Date(string="Approved On", readonly=True)
    next_revision_date = fields.Date(compute="_compute_next_revision_date", store=True, readonly=False)
    drill_ids = fields.One2many("cs.emergency.drill", "plan_id", string="Drills")
    last_drill_date = fields.Date(compute="_compute_last_drill_date", store=True)

    @api.depends("approved_date", "revision_months")
    def _compute_next_revision_date(self):
        for plan in self:
            if plan.approved_date and plan.revision_months > 0:
                plan.next_revision_date = plan.approved_date + relativedelta(months=plan.revision_months)

    @api.depends("drill_ids.date")
    def _compute_last_drill_date(self):
        for plan in self:
            plan.last_drill_date = max(plan.drill_ids.mapped("date"), default=False)

    def action_activate(self):
        self.write({"state": "active", "approved_date": fields.Date.context_today(self)})
        return True

    def action_revise(self):
        self.write({"state": "revision"})
        return True

    def action_archive_plan(self):
        self.write({"state": "archived"})
        return True

    @api.model
    def _cron_revision_reminders(self):
        today = fields.Date.context_today(self)
        todo = self.env.ref("mail.mail_activity_data_todo")
        plans = self.search([("state", "=", "active"), ("next_revision_date", "<=", today)])
        pending = set(
            self.env["mail.activity"]
            .search([("res_model", "=", self._name), ("res_id", "in", plans.ids), ("activity_type_id", "=", todo.id)])
            .mapped("res_id")
        )
        for plan in plans.filtered(lambda p: p.id not in pending):
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=plan.user_id.id or self.env.uid,
                summary=self.env._("Revise the emergency plan"),
            )
