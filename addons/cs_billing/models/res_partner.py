from odoo import api, fields, models

AGENT = "cs_helpdesk.group_agent,cs_billing.group_billing_user"
SERVICE_STATUSES = [
    ("active", "In Service"),
    ("suspended", "Suspended"),
    ("resumed", "Resumed"),
    ("terminated", "Terminated"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    cs_paying_partner_id = fields.Many2one(
        "res.partner",
        string="Paid By Organisation",
        domain="[('is_company', '=', True)]",
        tracking=True,
        help="单位承担: the organisation that is invoiced for this customer's service fees.",
    )
    cs_service_status = fields.Selection(
        SERVICE_STATUSES,
        string="Service Status",
        default="active",
        tracking=True,
        copy=False,
        help="开停处理: paid services are suspended for arrears by the dunning level that says so.",
    )
    cs_suspended_date = fields.Date(string="Suspended On", readonly=True, copy=False)
    cs_fee_ids = fields.One2many("cs.fee", "partner_id", string="Service Fees")
    cs_fee_count = fields.Integer(string="Fee Count", compute="_compute_cs_arrears", groups=AGENT)
    cs_open_invoice_count = fields.Integer(string="Open Invoices", compute="_compute_cs_arrears", groups=AGENT)
    cs_open_amount = fields.Monetary(
        string="Open Receivable", compute="_compute_cs_arrears", groups=AGENT, currency_field="cs_currency_id"
    )
    cs_overdue_amount = fields.Monetary(
        string="Overdue Amount", compute="_compute_cs_arrears", groups=AGENT, currency_field="cs_currency_id"
    )
    cs_dunning_level = fields.Integer(
        string="Dunning Level", compute="_compute_cs_arrears", groups=AGENT, help="Highest open reminder level."
    )
    cs_unapplied_amount = fields.Monetary(
        string="Unapplied Receipts",
        compute="_compute_cs_arrears",
        groups=AGENT,
        currency_field="cs_currency_id",
        help="Prepayments, deposits and on-account receipts not yet applied to an invoice or refunded.",
    )
    cs_currency_id = fields.Many2one("res.currency", string="Billing Currency", compute="_compute_cs_arrears")
    cs_legal_case_ids = fields.One2many("cs.legal.case", "partner_id", string="Legal Actions")

    @api.depends_context("company")
    def _compute_cs_arrears(self):
        """Arrears shown to agents on the phone: amounts only, read as superuser (agents have no
        accounting rights and never see bank or card data)."""
        customers = self.commercial_partner_id._origin  # a partner being created has no figures yet
        today = fields.Date.context_today(self)
        company = self.env.company
        domain = [
            ("partner_id", "child_of", customers.ids),
            ("company_id", "=", company.id),
            ("account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
        ]
        Line = self.env["account.move.line"].sudo()
        open_by = dict(Line._read_group(domain, ["partner_id"], ["amount_residual:sum"]))
        credit_by = dict(
            Line._read_group(
                domain + [("payment_id", "!=", False), ("amount_residual", "<", 0)],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        overdue_by = dict(
            Line._read_group(domain + [("date_maturity", "<", today)], ["partner_id"], ["amount_residual:sum"])
        )
        invoices_by = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        levels_by = dict(
            self.env["credit.control.line"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("company_id", "=", company.id),
                    ("state", "not in", ("draft", "ignored")),
                    ("move_line_id.reconciled", "=", False),
                ],
                ["commercial_partner_id"],
                ["level:max"],
            )
        )
        fees_by = dict(
            self.env["cs.fee"]
            .sudo()
            ._read_group([("partner_id", "child_of", customers.ids)], ["partner_id"], ["__count"])
        )

        def by_customer(values, customer):
            return sum(value for partner, value in values.items() if partner.commercial_partner_id == customer)

        for partner in self:
            customer = partner.commercial_partner_id._origin
            partner.cs_currency_id = company.currency_id
            partner.cs_open_amount = by_customer(open_by, customer)
            partner.cs_overdue_amount = by_customer(overdue_by, customer)
            partner.cs_unapplied_amount = -by_customer(credit_by, customer)
            partner.cs_open_invoice_count = invoices_by.get(customer, 0)
            partner.cs_dunning_level = levels_by.get(customer, 0)
            partner.cs_fee_count = by_customer(fees_by, customer)

    def action_cs_view_fees(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_billing.cs_fee_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_cs_view_prepayments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_billing.account_payment_action_cs_prepayment")
        action["domain"] = [
            ("payment_type", "=", "inbound"),
            ("partner_type", "=", "customer"),
            ("state", "in", ("in_process", "paid")),
            ("partner_id", "child_of", self.commercial_partner_id.id),
        ]
        action["context"] = {"search_default_unapplied": 1, "default_partner_id": self.commercial_partner_id.id}
        return action

    def _cs_set_service_status(self, status):
        """开停处理: suspend or resume the paid services of the customers, with a chatter trace."""
        today = fields.Date.context_today(self)
        to_change = self.filtered(lambda p: p.cs_service_status != status)
        to_change.write({"cs_service_status": status, "cs_suspended_date": today if status == "suspended" else False})
        return to_change

    def action_cs_suspend_service(self):
        self._cs_set_service_status("suspended")

    def action_cs_resume_service(self):
        self._cs_set_service_status("resumed")
