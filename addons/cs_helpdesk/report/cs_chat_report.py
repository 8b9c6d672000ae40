from odoo import fields, models
from odoo.tools import SQL

from ..models.cs_report_mixin import rate_sql

# a rating of 4 or 5 out of 5 counts as satisfied, as rating.rating's "great" grade
SATISFIED_RATING = 4


class CsChatReport(models.Model):
    """Live chat statistics (在线客服统计): volume, duration, first reply time and rating by agent and team.

    One row per live chat session of ``im_livechat``; the team is the live chat channel's service team.
    Holds no visitor contact data, so analysts may read it.
    """

    _name = "cs.chat.report"
    _description = "Live Chat Analysis"
    _inherit = "cs.report.mixin"
    _auto = False
    _order = "date desc"

    channel_id = fields.Many2one("discuss.channel", string="Chat Session", readonly=True)
    date = fields.Datetime(string="Started On", readonly=True)
    livechat_channel_id = fields.Many2one("im_livechat.channel", string="Live Chat Channel", readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    is_chatbot = fields.Boolean(string="Handled by a Chatbot", readonly=True)
    chat_count = fields.Integer(string="Chats", readonly=True, aggregator="sum")
    message_count = fields.Integer(string="Messages", readonly=True, aggregator="sum")
    duration_minutes = fields.Float(
        string="Duration (min)", readonly=True, aggregator="avg", help="From the first to the last message."
    )
    first_reply_seconds = fields.Float(
        string="First Reply (s)",
        readonly=True,
        aggregator="avg",
        help="Seconds from the visitor's first message to the agent's first reply after it.",
    )
    answered_rate = fields.Float(
        readonly=True, aggregator="avg", help="Chats where the agent replied to the visitor's messages."
    )
    rating = fields.Float(readonly=True, aggregator="avg", help="Visitor's rating out of 5.")
    satisfied_rate = fields.Float(readonly=True, aggregator="avg", help="Rated chats with a rating of 4 or 5 out of 5.")
    ticket_count = fields.Integer(string="Tickets", readonly=True, aggregator="sum")

    def _query(self):
        return SQL(
            """
            SELECT c.id AS id,
                   c.id AS channel_id,
                   COALESCE(msg.first_message, c.create_date) AS date,
                   c.livechat_channel_id,
                   lc.cs_team_id AS team_id,
                   team.company_id,
                   op.user_id,
                   op.user_id IS NULL AS is_chatbot,
                   1 AS chat_count,
                   COALESCE(msg.message_count, 0) AS message_count,
                   EXTRACT(EPOCH FROM msg.last_message - msg.first_message) / 60.0 AS duration_minutes,
                   EXTRACT(EPOCH FROM reply.first_reply - msg.first_visitor_message) AS first_reply_seconds,
                   %(answered)s AS answered_rate,
                   NULLIF(rate.rating, 0) AS rating,
                   %(satisfied)s AS satisfied_rate,
                   COALESCE(tk.ticket_count, 0) AS ticket_count
              FROM discuss_channel c
              LEFT JOIN im_livechat_channel lc ON lc.id = c.livechat_channel_id
              LEFT JOIN cs_ticket_team team ON team.id = lc.cs_team_id
              LEFT JOIN LATERAL (
                    SELECT u.id AS user_id
                      FROM res_users u
                     WHERE u.partner_id = c.livechat_operator_id AND u.share IS NOT TRUE
                     ORDER BY u.id
                     LIMIT 1
              ) op ON TRUE
              LEFT JOIN LATERAL (
                    SELECT COUNT(*) AS message_count,
                           MIN(m.date) AS first_message,
                           MAX(m.date) AS last_message,
                           MIN(m.date) FILTER (
                               WHERE m.author_id IS DISTINCT FROM c.livechat_operator_id
                           ) AS first_visitor_message
                      FROM mail_message m
                     WHERE m.model = 'discuss.channel' AND m.res_id = c.id AND m.message_type = 'comment'
              ) msg ON TRUE
              LEFT JOIN LATERAL (
                    SELECT MIN(m.date) AS first_reply
                      FROM mail_message m
                     WHERE m.model = 'discuss.channel' AND m.res_id = c.id AND m.message_type = 'comment'
                       AND m.author_id = c.livechat_operator_id AND m.date >= msg.first_visitor_message
              ) reply ON TRUE
              LEFT JOIN LATERAL (
                    SELECT r.rating
                      FROM rating_rating r
                     WHERE r.res_model = 'discuss.channel' AND r.res_id = c.id AND r.consumed
                     ORDER BY r.id DESC
                     LIMIT 1
              ) rate ON TRUE
              LEFT JOIN LATERAL (
                    SELECT COUNT(*) AS ticket_count FROM cs_ticket t WHERE t.chat_channel_id = c.id
              ) tk ON TRUE
             WHERE c.channel_type = 'livechat'
            """,
            answered=rate_sql(
                SQL("reply.first_reply IS NOT NULL"),
                SQL("op.user_id IS NOT NULL AND msg.first_visitor_message IS NOT NULL"),
            ),
            satisfied=rate_sql(SQL("rate.rating >= %s", SATISFIED_RATING), SQL("rate.rating > 0")),
        )
