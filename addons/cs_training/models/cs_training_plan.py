from odoo import api, fields, models
from odoo.exceptions import UserError


class CsTrainingPlan(models.Model):
    """A training plan (培训计划): onboarding of new agents or periodic in-service training."""

    _name = "cs.training.plan"
    _inherit = ["mail.thread"]
    _description = "Training Plan"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    plan_type = fields.Selection(
        [("onboarding", "Onboarding"), ("periodic", "In-Service (Periodic)")],
        string="Type",
        required=True,
        default="periodic",
        help="Onboarding plans enrol every employee who joins one of their teams (all teams when none is set).",
    )
    course_ids = fields.Many2many("cs.training.course", string="Courses", check_company=True)
    team_ids = fields.Many2many("cs.ticket.team", string="Teams", check_company=True)
    employee_ids = fields.Many2many("hr.employee", string="Participants", check_company=True)
    date_start = fields.Date(string="Start", default=fields.Date.context_today)
    date_end = fields.Date(string="End")
    record_ids = fields.One2many("cs.training.record", "plan_id", string="Training Records")
    record_count = fields.Integer(compute="_compute_record_count")
    completion_rate = fields.Float(compute="_compute_record_count", help="Records closed with a pass.")

    @api.depends("record_ids.state")
    def _compute_record_count(self):
        for plan in self:
            records = plan.record_ids.filtered(lambda r: r.state != "cancelled")
            plan.record_count = len(records)
            passed = records.filtered(lambda r: r.state in ("passed", "expired"))
            plan.completion_rate = 100.0 * len(passed) / len(records) if records else 0.0

    def action_enrol(self):
        """Enrols the participants (and, for a periodic plan with teams, their members) in the courses."""
        for plan in self:
            if not plan.course_ids:
                raise UserError(self.env._("Plan %(plan)s has no course.", plan=plan.name))
            employees = plan.employee_ids | plan.team_ids.member_ids.employee_ids.filtered(
                lambda e, p=plan: e.company_id == p.company_id
            )
            origin = "onboarding" if plan.plan_type == "onboarding" else "plan"
            self.env["cs.training.record"]._enrol(employees, plan.course_ids, origin, plan=plan)
        return True

    @api.model
    def _enrol_new_team_members(self, team, users):
        """Onboarding (新员工入职培训): ``users`` just joined ``team``."""
        plans = self.sudo().search(
            [
                ("plan_type", "=", "onboarding"),
                ("company_id", "=", team.company_id.id),
                "|",
                ("team_ids", "=", False),
                ("team_ids", "in", team.ids),
            ]
        )
        employees = users.employee_ids.filtered(lambda e: e.company_id == team.company_id)
        for plan in plans:
            self.env["cs.training.record"]._enrol(employees, plan.course_ids, "onboarding", plan=plan)

    def action_view_records(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_training.cs_training_record_action")
        action["domain"] = [("plan_id", "=", self.id)]
        return action
