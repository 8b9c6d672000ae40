from odoo import fields, models
from odoo.tools import SQL

from ..models.cs_call import CALL_RESULTS
from ..models.cs_report_mixin import rate_sql


class CsCallReport(models.Model):
    """Call detail report (通话详细报告, CDR): calls by day/week/month/year, queue, agent and result, with
    the service level, the share of inbound calls answered within the hotline answer target. The target is
    the company's active SLA policy with an answer time on the phone channel (seeded: 30 seconds); without
    one, the service level is not computed."""

    _name = "cs.call.report"
    _description = "Call Detail Report"
    _inherit = "cs.report.mixin"
    _auto = False
    _order = "ring_date desc"
    _depends = {
        "cs.call": [
            "ring_date",
            "company_id",
            "team_id",
            "agent_id",
            "direction",
            "result",
            "answer_seconds",
            "talk_seconds",
            "hold_seconds",
            "survey_score",
            "partner_id",
            "ticket_id",
        ],
        "cs.sla.policy": ["answer_seconds", "active", "company_id", "channel_ids"],
    }

    call_id = fields.Many2one("cs.call", string="Call", readonly=True)
    ring_date = fields.Datetime(string="Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Queue", readonly=True)
    agent_id = fields.Many2one("res.users", string="Agent", readonly=True)
    direction = fields.Selection([("inbound", "Inbound"), ("outbound", "Outbound")], readonly=True)
    result = fields.Selection(CALL_RESULTS, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    ticket_id = fields.Many2one("cs.ticket", string="Ticket", readonly=True)
    call_count = fields.Integer(string="Calls", readonly=True, aggregator="sum")
    answered_count = fields.Integer(string="Answered Calls", readonly=True, aggregator="sum")
    missed_count = fields.Integer(
        string="Missed Calls", readonly=True, aggregator="sum", help="Missed, abandoned or sent to voicemail."
    )
    answer_seconds = fields.Float(
        string="Average Answer Time (s)", readonly=True, aggregator="avg", help="Of the answered calls."
    )
    talk_seconds = fields.Float(
        string="Average Talk Time (s)", readonly=True, aggregator="avg", help="Of the answered calls."
    )
    talk_total_seconds = fields.Integer(string="Talk Time (s)", readonly=True, aggregator="sum")
    hold_seconds = fields.Float(string="Average Hold Time (s)", readonly=True, aggregator="avg")
    survey_score = fields.Float(
        string="Keypress Satisfaction", readonly=True, aggregator="avg", help="Average of the scores keyed in."
    )
    answer_rate = fields.Float(readonly=True, aggregator="avg", help="Inbound calls answered.")
    service_level = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Inbound calls answered within the hotline answer target (服务水平).",
    )
    target_seconds = fields.Integer(string="Answer Target (s)", readonly=True, aggregator="max")

    def _query(self):
        answered = SQL("c.result = 'answered'")
        inbound = SQL("c.direction = 'inbound'")
        return SQL(
            """
            WITH target AS (
                SELECT DISTINCT ON (p.company_id) p.company_id, p.answer_seconds
                  FROM cs_sla_policy p
                  JOIN cs_sla_policy_cs_ticket_channel_rel r ON r.cs_sla_policy_id = p.id
                  JOIN cs_ticket_channel ch ON ch.id = r.cs_ticket_channel_id AND ch.channel_type = 'phone'
                 WHERE p.active AND p.answer_seconds > 0
              ORDER BY p.company_id, p.sequence, p.id
            )
            SELECT c.id AS id,
                   c.id AS call_id,
                   c.ring_date,
                   c.company_id,
                   c.team_id,
                   c.agent_id,
                   c.direction,
                   c.result,
                   c.partner_id,
                   c.ticket_id,
                   1 AS call_count,
                   CASE WHEN %(answered)s THEN 1 ELSE 0 END AS answered_count,
                   CASE WHEN c.result IN ('missed', 'abandoned', 'voicemail') THEN 1 ELSE 0 END AS missed_count,
                   CASE WHEN %(answered)s THEN c.answer_seconds END AS answer_seconds,
                   CASE WHEN %(answered)s THEN c.talk_seconds END AS talk_seconds,
                   c.talk_seconds AS talk_total_seconds,
                   CASE WHEN %(answered)s THEN c.hold_seconds END AS hold_seconds,
                   NULLIF(c.survey_score, 0) AS survey_score,
                   %(answer_rate)s AS answer_rate,
                   %(service_level)s AS service_level,
                   t.answer_seconds AS target_seconds
              FROM cs_call c
         LEFT JOIN target t ON t.company_id = c.company_id
             WHERE c.state = 'done'
            """,
            answered=answered,
            answer_rate=rate_sql(answered, inbound),
            service_level=rate_sql(
                SQL("%s AND c.answer_seconds <= t.answer_seconds", answered),
                SQL("%s AND t.answer_seconds IS NOT NULL", inbound),
            ),
        )
