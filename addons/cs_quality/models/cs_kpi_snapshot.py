from odoo import api, fields, models, tools
from odoo.addons.cs_helpdesk.models.cs_settings import get_int_param
from odoo.tools import SQL

from .cs_kpi_metrics import KPI_METRICS, LOWER_IS_BETTER

# The seeds give neither: a quarter of a year to see whether a customer buys again, and 1-2 stars as a low rating.
PURCHASE_WINDOW_PARAM = "cs_quality.purchase_window_days"
DEFAULT_PURCHASE_WINDOW = 90
LOW_RATING_PARAM = "cs_quality.low_rating"
DEFAULT_LOW_RATING = 2
# The seeds give no minimum: with answers from fewer than 3 employees, a member of the team could work out a
# colleague's score (counted in employees, not answers: two members answering twice each are still two)
ESAT_MIN_RESPONDENTS_PARAM = "cs_quality.esat_min_respondents"
DEFAULT_ESAT_MIN_RESPONDENTS = 3

# facts of a row that is not a ticket, and of a row that is not a call or chat (see _aggregate_query)
NO_TICKET_FACTS = SQL("0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL")
NO_CONTACT_FACTS = SQL("0, 0, NULL, NULL, NULL, NULL, NULL, 0")
CALL_HELP = "Calls as the call detail report counts them: ended calls, by the time they rang, of the agent and queue. "

RATE_HELP = "A fraction shown as a percentage; averaged over several rows it is not weighted by volume."


def _call_seconds(string, help_text):
    """An average duration of the calls, in seconds."""
    return fields.Float(string=string, digits=(16, 1), readonly=True, aggregator="avg", help=CALL_HELP + help_text)


class CsKpiSnapshot(models.Model):
    """Operating KPIs (运营指标) of an agent within a team, or of a whole team, over one period.

    Rows are written by the KPI cron in one INSERT ... SELECT per period (see ``_aggregate_query``).
    Definitions: the ticket KPIs are over the tickets created in the period and assigned to the agent;
    first response is the elapsed time from creation to the first reply (the seeds' "AHT");
    handling time the elapsed time to resolution; FCR the share of resolved tickets never reopened;
    reviews count on the day they were sent, checks on the day the ticket closed, return visits on
    their planned day. Calls and chats are read from cs_helpdesk's call detail report and live chat
    analysis (SQL views), so the snapshots and those reports agree (see the fields' help).
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
    esat_score = fields.Float(
        string="Employee Satisfaction",
        readonly=True,
        aggregator="avg",
        help="ESAT: average score of the team members' answers to the employee satisfaction surveys, as a share "
        "of the surveys' maximum score. On team rows only, and only when at least the minimum number of employees "
        "set in the settings (3 unless changed) answered, so that no one's answer can be worked out. " + RATE_HELP,
    )
    esat_response_count = fields.Integer(string="ESAT Answers", readonly=True, aggregator="sum")
    esat_respondent_count = fields.Integer(
        string="ESAT Respondents", readonly=True, aggregator="sum", help="Employees who answered (team rows)."
    )
    esat_note = fields.Char(string="ESAT Note", compute="_compute_esat_note")
    repeat_purchase_rate = fields.Float(
        string="Repeat Purchase after Complaint",
        readonly=True,
        aggregator="avg",
        help="Complaints and low ratings whose customer confirmed a sales order within the purchase window after "
        "the ticket, once that window has passed. Needs the Sales app. " + RATE_HELP,
    )
    churn_rate = fields.Float(
        string="Churn after Complaint",
        readonly=True,
        aggregator="avg",
        help="Of the complaints and low ratings whose customer had ordered within the purchase window before the "
        "ticket: the share who did not order within the window after it. Needs the Sales app. " + RATE_HELP,
    )
    call_count = fields.Integer(
        string="Calls",
        readonly=True,
        aggregator="sum",
        help=CALL_HELP + "Inbound and outbound, whatever their result (the report's Calls).",
    )
    call_answered_count = fields.Integer(string="Answered Calls", readonly=True, aggregator="sum", help=CALL_HELP)
    talk_seconds = _call_seconds(
        "Average Talk Time (s)", "Of the answered calls: seconds from the answer to the hang-up, time on hold left out."
    )
    hold_seconds = _call_seconds(
        "Average Hold Time (s)", "Of the answered calls: seconds on hold, as the telephony system reports them."
    )
    call_handling_seconds = _call_seconds(
        "Average Call Handling Time (s)",
        "Of the answered calls: talk time plus hold time, i.e. answer to hang-up. The telephony system reports no "
        "after-call work (wrap-up), so it is not included.",
    )
    wait_seconds = _call_seconds(
        "Customer Waiting Time (s)",
        "Of the answered inbound calls: seconds from the first ring (queue included) to the answer (the report's "
        "Average Answer Time, outbound calls left out). Calls given up before an answer are not in it: the service "
        "level counts them.",
    )
    service_level = fields.Float(
        readonly=True,
        aggregator="avg",
        help=CALL_HELP + "Inbound calls answered within the hotline answer target of the SLA policies (seeded: "
        "30 s) over every inbound call offered: missed, abandoned and voicemail calls count as not answered in "
        "time. Calls abandoned in the queue have no agent: they count in the team row only. Empty without an "
        "answer target. " + RATE_HELP,
    )
    chat_count = fields.Integer(
        string="Chats",
        readonly=True,
        aggregator="sum",
        help="Live chat sessions answered by the agent (not by a chatbot), by the time of their first message, "
        "as the live chat analysis counts them.",
    )
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

    def _compute_esat_note(self):
        minimum = get_int_param(self.env, ESAT_MIN_RESPONDENTS_PARAM, DEFAULT_ESAT_MIN_RESPONDENTS, 1)
        for snapshot in self:
            respondents = snapshot.esat_respondent_count
            hidden = respondents and respondents < minimum and not snapshot.esat_score
            snapshot.esat_note = hidden and self.env._(
                "Hidden: fewer than %(minimum)s employees answered, a colleague's score could be worked out.",
                minimum=minimum,
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
        repeat, churn = self._purchase_after_complaint_sql()
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
                       END AS review_cov,
                       NULL::float8 AS esat, %(repeat)s AS repeat, %(churn)s AS churn,
                       0 AS calls, 0 AS answered, NULL::float8 AS talk, NULL::float8 AS hold,
                       NULL::float8 AS handle, NULL::float8 AS wait, NULL::float8 AS service, 0 AS chats,
                       0 AS respondent
                  FROM cs_ticket t
                  LEFT JOIN cs_ticket_type ty ON ty.id = t.type_id
                  LEFT JOIN (SELECT DISTINCT ticket_id FROM cs_qa_review WHERE kind != 'calibration') rv
                         ON rv.ticket_id = t.id
                 WHERE t.company_id = %(company)s AND t.active AND t.user_id IS NOT NULL
                   AND t.create_date >= %(start)s AND t.create_date < %(end)s
                UNION ALL
                SELECT r.user_id, t.team_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                       1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, %(no_contact)s, 0
                  FROM cs_ticket_complaint_user_rel r
                  JOIN cs_ticket t ON t.id = r.ticket_id
                 WHERE t.company_id = %(company)s AND t.active
                   AND t.create_date >= %(start)s AND t.create_date < %(end)s
                UNION ALL
                SELECT q.agent_id, q.team_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                       0, q.score, NULL, NULL, NULL, NULL, NULL, NULL, NULL, %(no_contact)s, 0
                  FROM cs_qa_review q
                 WHERE q.company_id = %(company)s AND q.is_final
                   AND q.feedback_date >= %(start)s AND q.feedback_date < %(end)s
                UNION ALL
                SELECT c.agent_id, c.team_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                       0, NULL, c.passed, NULL, NULL, NULL, NULL, NULL, NULL, %(no_contact)s, 0
                  FROM cs_qa_check c
                 WHERE c.company_id = %(company)s AND c.agent_id IS NOT NULL AND c.scope = 'ticket'
                   AND c.date >= %(start)s AND c.date < %(end)s
                UNION ALL
                SELECT f.user_id, f.team_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
                       CASE WHEN f.state = 'done' THEN 1.0 ELSE 0.0 END, NULL, NULL, NULL, NULL, NULL,
                       %(no_contact)s, 0
                  FROM cs_followup f
                 WHERE f.company_id = %(company)s AND f.user_id IS NOT NULL AND f.state != 'cancelled'
                   AND f.date_planned >= %(start)s AND f.date_planned < %(end)s
                UNION ALL
                -- ESAT: answers of the employee satisfaction surveys, as a share of their maximum score, counted
                -- for each team of the employee (team rows only: no agent row shows a colleague's answer)
                SELECT NULL::int4, m.team_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL,
                       NULL, NULL, ui.scoring_percentage / 100.0, NULL, NULL, %(no_contact)s,
                       -- 1 on one answer of each employee per team: respondents are counted by a plain sum
                       -- (a COUNT(DISTINCT) would have PostgreSQL sort every fact instead of hashing them)
                       CASE WHEN ROW_NUMBER() OVER (PARTITION BY m.team_id, u.id) = 1 THEN 1 ELSE 0 END
                  FROM survey_user_input ui
                  JOIN survey_survey s ON s.id = ui.survey_id AND s.cs_esat
                  JOIN res_users u ON u.partner_id = ui.partner_id AND NOT u.share
                  JOIN cs_ticket_team_member_rel m ON m.user_id = u.id
                  JOIN cs_ticket_team tm ON tm.id = m.team_id AND tm.company_id = %(company)s
                 WHERE ui.state = 'done' AND NOT ui.test_entry
                   AND ui.end_datetime >= %(start)s AND ui.end_datetime < %(end)s
                UNION ALL
                -- calls as cs_helpdesk's call detail report has them (same service level and answer target)
                SELECT c.agent_id, c.team_id, %(no_ticket)s,
                       1, c.answered_count, c.talk_seconds, c.hold_seconds, c.talk_seconds + c.hold_seconds,
                       CASE WHEN c.direction = 'inbound' THEN c.answer_seconds END, c.service_level, 0, 0
                  FROM cs_call_report c
                 WHERE c.company_id = %(company)s AND c.ring_date >= %(start)s AND c.ring_date < %(end)s
                UNION ALL
                -- live chats answered by an agent, as the live chat analysis has them
                SELECT h.user_id, h.team_id, %(no_ticket)s, 0, 0, NULL, NULL, NULL, NULL, NULL, 1, 0
                  FROM cs_chat_report h
                 WHERE h.company_id = %(company)s AND h.user_id IS NOT NULL
                   AND h.date >= %(start)s AND h.date < %(end)s
            ), per_agent AS (
                -- summed per agent and team first, by hashing (linear in tickets: see _compute_snapshots), so
                -- that the grouping sets below work on a few hundred rows instead of every ticket
                SELECT user_id, team_id, SUM(ticket) AS tickets, SUM(complaint) AS complaints,
                       SUM(frh::float8) AS frh, COUNT(frh) AS frh_n, SUM(hh::float8) AS hh, COUNT(hh) AS hh_n,
                       SUM(fcr::float8) AS fcr, COUNT(fcr) AS fcr_n, SUM(sla::float8) AS sla, COUNT(sla) AS sla_n,
                       SUM(csat::float8) AS csat, COUNT(csat) AS csat_n,
                       SUM(satisfied::float8) AS satisfied, COUNT(satisfied) AS satisfied_n,
                       SUM(reopen::float8) AS reopen, COUNT(reopen) AS reopen_n,
                       SUM(qa::float8) AS qa, COUNT(qa) AS qa_n,
                       SUM(checked::float8) AS checked, COUNT(checked) AS checked_n,
                       SUM(followup::float8) AS followup, COUNT(followup) AS followup_n,
                       SUM(auto_cov::float8) AS auto_cov, COUNT(auto_cov) AS auto_cov_n,
                       SUM(review_cov::float8) AS review_cov, COUNT(review_cov) AS review_cov_n,
                       SUM(esat::float8) AS esat, COUNT(esat) AS esat_n, SUM(respondent) AS respondents,
                       SUM(repeat::float8) AS repeat, COUNT(repeat) AS repeat_n,
                       SUM(churn::float8) AS churn, COUNT(churn) AS churn_n,
                       SUM(calls) AS calls, SUM(answered) AS answered, SUM(chats) AS chats,
                       SUM(talk::float8) AS talk, COUNT(talk) AS talk_n,
                       SUM(hold::float8) AS hold, COUNT(hold) AS hold_n,
                       SUM(handle::float8) AS handle, COUNT(handle) AS handle_n,
                       SUM(wait::float8) AS wait, COUNT(wait) AS wait_n,
                       SUM(service::float8) AS service, COUNT(service) AS service_n
                  FROM facts
              GROUP BY user_id, team_id
            ), rows AS (
                SELECT CASE WHEN GROUPING(user_id) = 1 THEN 'team' ELSE 'agent' END AS scope,
                       user_id, team_id,
                       SUM(tickets) AS ticket_count,
                       SUM(frh) / NULLIF(SUM(frh_n), 0) AS first_response_hours,
                       SUM(hh) / NULLIF(SUM(hh_n), 0) AS handling_hours,
                       SUM(fcr) / NULLIF(SUM(fcr_n), 0) AS fcr_rate,
                       SUM(sla) / NULLIF(SUM(sla_n), 0) AS sla_met_rate,
                       SUM(csat) / NULLIF(SUM(csat_n), 0) AS csat_avg,
                       SUM(satisfied) / NULLIF(SUM(satisfied_n), 0) AS satisfied_rate,
                       SUM(complaints) AS complaint_count,
                       SUM(complaints)::float8 / NULLIF(SUM(tickets), 0) AS complaint_rate,
                       SUM(reopen) / NULLIF(SUM(reopen_n), 0) AS reopen_rate,
                       SUM(qa) / NULLIF(SUM(qa_n), 0) AS qa_score_avg,
                       SUM(qa_n) AS qa_review_count,
                       SUM(checked) / NULLIF(SUM(checked_n), 0) AS autocheck_pass_rate,
                       SUM(checked_n) AS autocheck_count,
                       SUM(followup) / NULLIF(SUM(followup_n), 0) AS followup_rate,
                       SUM(auto_cov) / NULLIF(SUM(auto_cov_n), 0) AS autocheck_coverage,
                       SUM(review_cov) / NULLIF(SUM(review_cov_n), 0) AS review_coverage,
                       CASE WHEN SUM(respondents) >= %(esat_min)s THEN SUM(esat) / SUM(esat_n) END AS esat_score,
                       SUM(esat_n) AS esat_response_count, SUM(respondents) AS esat_respondent_count,
                       SUM(repeat) / NULLIF(SUM(repeat_n), 0) AS repeat_purchase_rate,
                       SUM(churn) / NULLIF(SUM(churn_n), 0) AS churn_rate,
                       SUM(calls) AS call_count, SUM(answered) AS call_answered_count,
                       SUM(talk) / NULLIF(SUM(talk_n), 0) AS talk_seconds,
                       SUM(hold) / NULLIF(SUM(hold_n), 0) AS hold_seconds,
                       SUM(handle) / NULLIF(SUM(handle_n), 0) AS call_handling_seconds,
                       SUM(wait) / NULLIF(SUM(wait_n), 0) AS wait_seconds,
                       SUM(service) / NULLIF(SUM(service_n), 0) AS service_level,
                       SUM(chats) AS chat_count
                  FROM per_agent
              GROUP BY GROUPING SETS ((user_id, team_id), (team_id))
                HAVING (GROUPING(user_id) = 0 AND user_id IS NOT NULL)
                    OR (GROUPING(user_id) = 1 AND team_id IS NOT NULL)
            )
            INSERT INTO cs_kpi_snapshot (
                period_id, period_type, date_start, company_id, scope, user_id, team_id, ticket_count,
                first_response_hours, handling_hours, fcr_rate, sla_met_rate, csat_avg, satisfied_rate,
                complaint_count, complaint_rate, reopen_rate, qa_score_avg, qa_review_count,
                autocheck_pass_rate, autocheck_count, followup_rate, autocheck_coverage, review_coverage, rank_in_team,
                esat_score, esat_response_count, esat_respondent_count, repeat_purchase_rate, churn_rate,
                call_count, call_answered_count, talk_seconds, hold_seconds, call_handling_seconds, wait_seconds,
                service_level, chat_count,
                create_uid, create_date, write_uid, write_date)
            SELECT %(period)s, %(period_type)s, %(date_start)s, %(company)s, scope, user_id, team_id, ticket_count,
                   first_response_hours, handling_hours, fcr_rate, sla_met_rate, csat_avg, satisfied_rate,
                   complaint_count, complaint_rate, reopen_rate, qa_score_avg, qa_review_count,
                   autocheck_pass_rate, autocheck_count, followup_rate, autocheck_coverage, review_coverage,
                   CASE WHEN scope = 'agent' AND team_id IS NOT NULL THEN
                       RANK() OVER (PARTITION BY scope, team_id
                                    ORDER BY qa_score_avg DESC NULLS LAST, csat_avg DESC NULLS LAST)
                   END,
                   esat_score, esat_response_count, esat_respondent_count, repeat_purchase_rate, churn_rate,
                   call_count, call_answered_count, talk_seconds, hold_seconds, call_handling_seconds, wait_seconds,
                   service_level, chat_count,
                   %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM rows
            """,
            company=company,
            start=start,
            end=end,
            repeat=repeat,
            churn=churn,
            no_ticket=NO_TICKET_FACTS,
            no_contact=NO_CONTACT_FACTS,
            esat_min=get_int_param(self.env, ESAT_MIN_RESPONDENTS_PARAM, DEFAULT_ESAT_MIN_RESPONDENTS, 1),
            period=period.id,
            period_type=period.period_type,
            date_start=period.date_start,
            uid=self.env.uid,
        )

    @api.model
    def _purchase_after_complaint_sql(self):
        """(repeat, churn) SQL facts of a ticket ``t`` of type ``ty``; NULL without the Sales app.

        cs_quality does not depend on ``sale``: the orders are read only where it is installed.
        """
        if "sale.order" not in self.env:
            return SQL("NULL::float8"), SQL("NULL::float8")
        window = SQL(
            "make_interval(days => %s)", get_int_param(self.env, PURCHASE_WINDOW_PARAM, DEFAULT_PURCHASE_WINDOW, 1)
        )
        low_rating = get_int_param(self.env, LOW_RATING_PARAM, DEFAULT_LOW_RATING, 1)
        applicable = SQL(
            """(ty.code = 'complaint' OR (t.rating_last_value > 0 AND t.rating_last_value <= %s))
               AND t.partner_id IS NOT NULL AND t.create_date + %s <= NOW() AT TIME ZONE 'UTC'""",
            low_rating,
            window,
        )

        def ordered(start, end):
            return SQL(
                """EXISTS (SELECT 1 FROM sale_order so WHERE so.partner_id = t.partner_id AND so.state = 'sale'
                             AND so.date_order >= %s AND so.date_order < %s)""",
                start,
                end,
            )

        after = ordered(SQL("t.create_date"), SQL("t.create_date + %s", window))
        before = ordered(SQL("t.create_date - %s", window), SQL("t.create_date"))
        return (
            SQL("CASE WHEN %s THEN (CASE WHEN %s THEN 1.0 ELSE 0.0 END) END", applicable, after),
            SQL("CASE WHEN %s AND %s THEN (CASE WHEN %s THEN 0.0 ELSE 1.0 END) END", applicable, before, after),
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
