from odoo import api, fields, models

INCIDENT_STATES = [
    ("reported", "Reported"),
    ("escalated", "Escalated"),
    ("handling", "Handling"),
    ("resolved", "Resolved"),
    ("reviewed", "Reviewed"),
]


class CsIncident(models.Model):
    """Incident log: outages and failures handled under an emergency plan, reviewed for lessons."""

    _name = "cs.incident"
    _description = "Incident"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    category_id = fields.Many2one("cs.incident.category", required=True, tracking=True)
    plan_id = fields.Many2one(
        "cs.emergency.plan",
        string="Emergency Plan",
        check_company=True,
        compute="_compute_plan_id",
        store=True,
        readonly=False,
    )
    date_start = fields.Datetime(string="Started On", required=True, default=fields.Datetime.now)
    date_end = fields.Datetime(string="Ended On")
    state = fields.Selection(INCIDENT_STATES, string="Status", default="reported", tracking=True)
    user_id = fields.Many2one("res.users", string="Handled By", default=lambda self: self.env.user, tracking=True)
    affected_customers = fields.Integer()
    description = fields.Text()
    communication = fields.Text(string="Customer Communication")
    lessons = fields.Text(string="Lessons Learned")
    ticket_ids = fields.Many2many("cs.ticket", string="Tickets", check_company=True)
    improvement_ids = fields.One2many("cs.improvement.action", "incident_id", string="Improvement Actions")

    @api.depends("category_id")
    def _compute_plan_id(self):
        for incident in self:
            if not incident.plan_id:
                company = incident.company_id
                plans = incident.category_id.plan_ids.filtered(
                    lambda p, c=company: p.state == "active" and p.company_id == c
                )
                incident.plan_id = plans[:1]

    def action_next(self):
        order = [state for state, _label in INCIDENT_STATES]
        for incident in self:
            index = order.index(incident.state)
            if index + 1 < len(order):
                values = {"state": order[index + 1]}
                if values["state"] == "resolved" and not incident.date_end:
                    values["date_end"] = fields.Datetime.now()
                incident.write(values)
        return True

    def action_create_improvement(self):
        self.ensure_one()
        action = self.env["cs.improvement.action"].create(
            {
                "name": self.env._("Lessons of incident: %s", self.name),
                "source": "incident",
                "incident_id": self.id,
                "problem": self.lessons or self.description or self.name,
            }
        )
        return action._open_form()
