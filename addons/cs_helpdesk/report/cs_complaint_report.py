from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.cs_report_mixin import rate_sql
from ..models.cs_selections import ESCALATION_LEVELS, FOLLOWUP_RESULTS, SEVERITIES
from ..models.cs_ticket_complaint import COMPLAINT_STATES, REASONABLENESS


class CsComplaintReport(models.Model):
    """Complaint analysis: one row per active ticket, so the complaint rate is an average.

    Every ticket counts in the denominator (``ticket_count``); complaints carry 1 in
    ``complaint_count`` and ``complaint_rate`` and their own dimensions (aspect, severity,
    department, ...). Grouped by team, agent or month, the average of ``complaint_rate`` is
    complaints / all tickets. Complaint-only measures are empty (not 0) on other tickets.
    """

    _name = "cs.complaint.report"
    _description = "Complaint Analysis"
    _inherit = "cs.report.mixin"
    _auto = False
    _rec_name = "number"
    _order = "create_date desc"
    _rollup_date = "create_date"
    _rollup_sources = {"cs_ticket": "create_date"}
    _rollup_measures = (
        "ticket_count",
        "complaint_count",
        "complaint_rate",
        "defect_rate",
        "escalated_rate",
        "satisfied_rate",
        "compensation",
        "resolution_hours",
        "reopen_count",
    )
    _rollups = {
        "team": ("company_id", "team_id", "channel_id", "is_complaint", "complaint_state", "severity"),
        "agent": ("company_id", "team_id", "user_id", "is_complaint"),
        "cause": ("company_id", "team_id", "aspect_id", "reasonableness", "department_id", "evaluation_result"),
    }
    _depends = {
        "cs.ticket": [
            "active",
            "number",
            "name",
            "create_date",
            "company_id",
            "team_id",
            "user_id",
            "channel_id",
            "partner_id",
            "complaint_state",
            "complaint_severity",
            "complaint_aspect_id",
            "complaint_reasonableness",
            "complaint_department_id",
            "complaint_defect_found",
            "complaint_escalation_level",
            "complaint_compensation",
            "complaint_evaluation_result",
            "resolution_hours",
            "resolved_date",
            "reopen_count",
        ],
    }

    ticket_id = fields.Many2one("cs.ticket", string="Ticket", readonly=True)
    number = fields.Char(string="Ticket Number", readonly=True)
    name = fields.Char(string="Subject", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    channel_id = fields.Many2one("cs.ticket.channel", string="Channel", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    is_complaint = fields.Boolean(string="Complaint", readonly=True)
    complaint_state = fields.Selection(COMPLAINT_STATES, string="Complaint Step", readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    aspect_id = fields.Many2one("cs.complaint.aspect", string="Aspect", readonly=True)
    reasonableness = fields.Selection(REASONABLENESS, string="Request Is", readonly=True)
    department_id = fields.Many2one("cs.department", string="Responsible Department", readonly=True)
    escalation_level = fields.Selection(ESCALATION_LEVELS, readonly=True)
    evaluation_result = fields.Selection(FOLLOWUP_RESULTS, readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True, aggregator="sum")
    complaint_count = fields.Integer(string="Complaints", readonly=True, aggregator="sum")
    complaint_rate = fields.Float(
        readonly=True, aggregator="avg", help="Complaints / all tickets: 1 on complaints, 0 on other tickets."
    )
    defect_rate = fields.Float(
        string="Service Defect Rate", readonly=True, aggregator="avg", help="Share of complaints with a service defect."
    )
    escalated_rate = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Share of complaints escalated to a team leader or a manager.",
    )
    satisfied_rate = fields.Float(
        string="Satisfied at Return Visit",
        readonly=True,
        aggregator="avg",
        help="Share of evaluated complaints whose customer was satisfied at the return visit.",
    )
    compensation = fields.Float(readonly=True, aggregator="sum")
    resolution_hours = fields.Float(readonly=True, aggregator="avg", help="Of the resolved complaints.")
    reopen_count = fields.Integer(string="Reopened", readonly=True, aggregator="sum")

    def _select(self):
        is_complaint = SQL("t.complaint_state IS NOT NULL")
        return SQL(
            """
            t.id AS id,
            t.id AS ticket_id,
            t.number,
            t.name,
            t.create_date,
            t.company_id,
            t.team_id,
            t.user_id,
            t.channel_id,
            t.partner_id,
            t.complaint_state IS NOT NULL AS is_complaint,
            t.complaint_state,
            t.complaint_severity AS severity,
            t.complaint_aspect_id AS aspect_id,
            t.complaint_reasonableness AS reasonableness,
            t.complaint_department_id AS department_id,
            t.complaint_escalation_level AS escalation_level,
            t.complaint_evaluation_result AS evaluation_result,
            1 AS ticket_count,
            CASE WHEN t.complaint_state IS NOT NULL THEN 1 ELSE 0 END AS complaint_count,
            %(complaint_rate)s AS complaint_rate,
            %(defect_rate)s AS defect_rate,
            %(escalated_rate)s AS escalated_rate,
            %(satisfied_rate)s AS satisfied_rate,
            CASE WHEN t.complaint_state IS NOT NULL THEN COALESCE(t.complaint_compensation, 0) END AS compensation,
            CASE WHEN t.complaint_state IS NOT NULL AND t.resolved_date IS NOT NULL
                 THEN t.resolution_hours END AS resolution_hours,
            CASE WHEN t.complaint_state IS NOT NULL THEN COALESCE(t.reopen_count, 0) ELSE 0 END AS reopen_count
            """,
            complaint_rate=rate_sql(is_complaint),
            defect_rate=rate_sql(SQL("t.complaint_defect_found"), is_complaint),
            escalated_rate=rate_sql(SQL("t.complaint_escalation_level IN ('3', '4')"), is_complaint),
            satisfied_rate=rate_sql(
                SQL("t.complaint_evaluation_result = 'satisfied'"), SQL("t.complaint_evaluation_result IS NOT NULL")
            ),
        )

    def _query(self):
        return SQL("SELECT %s FROM cs_ticket t WHERE t.active", self._select())

    def init(self):
        # the report groups by team, agent and month and filters complaints: the ticket's indexes on
        # team_id, user_id, complaint_state (partial) and create_date serve it
        tools.create_index(self.env.cr, tools.make_index_name("cs_ticket", "create_date"), "cs_ticket", ["create_date"])
        return super().init()
