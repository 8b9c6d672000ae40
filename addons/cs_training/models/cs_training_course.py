from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_int_param

# 培训内容 (seeds §6.2) and 培训方式 (§6.3)
COURSE_CATEGORIES = [
    ("culture", "Company Culture and Service Philosophy"),
    ("product", "Product Knowledge"),
    ("communication", "Communication Skills"),
    ("complaint", "Complaint Handling"),
    ("teamwork", "Teamwork"),
    ("case", "Case Analysis"),
    ("process", "Service Process"),
    ("law", "Laws and Regulations"),
    ("tools", "Tool Usage"),
    ("business", "Business Knowledge"),
]
COURSE_MODES = [
    ("offline", "Offline"),
    ("online", "Online"),
    ("role_play", "Role Play"),
    ("practice", "Live Practice"),
]
# the seeds give no pass mark and no number of attempts: settings with these defaults
PASS_MARK_PARAM = "cs_training.pass_mark"
DEFAULT_PASS_MARK = 60
ATTEMPTS_PARAM = "cs_training.exam_attempts"
DEFAULT_ATTEMPTS = 3


class CsTrainingCourse(models.Model):
    """A course (课程): topic, way of teaching, trainer, materials and how it is examined."""

    _name = "cs.training.course"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Training Course"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    category = fields.Selection(COURSE_CATEGORIES, required=True, default="product", tracking=True)
    mode = fields.Selection(COURSE_MODES, required=True, default="offline", tracking=True)
    trainer_type = fields.Selection(
        [("internal", "Internal"), ("external", "External")], required=True, default="internal"
    )
    trainer_id = fields.Many2one("hr.employee", string="Internal Trainer", check_company=True)
    trainer_partner_id = fields.Many2one("res.partner", string="External Trainer")
    duration = fields.Float(string="Duration (hours)")
    description = fields.Html()
    article_ids = fields.Many2many("cs.knowledge.article", string="Knowledge Articles", check_company=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Files")
    survey_id = fields.Many2one(
        "survey.survey",
        string="Written Exam",
        domain="[('certification', '=', True)]",
        help="A survey certification the trainees pass online; its pass mark and attempts apply.",
    )
    interview_required = fields.Boolean(string="Interview", help="An examiner records an interview score.")
    practical_required = fields.Boolean(string="Practical Test", help="An examiner records a practical score.")
    validity_months = fields.Integer(
        string="Certificate Valid (months)", help="Months a pass stays valid; 0 for a certificate that never expires."
    )
    qa_criterion_ids = fields.Many2many(
        "cs.qa.criterion",
        string="Assigned on Failed Criteria",
        help="An agent failing one of these critical QA criteria is enrolled in this course.",
    )
    assign_on_low_qa = fields.Boolean(
        string="Assigned on Low QA Average",
        help="An agent whose QA average drops below the threshold in the settings is enrolled in this course.",
    )
    record_ids = fields.One2many("cs.training.record", "course_id", string="Training Records")
    record_count = fields.Integer(compute="_compute_record_stats")
    pass_rate = fields.Float(compute="_compute_record_stats", help="Passed records among the examined ones.")

    _sql_constraints = [
        ("validity_positive", "CHECK (COALESCE(validity_months, 0) >= 0)", "A validity cannot be negative."),
    ]

    @api.depends("record_ids.state")
    def _compute_record_stats(self):
        groups = self.env["cs.training.record"]._read_group(
            [("course_id", "in", self.ids)], ["course_id", "state"], ["__count"]
        )
        stats = {}
        for course, state, count in groups:
            stats.setdefault(course.id, {})[state] = count
        for course in self:
            counts = stats.get(course.id, {})
            examined = counts.get("passed", 0) + counts.get("failed", 0) + counts.get("expired", 0)
            course.record_count = sum(counts.values())
            course.pass_rate = (
                100.0 * (counts.get("passed", 0) + counts.get("expired", 0)) / examined if examined else 0.0
            )

    def action_create_exam(self):
        """A written exam for this course as a survey certification, with the pass mark and attempts settings."""
        self.ensure_one()
        attempts = get_int_param(self.env, ATTEMPTS_PARAM, DEFAULT_ATTEMPTS)
        self.survey_id = self.env["survey.survey"].create(
            {
                "title": self.env._("Exam: %(course)s", course=self.name),
                "survey_type": "assessment",
                "certification": True,
                "scoring_type": "scoring_with_answers",
                "scoring_success_min": get_int_param(self.env, PASS_MARK_PARAM, DEFAULT_PASS_MARK),
                "is_attempts_limited": bool(attempts),
                "attempts_limit": attempts or 1,
                "access_mode": "token",
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.survey",
            "res_id": self.survey_id.id,
            "view_mode": "form",
        }

    def action_view_records(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_training.cs_training_record_action")
        action["domain"] = [("course_id", "=", self.id)]
        action["context"] = {"default_course_id": self.id}
        return action
