from odoo import api, fields, models
from odoo.exceptions import UserError

PAYMENT_KINDS = [
    ("prepayment", "Prepayment"),
    ("deposit", "Deposit"),
    ("on_account", "Temporary On-account"),
]


class AccountPayment(models.Model):
    """Prepayments (预收费), deposits and temporary on-account receipts (临时挂帐) of customers.

    They are ordinary customer payments left unreconciled: the open part of their receivable
    item is the customer's outstanding credit, applied to invoices by reconciliation and
    refunded by an outbound payment reconciled with it. No parallel ledger.
    """

    _inherit = "account.payment"

    cs_payment_kind = fields.Selection(
        PAYMENT_KINDS,
        string="Receipt Kind",
        tracking=True,
        help="Prepayment: paid before the fees, applied to the next invoices. Deposit: held and applied or "
        "refunded at the end of the service. Temporary on-account: received before it is known what it pays, "
        "cleared when applied.",
    )
    cs_unapplied_amount = fields.Monetary(
        string="Unapplied",
        compute="_compute_cs_unapplied_amount",
        store=True,
        currency_field="company_currency_id",
        help="Part of the receipt not yet reconciled with an invoice or refunded (company currency).",
    )

    @api.depends("move_id.line_ids.amount_residual", "move_id.line_ids.account_id", "state")
    def _compute_cs_unapplied_amount(self):
        for payment in self:
            if payment.payment_type != "inbound" or payment.partner_type != "customer" or not payment.move_id:
                payment.cs_unapplied_amount = 0.0
                continue
            _liquidity, counterpart, _writeoff = payment._seek_for_lines()
            receivable = counterpart.filtered(lambda line: line.account_id.account_type == "asset_receivable")
            payment.cs_unapplied_amount = -sum(receivable.mapped("amount_residual"))

    def _cs_open_credit_lines(self):
        self.ensure_one()
        if self.state not in ("in_process", "paid") or self.company_currency_id.is_zero(self.cs_unapplied_amount):
            raise UserError(self.env._("Payment %(payment)s has nothing left to apply.", payment=self.name))
        _liquidity, counterpart, _writeoff = self._seek_for_lines()
        return counterpart.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )

    def action_cs_apply_to_invoices(self):
        """Apply the unapplied part to the customer's open invoices, the oldest due first."""
        for payment in self:
            credit_lines = payment._cs_open_credit_lines()
            debit_lines = self.env["account.move.line"].search(
                [
                    ("company_id", "=", payment.company_id.id),
                    ("partner_id", "child_of", payment.partner_id.commercial_partner_id.id),
                    ("account_id", "in", credit_lines.account_id.ids),
                    ("parent_state", "=", "posted"),
                    ("move_id.move_type", "=", "out_invoice"),
                    ("reconciled", "=", False),
                    ("amount_residual", ">", 0),
                ],
                order="date_maturity, id",
            )
            if not debit_lines:
                raise UserError(
                    self.env._(
                        "%(customer)s has no open invoice to apply %(payment)s to.",
                        customer=payment.partner_id.display_name,
                        payment=payment.name,
                    )
                )
            (credit_lines | debit_lines).reconcile()
            payment.message_post(
                body=self.env._("Applied to %(invoices)s.", invoices=", ".join(debit_lines.move_id.mapped("name")))
            )
        return True

    def action_cs_refund_unapplied(self):
        """Pay back the unapplied part (unused prepayment, returned deposit) by an outbound payment."""
        refunds = self.browse()
        for payment in self:
            credit_lines = payment._cs_open_credit_lines()
            refund = self.create(
                {
                    "payment_type": "outbound",
                    "partner_type": "customer",
                    "partner_id": payment.partner_id.id,
                    "company_id": payment.company_id.id,
                    "journal_id": payment.journal_id.id,
                    "amount": payment.cs_unapplied_amount,
                    "currency_id": payment.company_currency_id.id,
                    "date": fields.Date.context_today(self),
                    "memo": self.env._("Refund of %(payment)s", payment=payment.name),
                    "cs_payment_kind": payment.cs_payment_kind,
                }
            )
            refund.action_post()
            _liquidity, counterpart, _writeoff = refund._seek_for_lines()
            accounts = credit_lines.account_id
            (credit_lines | counterpart.filtered(lambda line, a=accounts: line.account_id in a)).reconcile()
            payment.message_post(body=self.env._("Refunded by %(refund)s.", refund=refund._get_html_link()))
            refunds |= refund
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.payment",
            "view_mode": "list,form",
            "domain": [("id", "in", refunds.ids)],
            "name": self.env._("Refunds"),
        }

    @api.model
    def _cs_new_prepayment(self, partner, amount, kind="prepayment", journal=None, date=None):
        """Record and post a customer receipt of ``kind`` (demo, tests, other addons)."""
        journal = journal or self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.env.company), ("type", "in", ("bank", "cash"))],
            limit=1,
        )
        payment = self.create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "journal_id": journal.id,
                "date": date or fields.Date.context_today(self),
                "cs_payment_kind": kind,
                "payment_method_line_id": journal.inbound_payment_method_line_ids[:1].id,
            }
        )
        payment.action_post()
        return payment
