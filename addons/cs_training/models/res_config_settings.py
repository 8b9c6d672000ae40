from odoo import fields, models

from .cs_incentive_auto import (
    ATTENDANCE_TOLERANCE_PARAM,
    DEFAULT_ATTENDANCE_TOLERANCE,
    DEFAULT_SLA_BREACH_LIMIT,
    SLA_BREACH_LIMIT_PARAM,
)
from .cs_performance_review import WEIGHTS
from .cs_qa_review import DEFAULT_LOW_QA, LOW_QA_PARAM
from .cs_roster import (
    DEFAULT_HISTORY_WEEKS,
    DEFAULT_REST_DAYS,
    DEFAULT_TICKETS_PER_AGENT_HOUR,
    HISTORY_WEEKS_PARAM,
    REST_DAYS_PARAM,
    TICKETS_PER_AGENT_HOUR_PARAM,
)
from .cs_training_course import ATTEMPTS_PARAM, DEFAULT_ATTEMPTS, DEFAULT_PASS_MARK, PASS_MARK_PARAM
from .cs_training_record import DEFAULT_QA_SAMPLE, DEFAULT_REMINDER_DAYS, QA_SAMPLE_PARAM, REMINDER_DAYS_PARAM
from .cs_work_report import DEFAULT_MEETING_HOUR, MEETING_HOUR_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cs_roster_rest_days = fields.Integer(
        string="Weekly Rest Days",
        config_parameter=REST_DAYS_PARAM,
        default=DEFAULT_REST_DAYS,
        help="Days off every agent keeps in a weekly roster (one in the seeds: 每周单休).",
    )
    cs_roster_tickets_per_agent_hour = fields.Float(
        string="Tickets per Agent and Hour",
        config_parameter=TICKETS_PER_AGENT_HOUR_PARAM,
        default=DEFAULT_TICKETS_PER_AGENT_HOUR,
        help="Tickets one agent handles in an hour: the roster coverage check divides the expected volume by it.",
    )
    cs_roster_history_weeks = fields.Integer(
        string="Volume History (weeks)",
        config_parameter=HISTORY_WEEKS_PARAM,
        default=DEFAULT_HISTORY_WEEKS,
        help="Weeks of ticket history averaged into the expected volume per hour of a roster.",
    )
    cs_training_pass_mark = fields.Integer(
        string="Exam Pass Mark (%)",
        config_parameter=PASS_MARK_PARAM,
        default=DEFAULT_PASS_MARK,
        help="Pass mark of new written exams and of interview and practical scores (the seeds give none).",
    )
    cs_training_exam_attempts = fields.Integer(
        string="Exam Attempts",
        config_parameter=ATTEMPTS_PARAM,
        default=DEFAULT_ATTEMPTS,
        help="Attempts allowed on new written exams; 0 for unlimited.",
    )
    cs_training_expiry_reminder_days = fields.Integer(
        string="Certificate Reminder (days)",
        config_parameter=REMINDER_DAYS_PARAM,
        default=DEFAULT_REMINDER_DAYS,
        help="Days before a certificate expires that the trainee gets a reminder.",
    )
    cs_training_low_qa_threshold = fields.Float(
        string="Low QA Average",
        config_parameter=LOW_QA_PARAM,
        default=DEFAULT_LOW_QA,
        help="A QA average below this enrols the agent in the courses marked for a low QA average.",
    )
    cs_training_qa_sample_size = fields.Integer(
        string="QA Reviews Averaged",
        config_parameter=QA_SAMPLE_PARAM,
        default=DEFAULT_QA_SAMPLE,
        help="Last QA reviews averaged for the low-average check and the before/after of a training.",
    )
    cs_incentive_sla_breach_limit = fields.Integer(
        string="SLA Breaches Allowed per Month",
        config_parameter=SLA_BREACH_LIMIT_PARAM,
        default=DEFAULT_SLA_BREACH_LIMIT,
        help="An agent with more SLA breaches in a month gets the SLA penalty drafted (rule drawing from SLA).",
    )
    cs_incentive_attendance_tolerance = fields.Integer(
        string="Attendance Tolerance (minutes)",
        config_parameter=ATTENDANCE_TOLERANCE_PARAM,
        default=DEFAULT_ATTENDANCE_TOLERANCE,
        help="Minutes a check-in may be late or a check-out early and still count for full attendance.",
    )
    cs_review_weight_qa = fields.Float(
        string="Weight of the QA Average", config_parameter=WEIGHTS["qa"][0], default=WEIGHTS["qa"][1]
    )
    cs_review_weight_csat = fields.Float(
        string="Weight of the Customer Rating", config_parameter=WEIGHTS["csat"][0], default=WEIGHTS["csat"][1]
    )
    cs_review_weight_sla = fields.Float(
        string="Weight of SLA Met", config_parameter=WEIGHTS["sla"][0], default=WEIGHTS["sla"][1]
    )
    cs_review_weight_goal = fields.Float(
        string="Weight of Goal Achievement", config_parameter=WEIGHTS["goal"][0], default=WEIGHTS["goal"][1]
    )
    cs_review_weight_manager = fields.Float(
        string="Weight of the Manager Rating", config_parameter=WEIGHTS["manager"][0], default=WEIGHTS["manager"][1]
    )
    cs_weekly_meeting_hour = fields.Float(
        string="Weekly Meeting (Monday)",
        config_parameter=MEETING_HOUR_PARAM,
        default=DEFAULT_MEETING_HOUR,
        help="Local time of the department's Monday meeting (14:30 in the seeds).",
    )
