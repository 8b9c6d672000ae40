from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.segmenter import Words, html_to_text, tokenize
from .cs_qa_check import reply_findings

REPLY_BATCH = 1000
REPLY_CRON = "cs_quality.ir_cron_qa_reply_checks"
RESULTS = ("pass", "fail")  # by failed (0 or 1)


class CsQaReplyQueue(models.Model):
    """Agent replies waiting for their automatic checks.

    Posting a reply only inserts its id here (one query; the first post of a transaction also
    triggers the cron): the segmentation and matching run in the reply-check cron, a moment
    later, so the agent's post is not slowed down.
    """

    _name = "cs.qa.reply.queue"
    _inherit = ["cs.batch.cron.mixin"]
    _description = "Reply Waiting for Automatic Checks"
    _log_access = False

    message_id = fields.Many2one("mail.message", string="Reply", required=True, ondelete="cascade")

    _sql_constraints = [("message_uniq", "unique (message_id)", "This reply is already waiting for its checks.")]

    @api.model
    def _enqueue(self, message):
        """Queue ``message`` for its checks, the cron triggered in the same statement (it runs on every
        reply an agent posts)."""
        queue = SQL(
            "INSERT INTO cs_qa_reply_queue (message_id) VALUES (%s) ON CONFLICT (message_id) DO NOTHING", message.id
        )
        self.env["ir.cron"]._cs_trigger_now(REPLY_CRON, queue)

    @api.model
    def _cron_process(self):
        return self._cs_run_batch([], lambda queued: queued._process(), REPLY_CRON, batch_size=REPLY_BATCH)

    def _process(self):
        """Check the queued replies: polite words and negative phrases, one result row per reply and check.

        A reply checked again (its text was edited) has its previous results replaced.
        A reply that is not an agent's anymore when the cron runs (deleted, moved) is dropped.
        """
        self.flush_model()
        self.env["mail.message"].flush_model(["model", "res_id", "body", "author_id", "date"])
        self.env["cs.ticket"].flush_model(["company_id", "team_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id, m.body, m.date, t.id, t.company_id, t.team_id,
                       (SELECT u.id FROM res_users u WHERE u.partner_id = m.author_id AND NOT u.share
                         ORDER BY u.active DESC, u.id LIMIT 1)
                  FROM cs_qa_reply_queue q
                  JOIN mail_message m ON m.id = q.message_id
                  JOIN cs_ticket t ON m.model = 'cs.ticket' AND t.id = m.res_id
                 WHERE q.id = ANY(%s)
                """,
                self.ids,
            )
        )
        replies = self.env.cr.fetchall()
        Check = self.env["cs.qa.check"].sudo()
        Check.flush_model()
        self.env.cr.execute(SQL("DELETE FROM cs_qa_check WHERE message_id = ANY(%s)", [reply[0] for reply in replies]))
        matchers = self.env["cs.qa.phrase"]._matchers()
        rows = []
        for message_id, body, date, ticket_id, company_id, team_id, agent_id in replies:
            text = html_to_text(body)
            if not text:  # only attachments, or emptied (deleted from the chatter): nothing to check
                continue
            polite, negatives = reply_findings(Words(tokenize(text)), matchers)
            base = (ticket_id, message_id, "reply", company_id, agent_id, team_id, date)
            lacks_polite, has_negative = int(not polite), int(bool(negatives))  # 0 or 1
            detail = "、".join(sorted({"".join(phrase) for phrase in negatives})) or None
            rows.append((*base, "polite", RESULTS[lacks_polite], 1.0 - lacks_polite, 1, lacks_polite, None))
            rows.append((*base, "negative", RESULTS[has_negative], 1.0 - has_negative, 1, has_negative, detail))
        Check._insert_rows(rows)
        self.env.cr.execute(SQL("DELETE FROM cs_qa_reply_queue WHERE id = ANY(%s)", self.ids))
        self.invalidate_model()
        return len(self)
