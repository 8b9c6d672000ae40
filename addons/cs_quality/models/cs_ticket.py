from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools.segmenter import Words, html_to_text, tokenize

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
        needs the body and whether an employee wrote it.
        """
        self.env["mail.message"].flush_model(["model", "res_id", "message_type", "body", "author_id", "subtype_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT m.res_id,
                       EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = m.author_id AND NOT u.share),
                       m.subtype_id = %s,
                       m.body
                  FROM mail_message m
                 WHERE m.model = 'cs.ticket' AND m.res_id = ANY(%s) AND m.message_type IN ('email', 'comment')
              ORDER BY m.id
                """,
                self.env.ref("mail.mt_note").id,
                self.ids,
            )
        )
        result = {}
        for res_id, is_agent, is_note, body in self.env.cr.fetchall():
            result.setdefault(res_id, []).append((is_agent, bool(is_note), body))
        return result

    def _qa_run_checks(self):
        """Run the automatic checks on closed tickets and store one result per ticket and check."""
        now = fields.Datetime.now()
        tickets = self.sudo()
        tickets.env["cs.qa.check"].search([("ticket_id", "in", tickets.ids)]).unlink()
        matchers = tickets.env["cs.qa.phrase"]._matchers()
        messages = tickets._qa_messages()
        sla_results = {}
        for sla in tickets.env["cs.ticket.sla"].search_fetch(
            [("ticket_id", "in", tickets.ids), ("kind", "=", "first_response"), ("status", "in", ("met", "failed"))],
            ["ticket_id", "status"],
        ):
            if sla_results.get(sla.ticket_id.id) != "failed":
                sla_results[sla.ticket_id.id] = sla.status
        rows = []
        uid = self.env.uid
        for ticket in tickets:
            public = [m for m in messages.get(ticket.id, []) if not m[1]]
            replies = [Words(tokenize(html_to_text(body))) for is_agent, _note, body in public if is_agent]
            base = (ticket.id, ticket.company_id.id, ticket.user_id.id or None, ticket.team_id.id or None)
            date = ticket.closed_date or now
            for check, result, failed, detail in ticket._qa_evaluate(replies, public, matchers, sla_results):
                passed = 1.0 if result == "pass" else 0.0
                rows.append(
                    (*base, date, check, result, passed, len(replies), failed, detail or None, uid, now, uid, now)
                )
        tickets._qa_store_results(rows, now)
        return len(tickets)

    def _qa_store_results(self, rows, now):
        """Insert the results in one statement and mark the tickets checked.

        The cron writes tens of thousands of log rows an hour that nothing reacts to: the ORM's
        per-record create and the ticket's write overrides (stages, SLA, tracking) are skipped.
        """
        self.env["cs.qa.check"].flush_model()
        self.flush_recordset(["qa_checked_date"])
        if rows:
            self.env.cr.execute_values(
                """INSERT INTO cs_qa_check (ticket_id, company_id, agent_id, team_id, date, "check", result,
                       passed, reply_count, failed_reply_count, detail, create_uid, create_date, write_uid, write_date)
                   VALUES %s""",
                rows,
                page_size=1000,
            )
        self.env.cr.execute(SQL("UPDATE cs_ticket SET qa_checked_date = %s WHERE id = ANY(%s)", now, self.ids))
        self.env["cs.qa.check"].invalidate_model()
        self.invalidate_recordset(["qa_checked_date", "qa_check_ids"])

    def _qa_evaluate(self, replies, public, matchers, sla_results):
        """Yield (check, result, failed replies, detail) for one ticket; the detail lists the phrases found."""
        self.ensure_one()
        if replies:
            without_polite = sum(1 for words in replies if not words.find(matchers["polite"]))
            yield ("polite", "fail" if without_polite else "pass", without_polite, "")
            negatives = [words.find(matchers["negative"]) for words in replies]
            found = sorted({"".join(phrase) for phrases in negatives for phrase in phrases})
            yield (
                "negative",
                "fail" if found else "pass",
                sum(1 for phrases in negatives if phrases),
                "、".join(found),
            )
        if self.id in sla_results:
            yield ("first_response", "pass" if sla_results[self.id] == "met" else "fail", 0, "")
        if self.type_code == "complaint":
            apologised = any(words.find(matchers["apology"]) for words in replies)
            yield ("apology", "pass" if apologised else "fail", 0, "")
        if any(not is_agent for is_agent, _note, _body in public):
            # the customer wrote (phone and walk-in tickets have no written question): the last word is the agent's
            yield ("unanswered", "pass" if public[-1][0] else "fail", 0, "")

    def _qa_check_summary(self):
        """{ticket id: {check: 'pass' | 'fail'}}: a check fails when any of its results failed."""
        summary = {}
        groups = (
            self.env["cs.qa.check"]
            .sudo()
            ._read_group([("ticket_id", "in", self.ids)], ["ticket_id", "check"], ["passed:min"])
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
