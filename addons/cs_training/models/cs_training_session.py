from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

RATINGS = [("1", "Poor"), ("2", "Fair"), ("3", "Good"), ("4", "Very Good"), ("5", "Excellent")]


class CsTrainingSession(models.Model):
    """A scheduled session of a course, in the calendar, with its attendance and evaluations."""

    _name = "cs.training.session"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Training Session"
    _order = "start desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, readonly=False, required=True, precompute=True)
    course_id = fields.Many2one("cs.training.course", required=True, index=True, check_company=True)
    plan_id = fields.Many2one("cs.training.plan", index="btree_not_null", check_company=True)
    company_id = fields.Many2one(related="course_id.company_id", store=True, index=True)
    session_type = fields.Selection(
        [("course", "Course"), ("sharing", "Knowledge Sharing")], required=True, default="course"
    )
    trainer_id = fields.Many2one("hr.employee", string="Internal Trainer", check_company=True)
    trainer_partner_id = fields.Many2one("res.partner", string="External Trainer")
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)
    location = fields.Char()
    event_id = fields.Many2one("calendar.event", string="Calendar Event", readonly=True, copy=False)
    attendance_ids = fields.One2many("cs.training.attendance", "session_id", string="Attendance")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")], default="planned", tracking=True
    )
    trainer_rating = fields.Selection(RATINGS, string="Trainer Evaluation")
    trainer_evaluation = fields.Text(string="Evaluation of the Session", help="The trainer's or manager's notes.")
    attendance_rate = fields.Float(compute="_compute_stats", store=True, aggregator="avg")
    feedback_avg = fields.Float(string="Trainee Feedback", compute="_compute_stats", store=True, aggregator="avg")

    @api.depends("course_id.name")
    def _compute_name(self):
        for session in self:
            if not session.name:
                session.name = session.course_id.name

    @api.depends("attendance_ids.status", "attendance_ids.feedback_rating")
    def _compute_stats(self):
        for session in self:
            lines = session.attendance_ids
            came = lines.filtered(lambda a: a.status in ("present", "late"))
            rated = lines.filtered("feedback_rating")
            session.attendance_rate = 100.0 * len(came) / len(lines) if lines else 0.0
            session.feedback_avg = sum(int(a.feedback_rating) for a in rated) / len(rated) if rated else 0.0

    @api.constrains("start", "stop")
    def _check_dates(self):
        for session in self:
            if session.stop <= session.start:
                raise ValidationError(self.env._("A training session ends after it starts."))

    @api.onchange("course_id")
    def _onchange_course(self):
        self.trainer_id = self.course_id.trainer_id
        self.trainer_partner_id = self.course_id.trainer_partner_id

    def _event_values(self):
        partners = self.attendance_ids.employee_id.work_contact_id | self.trainer_id.work_contact_id
        return {
            "name": self.name,
            "start": self.start,
            "stop": self.stop,
            "location": self.location,
            "partner_ids": [Command.set((partners | self.trainer_partner_id).ids)],
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }

    def _sync_event(self):
        for session in self:
            if session.event_id:
                session.event_id.sudo().write(session._event_values())
            else:
                session.event_id = self.env["calendar.event"].sudo().create(session._event_values())

    @api.model_create_multi
    def create(self, vals_list):
        sessions = super().create(vals_list)
        sessions._sync_event()
        return sessions

    def write(self, vals):
        res = super().write(vals)
        if {"name", "start", "stop", "location", "attendance_ids", "trainer_id", "trainer_partner_id"} & set(vals):
            self._sync_event()
        return res

    def action_invite_enrolled(self):
        """Adds every employee enrolled in the course (and not yet invited) to the attendance list."""
        for session in self:
            records = self.env["cs.training.record"].search(
                [("course_id", "=", session.course_id.id), ("state", "=", "enrolled")]
            )
            new = records.employee_id - session.attendance_ids.employee_id
            session.attendance_ids = [Command.create({"employee_id": employee.id}) for employee in new]
        return True

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        self.event_id.sudo().unlink()
        return True
