from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_int_param, utc_day_start
from odoo.exceptions import UserError, ValidationError

from .cs_training_course import DEFAULT_PASS_MARK, PASS_MARK_PARAM

RECORD_STATES = [
    ("enrolled", "Enrolled"),
    ("passed", "Passed"),
    ("failed", "Failed"),
    ("expired", "Expired"),
    ("cancelled", "Cancelled"),
]
ORIGINS = [
    ("manual", "Manual"),
    ("onboarding", "Onboarding"),
    ("plan", "Training Plan"),
    ("quality", "Quality Review"),
]
REMINDER_DAYS_PARAM = "cs_training.expiry_reminder_days"
DEFAULT_REMINDER_DAYS = 30
# reviews averaged into the QA score before and after a training
QA_SAMPLE_PARAM = "cs_training.qa_sample_size"
DEFAULT_QA_SAMPLE = 10


class CsTrainingRecord(models.Model):
    """One employee's training in one course: enrolment, exam results, certificate and its expiry."""

    _name = "cs.training.record"
    _inherit = ["mail.thread", "mail.activity.mixin", "cs.batch.cron.mixin"]
    _description = "Training Record"
    _order = "date_enrolled desc, id desc"
    _check_company_auto = True
    _rec_name = "course_id"

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, ondelete="cascade", tracking=True
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index="btree_not_null", string="User")
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
    course_id = fields.Many2one(
        "cs.training.course", required=True, index=True, check_company=True, ondelete="restrict", tracking=True
    )
    category = fields.Selection(related="course_id.category", store=True)
    plan_id = fields.Many2one("cs.training.plan", index="btree_not_null", check_company=True)
    origin = fields.Selection(ORIGINS, required=True, default="manual")
    qa_review_id = fields.Many2one("cs.qa.review", string="From QA Review", index="btree_not_null", readonly=True)
    state = fields.Selection(RECORD_STATES, required=True, default="enrolled", tracking=True, index=True)
    date_enrolled = fields.Date(string="Enrolled On", required=True, default=fields.Date.context_today)
    date_done = fields.Date(string="Completed On", readonly=True, copy=False)
    survey_id = fields.Many2one(related="course_id.survey_id")
    user_input_id = fields.Many2one("survey.user_input", string="Last Exam Attempt", readonly=True, copy=False)
    written_score = fields.Float(string="Written Score (%)", readonly=True, copy=False, aggregator="avg")
    written_passed = fields.Boolean(readonly=True, copy=False)
    attempt_count = fields.Integer(string="Exam Attempts", readonly=True, copy=False)
    interview_score = fields.Float(tracking=True, aggregator="avg")
    practical_score = fields.Float(tracking=True, aggregator="avg")
    examiner_id = fields.Many2one("res.users", string="Examiner", tracking=True)
    certificate_date = fields.Date(readonly=True, copy=False)
    expiry_date = fields.Date(compute="_compute_expiry_date", store=True, index="btree_not_null")
    reminder_sent = fields.Boolean(readonly=True, copy=False)
    kpi_before = fields.Float(
        string="QA Average Before", compute="_compute_kpi", help="QA average of the agent's last reviews before."
    )
    kpi_after = fields.Float(string="QA Average After", compute="_compute_kpi", help="QA average since completion.")
    kpi_delta = fields.Float(string="QA Change", compute="_compute_kpi")

    _sql_constraints = [
        (
            "scores_range",
            "CHECK (COALESCE(interview_score, 0) BETWEEN 0 AND 100 AND COALESCE(practical_score, 0) BETWEEN 0 AND 100)",
            "Interview and practical scores are between 0 and 100.",
        ),
    ]

    @api.depends("certificate_date", "course_id.validity_months")
    def _compute_expiry_date(self):
        for record in self:
            months = record.course_id.validity_months
            record.expiry_date = (
                record.certificate_date and months and record.certificate_date + relativedelta(months=months)
            )

    def _qa_average(self, domain, order, size):
        reviews = self.env["cs.qa.review"].sudo().search(domain, order=order, limit=size)
        return sum(reviews.mapped("score")) / len(reviews) if reviews else 0.0

    def _day_start(self, day):
        """The UTC instant the employee's day ``day`` starts: enrolment and completion are days of the
        employee's time zone, reviews are sent at UTC instants."""
        return utc_day_start(day, self.employee_id.tz or "UTC")

    def _today_of(self, employee):
        return fields.Date.context_today(self.with_context(tz=employee.tz or "UTC"))

    @api.depends("date_enrolled", "date_done", "user_id", "employee_id.tz")
    def _compute_kpi(self):
        size = get_int_param(self.env, QA_SAMPLE_PARAM, DEFAULT_QA_SAMPLE, minimum=1)
        for record in self:
            base = [("agent_id", "=", record.user_id.id), ("is_final", "=", True)]
            record.kpi_before = (record.user_id and record.date_enrolled) and record._qa_average(
                [*base, ("feedback_date", "<", record._day_start(record.date_enrolled))], "feedback_date desc", size
            )
            record.kpi_after = (record.user_id and record.date_done) and record._qa_average(
                [*base, ("feedback_date", ">=", record._day_start(record.date_done))], "feedback_date", size
            )
            record.kpi_delta = record.kpi_after - record.kpi_before if record.kpi_after and record.kpi_before else 0.0

    # ------------------------------------------------------------------ results
    @api.constrains("interview_score", "practical_score")
    def _check_examiner(self):
        for record in self:
            if record.examiner_id and record.examiner_id == record.user_id:
                raise ValidationError(self.env._("Nobody examines their own training."))

    def _pass_mark(self):
        return get_int_param(self.env, PASS_MARK_PARAM, DEFAULT_PASS_MARK)

    def _missing_results(self):
        """Parts of the exam still without a result."""
        self.ensure_one()
        missing = []
        if self.survey_id and not self.user_input_id:
            missing.append(self.env._("written exam"))
        if self.course_id.interview_required and not self.interview_score:
            missing.append(self.env._("interview"))
        if self.course_id.practical_required and not self.practical_score:
            missing.append(self.env._("practical test"))
        return missing

    def _is_passed(self):
        self.ensure_one()
        mark = self._pass_mark()
        return (
            (not self.survey_id or self.written_passed)
            and (not self.course_id.interview_required or self.interview_score >= mark)
            and (not self.course_id.practical_required or self.practical_score >= mark)
        )

    def action_grade(self):
        """Closes the record with the results recorded so far: passed (certificate from today) or failed."""
        for record in self:
            if record.state not in ("enrolled", "failed"):
                raise UserError(self.env._("Only open training records are graded."))
            missing = record._missing_results()
            if missing:
                raise UserError(
                    self.env._(
                        "%(employee)s has no result yet for: %(parts)s.",
                        employee=record.employee_id.name,
                        parts=", ".join(missing),
                    )
                )
            today = record._today_of(record.employee_id)
            if record._is_passed():
                record.write({"state": "passed", "date_done": today, "certificate_date": today, "reminder_sent": False})
            else:
                record.write({"state": "failed", "date_done": today})
        return True

    def _apply_exam(self, user_input):
        """A finished attempt of the written exam: its score, and the grade once nothing else is missing."""
        for record in self:
            record.write(
                {
                    "user_input_id": user_input.id,
                    "written_score": user_input.scoring_percentage,
                    "written_passed": user_input.scoring_success,
                    "attempt_count": record.attempt_count + 1,
                }
            )
            if not record._missing_results():
                record.action_grade()

    def action_start_exam(self):
        """Opens the written exam for the trainee (their own attempt, within the survey's attempt limit)."""
        self.ensure_one()
        if not self.survey_id:
            raise UserError(self.env._("Course %(course)s has no written exam.", course=self.course_id.name))
        if self.user_id != self.env.user:
            raise UserError(self.env._("Only the trainee takes their own exam."))
        answer = self.survey_id.sudo()._create_answer(user=self.env.user)
        return {"type": "ir.actions.act_url", "target": "self", "url": answer.get_start_url()}

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------ expiry
    def _reminder_domain(self):
        days = get_int_param(self.env, REMINDER_DAYS_PARAM, DEFAULT_REMINDER_DAYS)
        limit = fields.Date.context_today(self) + relativedelta(days=days)
        return [("state", "=", "passed"), ("reminder_sent", "=", False), ("expiry_date", "<=", limit)]

    def _send_expiry_reminders(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        for record in self:
            user = record.user_id or record.employee_id.parent_id.user_id
            if user:
                record.activity_schedule(
                    activity_type_id=todo.id,
                    date_deadline=record.expiry_date,
                    user_id=user.id,
                    summary=self.env._("Certificate %(course)s expires", course=record.course_id.name),
                )
        self.write({"reminder_sent": True})

    def _expire(self):
        self.write({"state": "expired"})

    @api.model
    def _cron_certificate_expiry(self):
        """Reminds trainees before their certificate expires, then marks it expired (re-enrolment is a choice)."""
        today = fields.Date.context_today(self)
        expired = self.search([("state", "=", "passed"), ("expiry_date", "<", today)])
        expired._expire()
        return self._cs_run_batch(
            self._reminder_domain(),
            lambda records: records._send_expiry_reminders(),
            "cs_training.ir_cron_certificate_expiry",
        )

    # ------------------------------------------------------------------ enrolment
    @api.model
    def _enrol(self, employees, courses, origin, plan=None, qa_review=None):
        """Enrols each employee in each course they have no open or valid record of; returns the new records."""
        existing = self.sudo().search(
            [
                ("employee_id", "in", employees.ids),
                ("course_id", "in", courses.ids),
                ("state", "in", ("enrolled", "passed")),
            ]
        )
        known = {(record.employee_id.id, record.course_id.id) for record in existing}
        return self.sudo().create(
            [
                {
                    "employee_id": employee.id,
                    "course_id": course.id,
                    "date_enrolled": self._today_of(employee),
                    "origin": origin,
                    "plan_id": plan.id if plan else False,
                    "qa_review_id": qa_review.id if qa_review else False,
                }
                for employee in employees
                for course in courses
                if (employee.id, course.id) not in known and course.company_id == employee.company_id
            ]
        )
