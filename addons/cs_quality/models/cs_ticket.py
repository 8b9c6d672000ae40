from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools.segmenter import Words, html_to_text, tokenize
from .cs_qa_check import evaluate_ticket

AUTO_CHECK_BATCH = 500


class CsTicket(models.Model):
    _name = "cs.ticket"
    _inherit = ["cs.ticket", "cs.batch.cron.mixin"]

    qa_checked_date = fields.Datetime(
        string="Auto-checked On",
        readonly=True,
        copy=False,
        help="Empty until the automatic checks ran on the closed ticket.",
    )
    qa_check_ids = fields.One2many("cs.qa.check", "ticket_id", string="Automatic Checks", readonly=True)
    qa_review_ids = fields.One2many("cs.qa.review", "ticket_id", string="QA Reviews", readonly=True)
    qa_review_count = fields.Integer(string="QA Review Count", compute="_compute_qa_review_count")

    def init(self):
        res = super().init()
        # the checks cron looks for closed tickets not checked yet: a small partial index
        tools.create_index(
            self.env.cr,
            "cs_ticket_qa_to_check_index",
            self._table,
            ["id"],
            where="is_closed AND qa_checked_date IS NULL",
        )
        return res

    def _compute_qa_review_count(self):
        counts = dict(self.env["cs.qa.review"]._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]))
        for ticket in self:
            ticket.qa_review_count = counts.get(ticket, 0)

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals:
            # a reopened ticket is checked again when it closes
            reopened = self.filtered(lambda t: not t.is_closed and t.qa_checked_date)
            if reopened:
                reopened.qa_checked_date = False
        return result

    # ------------------------------------------------------------------ automatic checks
    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if self._qa_is_agent_reply(message):
            self.env["cs.qa.reply.queue"]._enqueue(message)
        return res

    def _message_update_content(self, message, *args, **kwargs):
        res = super()._message_update_content(message, *args, **kwargs)
        if self._qa_is_agent_reply(message):
            self.env["cs.qa.reply.queue"]._enqueue(message)
        return res

    def _qa_is_agent_reply(self, message):
        """Whether ``message`` is a reply of an agent to the customer: public, written by an active employee
        (from the chatter or by email), not the employee's own request.

        Same test as cs_helpdesk's first response, whose reads it shares: no query of its own (the xmlid
        lookup is cached, where ``env.ref`` would check that the record exists).
        """
        return (
            len(self) == 1
            and message.message_type in ("comment", "email")
            and not message.is_internal
            and message.subtype_id.id == self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
            and message.author_id != self.partner_id
            and bool(self._cs_staff_users(message.author_id).filtered("active"))
        )

    @api.model
    def _cron_qa_checks(self):
        return self._cs_run_batch(
            [("is_closed", "=", True), ("qa_checked_date", "=", False)],
            lambda tickets: tickets._qa_run_checks(),
            "cs_quality.ir_cron_qa_checks",
            batch_size=AUTO_CHECK_BATCH,
        )

    def _qa_messages(self):
        """{ticket id: [(is_agent, is_note, body)]} of the tickets' customer and agent messages, oldest first.

        One SQL query: the cron reads every message of hundreds of tickets per batch, and only
        needs the body and whether an employee (an internal user, archived ones included) wrote it.
        """
        self.env["mail.message"].flush_model(["model", "res_id", "message_type", "body", "author_id", "subtype_id"])
        self.env["res.users"].flush_model(["partner_id", "share"])
        self.env.cr.execute("SELECT partner_id FROM res_users WHERE NOT share")
        employees = {partner_id for (partner_id,) in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                """
                SELECT m.res_id, m.author_id, m.subtype_id = %s, m.body
                  FROM mail_message m
                 WHERE m.model = 'cs.ticket' AND m.res_id = ANY(%s) AND m.message_type IN ('email', 'comment')
              ORDER BY m.id
                """,
                self.env.ref("mail.mt_note").id,
                self.ids,
            )
        )
        result = {}
        for res_id, author_id, is_note, body in self.env.cr.fetchall():
            result.setdefault(res_id, []).append((author_id in employees, bool(is_note), body))
        return result

    def _qa_facts(self):
        """[(ticket id, company, agent, team, closed on, is a complaint, first-response SLA result)], one query.

        The SLA result is 'failed' when a first-response line failed, 'met' when they were met, None when
        no line was decided.
        """
        self.flush_recordset(["company_id", "user_id", "team_id", "closed_date", "type_id"])
        self.env["cs.ticket.sla"].flush_model(["ticket_id", "kind", "status"])
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id, t.company_id, t.user_id, t.team_id, t.closed_date, COALESCE(ty.code = 'complaint', FALSE),
                       (SELECT CASE WHEN bool_or(s.status = 'failed') THEN 'failed' ELSE 'met' END
                          FROM cs_ticket_sla s
                         WHERE s.ticket_id = t.id AND s.kind = 'first_response' AND s.status IN ('met', 'failed')
                        HAVING COUNT(*) > 0)
                  FROM cs_ticket t
                  LEFT JOIN cs_ticket_type ty ON ty.id = t.type_id
                 WHERE t.id = ANY(%s)
                """,
                self.ids,
            )
        )
        return self.env.cr.fetchall()

    def _qa_run_checks(self):
        """Run the automatic checks on closed tickets and store one result per ticket and check.

        The cron checks hundreds of tickets per batch: their fields and messages are read in two SQL
        queries, each reply is segmented once, the results are inserted in one statement.
        """
        now = fields.Datetime.now()
        tickets = self.sudo()
        Check = tickets.env["cs.qa.check"]
        Check.flush_model()
        self.env.cr.execute(SQL("DELETE FROM cs_qa_check WHERE scope = 'ticket' AND ticket_id = ANY(%s)", tickets.ids))
        matchers = tickets.env["cs.qa.phrase"]._matchers()
        messages = tickets._qa_messages()
        rows = []
        for ticket_id, company_id, agent_id, team_id, closed_date, complaint, sla in tickets._qa_facts():
            public = [message for message in messages.get(ticket_id, ()) if not message[1]]
            replies = [Words(tokenize(html_to_text(body))) for is_agent, _note, body in public if is_agent]
            base = (ticket_id, None, "ticket", company_id, agent_id, team_id, closed_date or now)
            for check, result, failed, detail in evaluate_ticket(replies, public, matchers, sla, complaint):
                passed = 1.0 if result == "pass" else 0.0
                rows.append((*base, check, result, passed, len(replies), failed, detail or None))
        Check._insert_rows(rows)
        # the ticket's write overrides (stages, SLA, tracking) have nothing to do with this mark
        tickets.flush_recordset(["qa_checked_date"])
        self.env.cr.execute(SQL("UPDATE cs_ticket SET qa_checked_date = %s WHERE id = ANY(%s)", now, tickets.ids))
        self.invalidate_recordset(["qa_checked_date", "qa_check_ids"])
        return len(tickets)

    def _qa_check_summary(self):
        """{ticket id: {check: 'pass' | 'fail'}}: a check fails when any of its results failed."""
        summary = {}
        groups = (
            self.env["cs.qa.check"]
            .sudo()
            ._read_group(
                [("ticket_id", "in", self.ids), ("scope", "=", "ticket")], ["ticket_id", "check"], ["passed:min"]
            )
        )
        for ticket, check, passed in groups:
            summary.setdefault(ticket.id, {})[check] = "pass" if passed == 1.0 else "fail"
        return summary

    def action_view_qa_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_quality.cs_qa_review_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
