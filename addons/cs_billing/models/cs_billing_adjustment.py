from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_float_param, get_record_param
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

from .cs_billing_settings import (
    DEFAULT_LEADER_APPROVAL_LIMIT,
    DEFAULT_MANAGER_APPROVAL_LIMIT,
    PARAM_COMPENSATION_PRODUCT,
    PARAM_LEADER_LIMIT,
    PARAM_MANAGER_LIMIT,
    PARAM_WRITEOFF_ACCOUNT,
    PARAM_WRITEOFF_JOURNAL,
)

ADJUSTMENT_TYPES = [
    ("waiver", "Fee Waiver"),
    ("compensation", "Goodwill Compensation"),
    ("service_refund", "Service-level Refund"),
    ("write_off", "Bad-debt Write-off"),
    ("correction", "Receivable Correction"),
]
# who may approve, from the lowest level up; each level's groups also approve the levels below
APPROVAL_GROUPS = {
    "leader": ("cs_helpdesk.group_leader", "cs_billing.group_billing_manager"),
    "manager": ("cs_helpdesk.group_manager", "cs_billing.group_billing_manager"),
    "finance": ("cs_billing.group_billing_manager",),
}
FINANCE_ONLY_TYPES = ("write_off", "correction")


class CsBillingAdjustment(models.Model):
    """A request to reduce what a customer owes (业务申请 → 业务审批 → 账目核减, seeds §4.5).

    Nothing is posted before approval by someone else than the requester; executing posts a
    credit note or a write-off entry through accounting and is the only step writing journal items.
    """

    _name = "cs.billing.adjustment"
    _description = "Billing Adjustment Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    adjustment_type = fields.Selection(ADJUSTMENT_TYPES, string="Type", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, index=True, check_company=True
    )
    fee_id = fields.Many2one(
        "cs.fee", string="Fee", check_company=True, domain="[('partner_id', 'child_of', partner_id)]", tracking=True
    )
    ticket_id = fields.Many2one("cs.ticket", string="Ticket", check_company=True)
    invoice_id = fields.Many2one(
        "account.move",
        string="Invoice",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
        tracking=True,
        help="Customer invoice the credit note or write-off is reconciled with.",
    )
    amount = fields.Monetary(
        compute="_compute_amount", store=True, readonly=False, tracking=True, help="Tax included, company currency."
    )
    reason = fields.Text(required=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("executed", "Executed"),
        ],
        string="Status",
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    approval_level = fields.Selection(
        [("leader", "Team Leader"), ("manager", "Customer Service Manager"), ("finance", "Billing Manager")],
        compute="_compute_approval_level",
        store=True,
        help="Who may approve, from the type and amount and the thresholds in Settings.",
    )
    requested_by_id = fields.Many2one(
        "res.users", string="Requested By", default=lambda self: self.env.user, readonly=True, copy=False
    )
    approved_by_id = fields.Many2one("res.users", string="Decided By", readonly=True, copy=False, tracking=True)
    approved_date = fields.Datetime(string="Decided On", readonly=True, copy=False)
    executed_by_id = fields.Many2one("res.users", string="Executed By", readonly=True, copy=False)
    move_id = fields.Many2one("account.move", string="Accounting Entry", readonly=True, copy=False)
    reject_reason = fields.Text(readonly=True, copy=False)

    @api.depends("fee_id", "adjustment_type")
    def _compute_amount(self):
        for adjustment in self.filtered(lambda a: a.adjustment_type == "waiver" and a.fee_id):
            adjustment.amount = adjustment.fee_id.price_total

    @api.depends("adjustment_type", "amount")
    def _compute_approval_level(self):
        leader_limit = get_float_param(self.env, PARAM_LEADER_LIMIT, DEFAULT_LEADER_APPROVAL_LIMIT)
        manager_limit = get_float_param(self.env, PARAM_MANAGER_LIMIT, DEFAULT_MANAGER_APPROVAL_LIMIT)
        for adjustment in self:
            if adjustment.adjustment_type in FINANCE_ONLY_TYPES or adjustment.amount > manager_limit:
                adjustment.approval_level = "finance"
            elif adjustment.amount > leader_limit:
                adjustment.approval_level = "manager"
            else:
                adjustment.approval_level = "leader"

    @api.constrains("amount", "adjustment_type", "fee_id", "invoice_id")
    def _check_request(self):
        for adjustment in self:
            if float_compare(adjustment.amount, 0.0, precision_rounding=adjustment.currency_id.rounding) <= 0:
                raise ValidationError(self.env._("The amount of an adjustment must be positive."))
            if adjustment.adjustment_type == "waiver" and not adjustment.fee_id:
                raise ValidationError(self.env._("A fee waiver needs the fee it waives."))
            if (
                adjustment.adjustment_type in ("write_off", "service_refund", "correction")
                and not adjustment.invoice_id
            ):
                raise ValidationError(self.env._("A write-off, refund or correction needs the invoice it reduces."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("cs.billing.adjustment") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------ workflow
    def action_submit(self):
        for adjustment in self:
            adjustment._check_state(
                "draft", self.env._("Only draft requests can be submitted (%(request)s: %(state)s).")
            )
            adjustment._check_open_amount()
        self.write({"state": "submitted"})

    def action_approve(self):
        for adjustment in self:
            adjustment._check_state(
                "submitted", self.env._("Only submitted requests can be approved (%(request)s: %(state)s).")
            )
            adjustment._check_approver()
        self.write({"state": "approved", "approved_by_id": self.env.user.id, "approved_date": fields.Datetime.now()})

    def action_reject(self, reason=None):
        for adjustment in self:
            adjustment._check_state(
                "submitted", self.env._("Only submitted requests can be rejected (%(request)s: %(state)s).")
            )
            adjustment._check_approver()
        self.write(
            {
                "state": "rejected",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
                "reject_reason": reason,
            }
        )

    def action_reset_draft(self):
        for adjustment in self:
            adjustment._check_state(
                "rejected", self.env._("Only rejected requests can be reset to draft (%(request)s: %(state)s).")
            )
        self.write({"state": "draft", "approved_by_id": False, "approved_date": False, "reject_reason": False})

    def action_execute(self):
        if not self.env.user.has_group("cs_billing.group_billing_user"):
            raise AccessError(self.env._("Only the billing department executes approved adjustments."))
        for adjustment in self:
            adjustment._check_state(
                "approved", self.env._("Only approved requests can be executed (%(request)s: %(state)s).")
            )
            adjustment._check_open_amount()
            move = getattr(adjustment, f"_execute_{adjustment.adjustment_type}")()
            adjustment.write({"state": "executed", "executed_by_id": self.env.user.id, "move_id": move.id})
            if move:
                adjustment.message_post(
                    body=self.env._("Executed: %(entry)s posted.", entry=move._get_html_link()),
                )

    # ------------------------------------------------------------------ checks
    def _check_state(self, expected, message):
        """``message`` is the translated error, with the placeholders ``request`` and ``state``."""
        if self.state != expected:
            state = dict(self._fields["state"]._description_selection(self.env))[self.state]
            raise UserError(message % {"request": self.name, "state": state})

    def _check_approver(self):
        user = self.env.user
        if user == self.requested_by_id:
            raise AccessError(self.env._("You cannot decide on your own request %(request)s.", request=self.name))
        if not any(user.has_group(group) for group in APPROVAL_GROUPS[self.approval_level]):
            level = dict(self._fields["approval_level"]._description_selection(self.env))[self.approval_level]
            raise AccessError(
                self.env._("Request %(request)s needs the approval of: %(level)s.", request=self.name, level=level)
            )

    def _check_open_amount(self):
        """A refund, correction or write-off cannot exceed what is still open on its invoice."""
        if self.adjustment_type == "waiver" or not self.invoice_id:
            return
        if self.invoice_id.state != "posted":
            raise UserError(self.env._("Invoice %(invoice)s is not posted.", invoice=self.invoice_id.name))
        residual = self.invoice_id.amount_residual
        if (
            self.adjustment_type != "compensation"
            and float_compare(self.amount, residual, precision_rounding=self.currency_id.rounding) > 0
        ):
            raise UserError(
                self.env._(
                    "%(amount)s is more than the %(residual)s still open on invoice %(invoice)s.",
                    amount=self.currency_id.format(self.amount),
                    residual=self.currency_id.format(residual),
                    invoice=self.invoice_id.name,
                )
            )

    # ------------------------------------------------------------------ execution
    def _execute_waiver(self):
        fee = self.fee_id
        if fee.state in ("draft", "confirmed"):
            fee.manual_state = "waived"
            return self.env["account.move"]
        if fee.state != "invoiced":
            raise UserError(
                self.env._(
                    "Only fees not invoiced yet or invoiced and unpaid can be waived (%(fee)s: %(state)s).",
                    fee=fee.name,
                    state=dict(fee._fields["state"]._description_selection(self.env))[fee.state],
                )
            )
        line = fee.invoice_line_ids.filtered(lambda item: item.move_id == fee.invoice_id)[:1]
        refund = self._create_credit_note(
            fee.invoice_id,
            [
                {
                    "cs_fee_id": fee.id,
                    "product_id": line.product_id.id,
                    "name": line.name,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                    "tax_ids": [Command.set(line.tax_ids.ids)],
                    "account_id": line.account_id.id,
                }
            ],
        )
        fee.manual_state = "waived"
        return refund

    def _execute_compensation(self):
        return self._create_credit_note(self.invoice_id, self._amount_line_vals())

    def _execute_service_refund(self):
        return self._create_credit_note(self.invoice_id, self._amount_line_vals())

    def _execute_correction(self):
        return self._create_credit_note(self.invoice_id, self._amount_line_vals())

    def _amount_line_vals(self):
        """Credit-note lines giving back ``amount`` (tax included) with the taxes of the invoice.

        A compensation, service-level refund or correction on an invoice reduces that sale
        (销售折让: a red-letter fapiao lowers the output VAT), so it is credited with the invoice's
        taxes, split over its tax groups in proportion of their totals, like a partial reversal
        of the invoice. Without an invoice (a goodwill payment), the line has no tax.
        """
        product = get_record_param(self.env, PARAM_COMPENSATION_PRODUCT, "product.product")
        if not product:
            raise UserError(self.env._("Set the compensation product in the billing settings first."))
        label = f"{dict(self._fields['adjustment_type']._description_selection(self.env))[self.adjustment_type]}: "
        label += self.name
        groups = defaultdict(float)
        for line in self.invoice_id.invoice_line_ids.filtered(lambda item: item.display_type == "product"):
            groups[line.tax_ids] += line.price_total
        invoice_total = sum(groups.values())
        if not invoice_total:
            return [{"product_id": product.id, "name": label, "quantity": 1.0, "price_unit": self.amount,
                     "tax_ids": [Command.clear()]}]  # fmt: skip
        currency = self.currency_id
        vals_list, left = [], self.amount
        for index, (taxes, total) in enumerate(groups.items()):
            share = left if index == len(groups) - 1 else currency.round(self.amount * total / invoice_total)
            left -= share
            untaxed = taxes.with_context(force_price_include=True).compute_all(share, currency)["total_excluded"]
            vals_list.append(
                {
                    "product_id": product.id,
                    "name": label,
                    "quantity": 1.0,
                    "price_unit": untaxed,
                    "tax_ids": [Command.set(taxes.ids)],
                }
            )
        return vals_list

    def _create_credit_note(self, invoice, vals_list):
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "company_id": self.company_id.id,
                "partner_id": (invoice.partner_id or self.partner_id.commercial_partner_id).id,
                "currency_id": self.company_id.currency_id.id,
                "reversed_entry_id": invoice.id or False,
                "ref": self.name,
                "invoice_origin": invoice.name or self.name,
                "invoice_line_ids": [Command.create(vals) for vals in vals_list],
            }
        )
        refund.action_post()
        if invoice and invoice.amount_residual:
            (refund | invoice).line_ids.filtered(
                lambda item: item.account_id.account_type == "asset_receivable" and not item.reconciled
            ).reconcile()
        return refund

    def _execute_write_off(self):
        account = get_record_param(self.env, PARAM_WRITEOFF_ACCOUNT, "account.account")
        journal = get_record_param(self.env, PARAM_WRITEOFF_JOURNAL, "account.journal")
        if not account or not journal:
            raise UserError(self.env._("Set the bad-debt expense account and write-off journal in the settings first."))
        receivable = self.invoice_id.line_ids.filtered(
            lambda item: item.account_id.account_type == "asset_receivable" and not item.reconciled
        )
        partner = self.invoice_id.commercial_partner_id
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "company_id": self.company_id.id,
                "journal_id": journal.id,
                "ref": self.env._("Bad-debt write-off %(request)s", request=self.name),
                "line_ids": [
                    Command.create(
                        {"account_id": account.id, "partner_id": partner.id, "debit": self.amount, "name": self.name}
                    ),
                    Command.create(
                        {
                            "account_id": receivable[:1].account_id.id,
                            "partner_id": partner.id,
                            "credit": self.amount,
                            "name": self.name,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        (entry.line_ids.filtered(lambda item: item.account_id == receivable[:1].account_id) | receivable).reconcile()
        return entry
