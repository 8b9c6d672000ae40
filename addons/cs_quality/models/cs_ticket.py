from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools.segmenter import find_phrases, html_to_text, tokenize

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
        """{ticket id: [(is_agent, is_note, body, date)]} of the tickets' messages, oldest first, in two queries."""
        messages = (
            self.env["mail.message"]
            .sudo()
            .search_fetch(
                [("model", "=", "cs.ticket"), ("res_id", "in", self.ids), ("message_type", "in", ("email", "comment"))],
                ["res_id", "body", "author_id", "subtype_id", "date"],
                order="id",
            )
        )
        staff = set(
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("partner_id", "in", messages.author_id.ids), ("share", "=", False)], ["partner_id"])
            .partner_id.ids
        )
        note = self.env.ref("mail.mt_note")
        result = {}
        for message in messages:
            result.setdefault(message.res_id, []).append(
                (message.author_id.id in staff, message.subtype_id == note, message.body, message.date)
            )
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
        for ticket in tickets:
            ticket_messages = messages.get(ticket.id, [])
            public = [m for m in ticket_messages if not m[1]]
            replies = [tokenize(html_to_text(body)) for is_agent, _note, body, _date in public if is_agent]
            base = (ticket.id, ticket.company_id.id, ticket.user_id.id or None, ticket.team_id.id or None)
            date = ticket.closed_date or now
            for check, result, failed, detail in ticket._qa_evaluate(replies, public, matchers, sla_results):
                rows.append(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        *base,
                        date,
                        check,
                        result,
                        1.0 if result == "pass" else 0.0,
                        len(replies),
                        failed,
                        detail or None,
                        self.env.uid,
                        now,
                        self.env.uid,
                        now,
                    )
                )
        tickets._qa_store_results(rows, now)
        return len(tickets)

    def _qa_store_results(self, rows, now):
        """Insert the results in one statement: the cron writes tens of thousands of log rows an hour
        and nothing reacts to their creation, so the ORM's per-record create machinery is skipped."""
        self.env["cs.qa.check"].flush_model()
        if rows:
            self.env.cr.execute(
                SQL(
                    """INSERT INTO cs_qa_check (ticket_id, company_id, agent_id, team_id, date, "check", result,
                           passed, reply_count, failed_reply_count, detail, create_uid, create_date, write_uid,
                           write_date)
                       VALUES %s""",
                    SQL(", ").join(rows),
                )
            )
        self.env["cs.qa.check"].invalidate_model()
        self.invalidate_recordset(["qa_check_ids"])
        self.write({"qa_checked_date": now})

    def _qa_evaluate(self, replies, public, matchers, sla_results):
        """Yield (check, result, failed replies, detail) for one ticket; the detail lists the phrases found."""
        self.ensure_one()
        if replies:
            without_polite = sum(1 for words in replies if not find_phrases(words, matchers["polite"]))
            yield ("polite", "fail" if without_polite else "pass", without_polite, "")
            negatives = [find_phrases(words, matchers["negative"]) for words in replies]
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
            apologised = any(find_phrases(words, matchers["apology"]) for words in replies)
            yield ("apology", "pass" if apologised else "fail", 0, "")
        answered = bool(public) and public[-1][0]
        yield ("unanswered", "pass" if answered else "fail", 0, "")

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
