from odoo import fields, models
from odoo.addons.cs_helpdesk.models.cs_report_mixin import rate_sql
from odoo.tools import SQL


class CsQaReport(models.Model):
    """QA scores per agent and criterion: one row per answer of a sent review."""

    _name = "cs.qa.report"
    _inherit = "cs.report.mixin"
    _description = "QA Analysis"
    _auto = False
    _order = "date desc"

    review_id = fields.Many2one("cs.qa.review", string="Review", readonly=True)
    ticket_id = fields.Many2one("cs.ticket", string="Ticket", readonly=True)
    date = fields.Datetime(string="Sent On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    agent_id = fields.Many2one("res.users", string="Agent", readonly=True)
    inspector_id = fields.Many2one("res.users", string="Inspector", readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Team", readonly=True)
    scorecard_id = fields.Many2one("cs.qa.scorecard", string="Scorecard", readonly=True)
    criterion_id = fields.Many2one("cs.qa.criterion", string="Criterion", readonly=True)
    root_cause_id = fields.Many2one("cs.qa.root.cause", string="Root Cause", readonly=True)
    points = fields.Float(readonly=True, aggregator="sum", help="Points earned on the criterion.")
    achievement = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Share of the criterion's points earned: its average is the achievement rate.",
    )
    failed_rate = fields.Float(string="Failed", readonly=True, aggregator="avg")
    agreement = fields.Float(
        string="Agreement with Automatic Check",
        readonly=True,
        aggregator="avg",
        help="1 when the inspector's answer agrees with the automatic check, 0 when overridden, empty without check.",
    )

    def _query(self):
        return SQL(
            """
            SELECT l.id, r.id AS review_id, r.ticket_id, r.feedback_date AS date, r.company_id, r.agent_id,
                   r.inspector_id, r.team_id, r.scorecard_id, l.criterion_id, l.root_cause_id,
                   l.score AS points,
                   l.score / NULLIF(c.weight, 0) AS achievement,
                   %s AS failed_rate,
                   %s AS agreement
              FROM cs_qa_review_line l
              JOIN cs_qa_review r ON r.id = l.review_id
              JOIN cs_qa_criterion c ON c.id = l.criterion_id
             WHERE r.is_final
            """,
            rate_sql(SQL("l.failed")),
            rate_sql(SQL("NOT l.overridden"), SQL("l.auto_result IS NOT NULL")),
        )
