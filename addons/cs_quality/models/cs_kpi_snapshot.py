from odoo import api, fields, models, tools
from odoo.tools import SQL

from .cs_kpi_metrics import KPI_METRICS, LOWER_IS_BETTER

RATE_HELP = "A fraction shown as a percentage; averaged over several rows it is not weighted by volume."


class CsKpiSnapshot(models.Model):
    """Operating KPIs (运营指标) of an agent within a team, or of a whole team, over one period.

    Rows are written by the KPI cron in one INSERT ... SELECT per period (see ``_aggregate_query``).
    Definitions: the ticket KPIs are over the tickets created in the period and assigned to the agent;
    first response is the elapsed time from creation to the first reply (the seeds' "AHT");
    handling time the elapsed time to resolution; FCR the share of resolved tickets never reopened;
    reviews count on the day they were sent, checks on the day the ticket closed, return visits on
    their planned day.
    """

    _name = "cs.kpi.snapshot"
    _description = "KPI Snapshot"
    _order = "date_start desc, team_id, rank_in_team, id"
    _rec_name = "period_id"

    period_id = fields.Many2one("cs.kpi.period", required=True, index=True, ondelete="cascade", readonly=True)
    period_type = fields.Selection(related="period_id.period_type", store=True)
    date_start = fields.Date(related="period_id.date_start", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    scope = fields.Selection([("agent", "Agent"), ("team", "Team")], required=True, index=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", index=True, readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Team", index=True, readonly=True)
    ticket_count = fields.Integer(string="Ticket Volume", readonly=True, aggregator="sum")
    first_response_hours = fields.Float(string="First Response (h)", digits=(16, 2), readonly=True, aggregator="avg")
    handling_hours = fields.Float(string="Handling Time (h)", digits=(16, 2), readonly=True, aggregator="avg")
    fcr_rate = fields.Float(string="First Contact Resolution", readonly=True, aggregator="avg", help=RATE_HELP)
    sla_met_rate = fields.Float(string="SLA Met", readonly=True, aggregator="avg", help=RATE_HELP)
    csat_avg = fields.Float(string="Average Rating", digits=(16, 2), readonly=True, aggregator="avg")
    satisfied_rate = fields.Float(
        string="Satisfied Customers", readonly=True, aggregator="avg", help="Ratings of 4 or 5. " + RATE_HELP
    )
    complaint_count = fields.Integer(string="Complaints", readonly=True, aggregator="sum")
    complaint_rate = fields.Float(readonly=True, aggregator="avg", help="Complaints per ticket. " + RATE_HELP)
    reopen_rate = fields.Float(readonly=True, aggregator="avg", help=RATE_HELP)
    qa_score_avg = fields.Float(string="QA Average Score", digits=(16, 1), readonly=True, aggregator="avg")
    qa_review_count = fields.Integer(string="QA Reviews", readonly=True, aggregator="sum")
    autocheck_pass_rate = fields.Float(
        string="Automatic Check Pass Rate", readonly=True, aggregator="avg", help=RATE_HELP
    )
    autocheck_count = fields.Integer(string="Automatic Checks", readonly=True, aggregator="sum")
    autocheck_coverage = fields.Float(
        string="Auto-checked Tickets", readonly=True, aggregator="avg", help="Share of the closed tickets. " + RATE_HELP
    )
    review_coverage = fields.Float(
        string="Tickets Reviewed",
        readonly=True,
        aggregator="avg",
        help="Share of the closed tickets reviewed by a QA inspector. " + RATE_HELP,
    )
    followup_rate = fields.Float(string="Return Visits Completed", readonly=True, aggregator="avg", help=RATE_HELP)
    rank_in_team = fields.Integer(
        string="Rank in Team",
        readonly=True,
        aggregator="min",
        help="Rank of the agent in the team over the period: QA average first, then average rating.",
    )
    target_state = fields.Selection(
        [("green", "On Target"), ("red", "Off Target")], compute="_compute_target_state", string="Targets"
    )
    target_summary = fields.Char(string="Missed Targets", compute="_compute_target_state")

    def init(self):
        tools.create_index(
            self.env.cr, "cs_kpi_snapshot_period_scope_index", self._table, ["period_id", "scope", "team_id"]
        )

    def _compute_target_state(self):
        targets = self.env["cs.kpi.target"].search([("company_id", "in", self.company_id.ids)])
        labels = dict(KPI_METRICS)
        for snapshot in self:
            by_metric = {}
            # a team's own target replaces the one of every team
            for target in targets.sorted(lambda t: bool(t.team_id)):
                if (
                    target.period_type == snapshot.period_type
                    and target.scope == snapshot.scope
                    and target.team_id in (snapshot.team_id, self.env["cs.ticket.team"])
                ):
                    by_metric[target.metric] = target
            missed = [target for target in by_metric.values() if not target._is_met(snapshot[target.metric])]
            snapshot.target_state = (missed and "red") or (by_metric and "green") or False
            snapshot.target_summary = ", ".join(
                labels[metric] for metric, _label in KPI_METRICS if metric in {t.metric for t in missed}
            )

    @api.model
    def _aggregate_query(self, period, start, end):
        """INSERT ... SELECT of every agent and team row of ``period`` (UTC bounds ``start``, ``end``)."""
        company = period.company_id.id
        return SQL(
            """
            WITH facts AS (
                SELECT t.user_id, t.team_id, 1 AS ticket,
                       CASE WHEN t.first_response_date IS NOT NULL THEN t.first_response_hours END AS frh,
                       CASE WHEN t.resolved_date IS NOT NULL THEN t.resolution_hours END AS hh,
                       CASE WHEN t.is_resolved
                            THEN (CASE WHEN COALESCE(t.reopen_count, 0) = 0 THEN 1.0 ELSE 0.0 END) END AS fcr,
                       CASE t.sla_status WHEN 'met' THEN 1.0 WHEN 'failed' THEN 0.0 END AS sla,
                       CASE WHEN t.rating_last_value > 0 THEN t.rating_last_value END AS csat,
                       CASE WHEN t.rating_last_value > 0
                            THEN (CASE WHEN t.rating_last_value >= 4 THEN 1.0 ELSE 0.0 END) END AS satisfied,
                       CASE WHEN t.is_resolved
                            THEN (CASE WHEN COALESCE(t.reopen_count, 0) > 0 THEN 1.0 ELSE 0.0 END) END AS reopen,
                       0 AS complaint, NULL::float8 AS qa, NULL::float8 AS checked, NULL::float8 AS followup,
                       CASE WHEN t.is_closed THEN (CASE WHEN t.qa_checked_date IS NOT NULL THEN 1.0 ELSE 0.0 END)
                       END AS auto_cov,
                       CASE WHEN t.is_closed THEN (CASE WHEN rv.ticket_id IS NOT NULL THEN 1.0 ELSE 0.0 END)
                       END AS review_cov
                  FROM cs_ticket t
                  LEFT JOIN (SELECT DISTINCT ticket_id FROM cs_qa_review WHERE kind != 'calibration') rv
                         ON rv.ticket_id = t.id
                 WHERE t.company_id = %(company)s AND t.active AND t.user_id IS NOT NULL
                   AND t.create_date >= %(start)s AND t.create_date < %(end)s
                UNION ALL
                SELECT r.user_id, t.team_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                       1, NULL, NULL, NULL, NULL, NULL
                  FROM cs_ticket_complaint_user_rel r
                  JOIN cs_ticket t ON t.id = r.ticket_id
                 WHERE t.company_id = %(company)s AND t.active
                   AND t.create_date >= %(start)s AND t.create_date < %(end)s
                UNION ALL
                SELECT q.agent_id, q.team_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                       0, q.score, NULL, NULL, NULL, NULL
                  FROM cs_qa_review q
                 WHERE q.company_id = %(company)s AND q.is_final
                   AND q.feedback_date >= %(start)s AND q.feedback_date < %(end)s
                UNION ALL
                SELECT c.agent_id, c.team_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                       0, NULL, c.passed, NULL, NULL, NULL
                  FROM cs_qa_check c
                 WHERE c.company_id = %(company)s AND c.agent_id IS NOT NULL AND c.scope = 'ticket'
                   AND c.date >= %(start)s AND c.date < %(end)s
                UNION ALL
                SELECT f.user_id, f.team_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
                       CASE WHEN f.state = 'done' THEN 1.0 ELSE 0.0 END, NULL, NULL
                  FROM cs_followup f
                 WHERE f.company_id = %(company)s AND f.user_id IS NOT NULL AND f.state != 'cancelled'
                   AND f.date_planned >= %(start)s AND f.date_planned < %(end)s
            ), rows AS (
                SELECT CASE WHEN GROUPING(user_id) = 1 THEN 'team' ELSE 'agent' END AS scope,
                       user_id, team_id,
                       SUM(ticket) AS ticket_count,
                       AVG(frh) AS first_response_hours,
                       AVG(hh) AS handling_hours,
                       AVG(fcr) AS fcr_rate,
                       AVG(sla) AS sla_met_rate,
                       AVG(csat) AS csat_avg,
                       AVG(satisfied) AS satisfied_rate,
                       SUM(complaint) AS complaint_count,
                       SUM(complaint)::float8 / NULLIF(SUM(ticket), 0) AS complaint_rate,
                       AVG(reopen) AS reopen_rate,
                       AVG(qa) AS qa_score_avg,
                       COUNT(qa) AS qa_review_count,
                       AVG(checked) AS autocheck_pass_rate,
                       COUNT(checked) AS autocheck_count,
                       AVG(followup) AS followup_rate,
                       AVG(auto_cov) AS autocheck_coverage,
                       AVG(review_cov) AS review_coverage
                  FROM facts
              GROUP BY GROUPING SETS ((user_id, team_id), (team_id))
                HAVING GROUPING(user_id) = 0 OR team_id IS NOT NULL
            )
            INSERT INTO cs_kpi_snapshot (
                period_id, period_type, date_start, company_id, scope, user_id, team_id, ticket_count,
                first_response_hours, handling_hours, fcr_rate, sla_met_rate, csat_avg, satisfied_rate,
                complaint_count, complaint_rate, reopen_rate, qa_score_avg, qa_review_count,
                autocheck_pass_rate, autocheck_count, followup_rate, autocheck_coverage, review_coverage, rank_in_team,
                create_uid, create_date, write_uid, write_date)
            SELECT %(period)s, %(period_type)s, %(date_start)s, %(company)s, scope, user_id, team_id, ticket_count,
                   first_response_hours, handling_hours, fcr_rate, sla_met_rate, csat_avg, satisfied_rate,
                   complaint_count, complaint_rate, reopen_rate, qa_score_avg, qa_review_count,
                   autocheck_pass_rate, autocheck_count, followup_rate, autocheck_coverage, review_coverage,
                   CASE WHEN scope = 'agent' AND team_id IS NOT NULL THEN
                       RANK() OVER (PARTITION BY scope, team_id
                                    ORDER BY qa_score_avg DESC NULLS LAST, csat_avg DESC NULLS LAST)
                   END,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM rows
            """,
            company=company,
            start=start,
            end=end,
            period=period.id,
            period_type=period.period_type,
            date_start=period.date_start,
            uid=self.env.uid,
        )

    @api.model
    def _value(self, metric, company, period_type, day, team=None, user=None):
        """The KPI of the latest snapshot of a team (or agent) for the period containing ``day``, or None."""
        domain = [
            ("company_id", "=", company.id),
            ("period_type", "=", period_type),
            ("date_start", "<=", day),
            ("scope", "=", "agent" if user else "team"),
        ]
        if team:
            domain.append(("team_id", "=", team.id))
        if user:
            domain.append(("user_id", "=", user.id))
        snapshot = self.search(domain, order="date_start desc", limit=1)
        return snapshot[metric] if snapshot else None

    @api.model
    def _better(self, metric, value, reference):
        """Whether ``value`` is better than ``reference`` for the KPI."""
        return value < reference if metric in LOWER_IS_BETTER else value > reference
