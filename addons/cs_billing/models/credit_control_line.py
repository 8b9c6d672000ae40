from odoo import api, fields, models

CALL_RESULTS = [
    ("promised", "Promised to Pay"),
    ("paid_claimed", "Says Already Paid"),
    ("dispute", "Disputes the Amount"),
    ("no_answer", "No Answer"),
    ("refused", "Refuses to Pay"),
    ("wrong_contact", "Wrong Contact"),
]


class CreditControlLine(models.Model):
    """The customer-service side of OCA's reminder lines: who calls, what the customer promised."""

    _inherit = "credit.control.line"

    state = fields.Selection(selection_add=[("cs_paid", "Stopped: Paid")], ondelete={"cs_paid": "set default"})
    cs_agent_id = fields.Many2one(
        "res.users",
        string="Agent",
        compute="_compute_cs_agent_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Calls the customer: the follow-up responsible of the customer, else their salesperson.",
    )
    cs_action = fields.Selection(related="policy_level_id.cs_action")
    cs_call_result = fields.Selection(CALL_RESULTS, string="Call Outcome", readonly=True, tracking=True)
    cs_call_date = fields.Datetime(string="Called On", readonly=True)
    cs_promise_date = fields.Date(string="Promised Payment Date", readonly=True, tracking=True)
    cs_promise_amount = fields.Float(string="Promised Amount", readonly=True, tracking=True)
    cs_next_action = fields.Char(string="Next Action", readonly=True)
    cs_next_action_date = fields.Date(string="Next Action On", readonly=True)

    @api.depends("partner_id")
    def _compute_cs_agent_id(self):
        for line in self:
            customer = line.partner_id.commercial_partner_id
            line.cs_agent_id = customer.payment_responsible_id or customer.user_id

    @api.model
    def create_or_update_from_mv_lines(self, lines, level, controlling_date, company, **kwargs):
        """Re-running a day's control creates nothing twice: skip the items already at this level that day."""
        if lines:
            done = self.search(
                [
                    ("move_line_id", "in", lines.ids),
                    ("policy_level_id", "=", level.id),
                    ("date", "=", controlling_date),
                    ("state", "!=", "ignored"),
                ]
            ).move_line_id
            lines -= done
        return super().create_or_update_from_mv_lines(lines, level, controlling_date, company, **kwargs)

    def _cs_open(self):
        return self.filtered(lambda item: item.state not in ("ignored", "sent", "cs_paid"))

    def _cs_process_new(self):
        """Carry out the customer-service action of each new line's level."""
        phone = self.filtered(lambda item: item.cs_action == "phone")
        for line in phone.filtered("cs_agent_id"):
            line.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=line.date,
                summary=self.env._(
                    "Arrears call: %(amount)s overdue", amount=line.company_id.currency_id.format(line.balance_due)
                ),
                user_id=line.cs_agent_id.id,
            )
        phone.write({"state": "to_be_sent"})
        suspend = self.filtered(lambda item: item.cs_action == "suspend")
        for partner in suspend.partner_id.commercial_partner_id._cs_set_service_status("suspended"):
            partner.message_post(body=self.env._("Paid services suspended for arrears by the daily credit control."))
        legal = self.filtered(lambda item: item.cs_action == "legal")
        self.env["cs.legal.case"]._cs_open_for_lines(legal)
        (suspend | legal).write({"state": "sent", "date_sent": fields.Date.context_today(self)})

    def _cs_stop_paid(self):
        """Stop the follow-up of reconciled items at once; a partial payment only moves the amount."""
        open_lines = self._cs_open()
        paid = open_lines.filtered(lambda item: item.move_line_id.reconciled)
        paid.write({"state": "cs_paid"})
        paid.activity_unlink(["mail.mail_activity_data_call"])
        for line in open_lines - paid:
            line.balance_due = line.move_line_id.amount_residual
        self._cs_resume_paid_up()
        return paid

    def _cs_resume_paid_up(self):
        """Resume the service of suspended customers who have nothing overdue any more."""
        suspended = self.partner_id.commercial_partner_id.sudo().filtered(lambda p: p.cs_service_status == "suspended")
        for customer in suspended.with_company(self.company_id[:1] or self.env.company):
            if customer.cs_overdue_amount <= 0:
                customer._cs_set_service_status("resumed")
                customer.message_post(body=self.env._("Service resumed: the overdue invoices are paid."))
