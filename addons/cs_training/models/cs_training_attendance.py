from odoo import fields, models
from odoo.exceptions import AccessError

from .cs_training_session import RATINGS

FEEDBACK_FIELDS = {"feedback_rating", "feedback"}


class CsTrainingAttendance(models.Model):
    """A trainee at a session: attendance (present, late, absent) and their feedback on it."""

    _name = "cs.training.attendance"
    _description = "Training Attendance"
    _order = "session_id, employee_id"
    _check_company_auto = True

    session_id = fields.Many2one("cs.training.session", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)
    course_id = fields.Many2one(related="session_id.course_id", store=True)
    start = fields.Datetime(related="session_id.start", store=True)
    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True)
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index="btree_not_null")
    status = fields.Selection(
        [("invited", "Invited"), ("present", "Present"), ("late", "Late"), ("absent", "Absent")],
        required=True,
        default="invited",
    )
    feedback_rating = fields.Selection(RATINGS)
    feedback = fields.Text(string="Trainee Feedback")

    _sql_constraints = [
        ("session_employee_unique", "UNIQUE (session_id, employee_id)", "An employee attends a session once."),
    ]

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group("cs_training.group_trainer"):
            # trainees write only their own feedback (the record rule keeps them to their own lines)
            if set(vals) - FEEDBACK_FIELDS:
                raise AccessError(self.env._("Only a trainer records the attendance of a session."))
        return super().write(vals)
