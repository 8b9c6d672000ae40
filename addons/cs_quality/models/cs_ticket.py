from odoo import api, fields, models, tools

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
        values = []
        for ticket in tickets:
            base = {
                "ticket_id": ticket.id,
                "company_id": ticket.company_id.id,
                "agent_id": ticket.user_id.id,
                "team_id": ticket.team_id.id,
                "date": ticket.closed_date or now,
            }
            ticket_messages = messages.get(ticket.id, [])
            public = [m for m in ticket_messages if not m[1]]
            replies = [tokenize(html_to_text(body)) for is_agent, _note, body, _date in public if is_agent]
            for check, result, failed, detail in ticket._qa_evaluate(replies, public, matchers, sla_results):
                values.append(
                    dict(
                        base,
                        check=check,
                        result=result,
                        passed=1.0 if result == "pass" else 0.0,
                        reply_count=len(replies),
                        failed_reply_count=failed,
                        detail=detail,
                    )
                )
        tickets.env["cs.qa.check"].create(values)
        tickets.write({"qa_checked_date": now})
        return len(tickets)

    def _qa_evaluate(self, replies, public, matchers, sla_results):
        """Yield (check, result, failed replies, detail) for one ticket."""
        self.ensure_one()
        if replies:
            without_polite = [words for words in replies if not find_phrases(words, matchers["polite"])]
            yield (
                "polite",
                "fail" if without_polite else "pass",
                len(without_polite),
                self.env._(
                    "%(count)s of %(total)s replies without a polite word",
                    count=len(without_polite),
                    total=len(replies),
                )
                if without_polite
                else "",
            )
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
            yield (
                "apology",
                "pass" if apologised else "fail",
                0,
                "" if apologised else self.env._("No apology in the replies"),
            )
        answered = bool(public) and public[-1][0]
        yield (
            "unanswered",
            "pass" if answered else "fail",
            0,
            "" if answered else self.env._("The customer's last message got no reply"),
        )

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
