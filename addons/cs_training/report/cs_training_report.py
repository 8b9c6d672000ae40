from odoo import fields, models
from odoo.addons.cs_helpdesk.models.cs_report_mixin import rate_sql
from odoo.tools import SQL

from ..models.cs_training_course import COURSE_CATEGORIES
from ..models.cs_training_record import ORIGINS, RECORD_STATES


class CsTrainingReport(models.Model):
    """Training analysis: completion and pass rates by course, category, team member and month."""

    _name = "cs.training.report"
    _inherit = "cs.report.mixin"
    _description = "Training Analysis"
    _auto = False
    _order = "date_enrolled desc"

    date_enrolled = fields.Date(string="Enrolled On", readonly=True)
    date_done = fields.Date(string="Completed On", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    user_id = fields.Many2one("res.users", string="User", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    course_id = fields.Many2one("cs.training.course", string="Course", readonly=True)
    category = fields.Selection(COURSE_CATEGORIES, readonly=True)
    plan_id = fields.Many2one("cs.training.plan", string="Plan", readonly=True)
    origin = fields.Selection(ORIGINS, readonly=True)
    state = fields.Selection(RECORD_STATES, string="Status", readonly=True)
    record_count = fields.Integer(string="Records", readonly=True, aggregator="sum")
    completion_rate = fields.Float(
        readonly=True, aggregator="avg", help="Records graded (passed, failed or expired) among the active ones."
    )
    pass_rate = fields.Float(readonly=True, aggregator="avg", help="Passed (or since expired) among the graded.")
    written_score = fields.Float(string="Written Score (%)", readonly=True, aggregator="avg")

    def _query(self):
        graded = SQL("r.state IN ('passed', 'failed', 'expired')")
        return SQL(
            """
            SELECT r.id, r.date_enrolled, r.date_done, r.employee_id, r.user_id, r.company_id, r.course_id,
                   r.category, r.plan_id, r.origin, r.state, 1 AS record_count,
                   %(completion)s AS completion_rate, %(passed)s AS pass_rate,
                   CASE WHEN r.user_input_id IS NOT NULL THEN r.written_score END AS written_score
              FROM cs_training_record r
             WHERE r.state != 'cancelled'
            """,
            completion=rate_sql(graded),
            passed=rate_sql(SQL("r.state IN ('passed', 'expired')"), graded),
        )
