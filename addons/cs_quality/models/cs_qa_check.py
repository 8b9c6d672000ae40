from odoo import fields, models
from odoo.tools import SQL

from .cs_qa_criterion import AUTO_CHECKS

# rows the checks write in bulk (cs.ticket._qa_run_checks, cs.qa.reply.queue._process): tuples in this order
# one column array each, unnested (faster than one VALUES tuple a row: no per-row formatting in Python)
INSERT_QUERY = """
    INSERT INTO cs_qa_check (ticket_id, message_id, scope, company_id, agent_id, team_id, date, "check", result,
                             passed, reply_count, failed_reply_count, detail,
                             create_uid, create_date, write_uid, write_date)
    SELECT r.*, %s, %s, %s, %s
      FROM unnest(%s::int4[], %s::int4[], %s::varchar[], %s::int4[], %s::int4[], %s::int4[], %s::timestamp[],
                  %s::varchar[], %s::varchar[], %s::float8[], %s::int4[], %s::int4[], %s::varchar[]) AS r
"""


class CsQaCheck(models.Model):
    """Result of one automatic check: on one agent reply as it is posted, or on a closed ticket as a whole."""

    _name = "cs.qa.check"
    _description = "Automatic QA Check"
    _order = "date desc, id desc"
    _rec_name = "check"

    ticket_id = fields.Many2one("cs.ticket", required=True, index=True, ondelete="cascade", readonly=True)
    scope = fields.Selection(
        [("ticket", "Closed Ticket"), ("reply", "Reply")],
        required=True,
        default="ticket",
        index=True,
        readonly=True,
        help="Closed Ticket: all the agents' replies and the ticket as a whole, when it closes. "
        "Reply: one reply, checked as it is posted.",
    )
    message_id = fields.Many2one(
        "mail.message", string="Reply", index="btree_not_null", ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    agent_id = fields.Many2one("res.users", string="Agent", index=True, readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Team", index=True, readonly=True)
    date = fields.Datetime(string="Checked On", required=True, index=True, readonly=True)
    check = fields.Selection(AUTO_CHECKS, required=True, readonly=True)
    result = fields.Selection([("pass", "Passed"), ("fail", "Failed")], required=True, index=True, readonly=True)
    passed = fields.Float(
        string="Pass Rate",
        readonly=True,
        aggregator="avg",
        help="1 when passed, 0 when failed: its average is the rate.",
    )
    reply_count = fields.Integer(string="Replies Checked", readonly=True, aggregator="sum")
    failed_reply_count = fields.Integer(string="Replies Failed", readonly=True, aggregator="sum")
    detail = fields.Char(string="Phrases Found", readonly=True, help="Negative phrases found in the replies.")

    def _insert_rows(self, rows):
        """Insert result rows (tuples in the column order of ``INSERT_QUERY``, without the log columns).

        The checks write tens of thousands of log rows an hour that nothing reacts to: the ORM's
        per-record create is skipped.
        """
        if not rows:
            return
        self.flush_model()
        uid, now = self.env.uid, fields.Datetime.now()
        columns = [list(column) for column in zip(*rows, strict=True)]  # lists: psycopg2 sends them as arrays
        self.env.cr.execute(SQL(INSERT_QUERY, uid, now, uid, now, *columns))
        self.invalidate_model()


def reply_findings(words, matchers):
    """(polite words found, negative phrases found) in the words of one reply."""
    return words.find(matchers["polite"]), words.find(matchers["negative"])


def evaluate_ticket(replies, public, matchers, sla, complaint):
    """Yield (check, result, failed replies, detail) for one closed ticket; the detail lists the phrases found.

    ``replies``: Words of the agents' replies; ``public``: (is_agent, is_note, body) of the public messages,
    oldest first; ``sla``: 'met', 'failed' or None, the ticket's first-response SLA.
    """
    if replies:
        findings = [reply_findings(words, matchers) for words in replies]
        without_polite = sum(1 for polite, _negatives in findings if not polite)
        yield ("polite", "fail" if without_polite else "pass", without_polite, "")
        negatives = [negatives for _polite, negatives in findings]
        found = sorted({"".join(phrase) for phrases in negatives for phrase in phrases})
        yield ("negative", "fail" if found else "pass", sum(1 for phrases in negatives if phrases), "、".join(found))
    if sla:
        yield ("first_response", "pass" if sla == "met" else "fail", 0, "")
    if complaint:
        apologised = any(words.find(matchers["apology"]) for words in replies)
        yield ("apology", "pass" if apologised else "fail", 0, "")
    if any(not is_agent for is_agent, _note, _body in public):
        # the customer wrote (phone and walk-in tickets have no written question): the last word is the agent's
        yield ("unanswered", "pass" if public[-1][0] else "fail", 0, "")
