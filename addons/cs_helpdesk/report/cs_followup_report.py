from odoo import fields, models
from odoo.tools import SQL

from ..models.cs_report_mixin import rate_sql
from ..models.cs_selections import CONTACT_METHODS, FOLLOWUP_RESULTS


class CsFollowupReport(models.Model):
    """Return visit analysis (回访情况): visits done, reached and satisfied, by agent, method, source and date."""

    _name = "cs.followup.report"
    _description = "Return Visit Analysis"
    _inherit = "cs.report.mixin"
    _auto = False
    _order = "date_planned desc"
    # overdue_count depends on the time of the request: it is answered from the raw rows
    _rollup_date = "date_planned"
    _rollup_sources = {"cs_followup": "date_planned"}
    _rollup_measures = ("visit_count", "done_rate", "reach_rate", "satisfied_rate", "reopen_count")
    _rollups = {
        "all": ("company_id", "team_id", "user_id", "source", "method", "state", "result"),
    }
    _depends = {
        "cs.followup": [
            "name",
            "date_planned",
            "date_done",
            "company_id",
            "team_id",
            "user_id",
            "partner_id",
            "ticket_id",
            "source",
            "method",
            "state",
            "result",
            "attempt",
        ],
    }

    followup_id = fields.Many2one("cs.followup", string="Return Visit", readonly=True)
    name = fields.Char(string="Subject", readonly=True)
    date_planned = fields.Datetime(string="Planned On", readonly=True)
    date_done = fields.Datetime(string="Done On", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    ticket_id = fields.Many2one("cs.ticket", string="Ticket", readonly=True)
    source = fields.Selection(
        [("ticket", "Ticket"), ("complaint", "Complaint"), ("care", "Periodic Care"), ("other", "Other Document")],
        readonly=True,
    )
    method = fields.Selection(CONTACT_METHODS, readonly=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")], string="Status", readonly=True
    )
    result = fields.Selection(FOLLOWUP_RESULTS, readonly=True)
    attempt = fields.Integer(readonly=True, aggregator="max")
    visit_count = fields.Integer(string="Visits", readonly=True, aggregator="sum")
    done_rate = fields.Float(readonly=True, aggregator="avg", help="Visits done / visits planned or done.")
    reach_rate = fields.Float(
        string="Reached Rate", readonly=True, aggregator="avg", help="Visits where the customer was reached."
    )
    satisfied_rate = fields.Float(readonly=True, aggregator="avg", help="Satisfied customers among those reached.")
    reopen_count = fields.Integer(
        string="Reopened", readonly=True, aggregator="sum", help="Not-satisfied visits that reopened their ticket."
    )
    overdue_count = fields.Integer(string="Overdue", readonly=True, aggregator="sum")

    def _query(self):
        done = SQL("f.state = 'done'")
        reached = SQL("f.result <> 'unreachable'")
        return SQL(
            """
            SELECT f.id AS id,
                   f.id AS followup_id,
                   f.name,
                   f.date_planned,
                   f.date_done,
                   f.company_id,
                   f.team_id,
                   f.user_id,
                   f.partner_id,
                   f.ticket_id,
                   f.source,
                   f.method,
                   f.state,
                   f.result,
                   f.attempt,
                   1 AS visit_count,
                   %(done_rate)s AS done_rate,
                   %(reach_rate)s AS reach_rate,
                   %(satisfied_rate)s AS satisfied_rate,
                   CASE WHEN f.result = 'unsatisfied' THEN 1 ELSE 0 END AS reopen_count,
                   CASE WHEN f.state = 'planned' AND f.date_planned < (NOW() AT TIME ZONE 'UTC')
                        THEN 1 ELSE 0 END AS overdue_count
              FROM cs_followup f
            """,
            done_rate=rate_sql(done, SQL("f.state IN ('done', 'planned')")),
            reach_rate=rate_sql(reached, done),
            satisfied_rate=rate_sql(SQL("f.result = 'satisfied'"), SQL("%s AND %s", done, reached)),
        )
