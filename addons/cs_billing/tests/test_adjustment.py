from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.cs_billing_settings import PARAM_LEADER_LIMIT, PARAM_WRITEOFF_ACCOUNT, PARAM_WRITEOFF_JOURNAL
from .common import CsBillingCase


@tagged("post_install", "-at_install")
class TestAdjustment(CsBillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param(PARAM_WRITEOFF_ACCOUNT, cls.company_data["default_account_expense"].id)
        params.set_param(PARAM_WRITEOFF_JOURNAL, cls.company_data["default_journal_misc"].id)
        cls.Adjustment = cls.env["cs.billing.adjustment"]

    def request(self, user, track=False, **values):
        values.setdefault("partner_id", self.customer.id)
        values.setdefault("reason", "客户投诉维修质量")
        values.setdefault("company_id", self.company.id)
        adjustment = (
            self.Adjustment.with_user(user)
            .with_context(mail_notrack=not track, tracking_disable=not track)
            .create(values)
        )
        if track:
            self.flush_tracking()
        adjustment.action_submit()
        return adjustment

    def flush_tracking(self):
        """Tracking messages are written when the transaction commits: write them now."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def posted_invoice(self):
        fee = self.make_fee(quantity=10)  # 1,000 + tax
        return fee, self.invoice_fees(fee)

    def test_approval_level_by_amount_and_type(self):
        invoice = self.posted_invoice()[1]
        small = self.request(self.agent, adjustment_type="compensation", amount=50)
        medium = self.request(self.agent, adjustment_type="compensation", amount=500)
        large = self.request(self.agent, adjustment_type="compensation", amount=5000)
        write_off = self.request(self.agent, adjustment_type="write_off", amount=10, invoice_id=invoice.id)
        self.assertEqual(
            (small | medium | large | write_off).mapped("approval_level"), ["leader", "manager", "finance", "finance"]
        )
        self.env["ir.config_parameter"].sudo().set_param(PARAM_LEADER_LIMIT, "20")
        self.assertEqual(
            self.request(self.agent, adjustment_type="compensation", amount=50).approval_level,
            "manager",
            "the threshold is a setting",
        )
        self.env["ir.config_parameter"].sudo().set_param(PARAM_LEADER_LIMIT, "not a number")
        self.assertEqual(
            self.request(self.agent, adjustment_type="compensation", amount=50).approval_level,
            "leader",
            "a junk setting falls back to the named default",
        )

    def test_who_may_approve(self):
        small = self.request(self.agent, adjustment_type="compensation", amount=50)
        with self.assertRaises(AccessError):
            small.with_user(self.agent2).action_approve()
        medium = self.request(self.agent, adjustment_type="compensation", amount=500)
        with self.assertRaises(AccessError):
            medium.with_user(self.leader).action_approve()
        medium.with_user(self.manager).action_approve()
        self.assertEqual((medium.state, medium.approved_by_id), ("approved", self.manager))
        small.with_user(self.leader).action_approve()
        self.assertEqual(small.state, "approved")

    def test_no_self_approval(self):
        own = self.request(self.leader, adjustment_type="compensation", amount=50)
        with self.assertRaisesRegex(AccessError, "your own request"):
            own.with_user(self.leader).action_approve()
        with self.assertRaises(AccessError):
            own.with_user(self.leader).action_reject()
        finance_own = self.request(self.finance, adjustment_type="compensation", amount=50)
        with self.assertRaises(AccessError):
            finance_own.with_user(self.finance).action_approve()
        self.assertEqual((own | finance_own).mapped("state"), ["submitted", "submitted"])

    def test_waiver_before_invoicing(self):
        fee = self.make_fee()
        waiver = self.request(self.agent, adjustment_type="waiver", fee_id=fee.id)
        self.assertEqual(waiver.amount, fee.price_total)
        waiver.with_user(self.leader).action_approve()
        with self.assertRaises(AccessError):
            waiver.with_user(self.agent).action_execute()
        waiver.with_user(self.clerk).action_execute()
        self.assertEqual(fee.state, "waived")
        self.assertFalse(waiver.move_id, "nothing to post before invoicing")
        with self.assertRaises(UserError):
            fee._create_invoices()

    def test_waiver_of_invoiced_fee_posts_credit_note(self):
        fee, invoice = self.posted_invoice()
        other = self.make_fee(rule=self.rule_shipping)
        invoice2 = self.invoice_fees(other)
        waiver = self.request(self.agent, track=True, adjustment_type="waiver", fee_id=fee.id)
        waiver = waiver.with_context(mail_notrack=False, tracking_disable=False)
        self.flush_tracking()
        waiver.with_user(self.finance).action_approve()
        self.flush_tracking()
        waiver.with_user(self.clerk).action_execute()
        self.flush_tracking()
        refund = waiver.move_id
        self.assertEqual((refund.move_type, refund.state, refund.reversed_entry_id), ("out_refund", "posted", invoice))
        self.assertAlmostEqual(refund.amount_total, fee.price_total)
        self.assertEqual(refund.invoice_line_ids.tax_ids, self.tax, "the credit note reverses the taxes too")
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(fee.state, "waived")
        self.assertEqual(invoice2.payment_state, "not_paid")
        self.assertEqual(waiver.state, "executed")
        tracked = waiver.sudo().message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(
            tracked.mapped("new_value_char"), ["Executed", "Approved", "Submitted"], "every step is in the chatter"
        )
        self.assertTrue(
            any(refund.name in str(body) for body in waiver.message_ids.mapped("body")),
            "the posted entry is linked in the chatter",
        )

    def test_service_refund_and_compensation(self):
        fee, invoice = self.posted_invoice()
        refund = self.request(self.agent, adjustment_type="service_refund", amount=100, invoice_id=invoice.id)
        refund.with_user(self.leader).action_approve()
        refund.with_user(self.clerk).action_execute()
        credit_note = refund.move_id
        self.assertAlmostEqual(credit_note.amount_total, 100, delta=0.01)
        self.assertEqual(credit_note.invoice_line_ids.tax_ids, self.tax, "a refund on a sale reduces its output tax")
        rate = self.tax.amount / 100
        self.assertAlmostEqual(credit_note.amount_tax, credit_note.amount_untaxed * rate, delta=0.01)
        self.assertGreater(credit_note.amount_tax, 0)
        self.assertAlmostEqual(invoice.amount_residual, fee.price_total - credit_note.amount_total)
        self.assertEqual(invoice.payment_state, "partial")
        goodwill = self.request(self.agent, adjustment_type="compensation", amount=30)
        goodwill.with_user(self.leader).action_approve()
        goodwill.with_user(self.clerk).action_execute()
        credit = goodwill.move_id
        self.assertEqual((credit.move_type, credit.partner_id), ("out_refund", self.customer))
        self.assertFalse(credit.line_ids.tax_ids, "a goodwill payment without an invoice is no sale: no tax")
        self.assertAlmostEqual(credit.amount_residual, 30, msg="an outstanding credit for the next invoice")

    def test_compensation_split_over_tax_groups(self):
        taxed = self.make_fee(quantity=10)
        untaxed = self.make_fee(rule=self.rule_shipping, quantity=10, tax_ids=[Command.clear()])
        invoice = self.invoice_fees(taxed | untaxed)
        goodwill = self.request(self.agent, adjustment_type="compensation", amount=200, invoice_id=invoice.id)
        goodwill.with_user(self.manager).action_approve()
        goodwill.with_user(self.clerk).action_execute()
        lines = goodwill.move_id.invoice_line_ids
        self.assertEqual(len(lines), 2)
        with_tax = lines.filtered("tax_ids")
        self.assertEqual(with_tax.tax_ids, self.tax)
        share = 200 * taxed.price_total / invoice.amount_total
        self.assertAlmostEqual(with_tax.price_total, share, delta=0.01)
        self.assertAlmostEqual((lines - with_tax).price_total, 200 - share, delta=0.01)
        self.assertAlmostEqual(goodwill.move_id.amount_total, 200, delta=0.01)

    def test_write_off(self):
        fee, invoice = self.posted_invoice()
        residual = invoice.amount_residual
        write_off = self.request(self.clerk, adjustment_type="write_off", amount=residual, invoice_id=invoice.id)
        write_off.with_user(self.finance).action_approve()
        write_off.with_user(self.clerk).action_execute()
        entry = write_off.move_id
        self.assertEqual((entry.move_type, entry.state), ("entry", "posted"))
        expense = entry.line_ids.filtered(lambda line: line.account_id == self.company_data["default_account_expense"])
        self.assertAlmostEqual(expense.debit, residual)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(fee.state, "paid", "written off: nothing left to collect")

    def test_bad_adjustments(self):
        fee, invoice = self.posted_invoice()
        moves = self.env["account.move"].search_count([])
        with self.assertRaises(ValidationError):
            self.request(self.agent, adjustment_type="compensation", amount=0)
        with self.assertRaises(ValidationError):
            self.request(self.agent, adjustment_type="compensation", amount=-10)
        with self.assertRaises(ValidationError):
            self.request(self.agent, adjustment_type="write_off", amount=10)
        with self.assertRaisesRegex(UserError, "more than"):
            self.request(
                self.clerk, adjustment_type="write_off", amount=invoice.amount_residual + 1, invoice_id=invoice.id
            )
        # an approved write-off that became too large because the customer paid in between
        write_off = self.request(self.clerk, adjustment_type="write_off", amount=500, invoice_id=invoice.id)
        write_off.with_user(self.finance).action_approve()
        self.pay(invoice, amount=invoice.amount_residual - 100)
        moves = self.env["account.move"].search_count([])
        with self.assertRaisesRegex(UserError, "more than"):
            write_off.with_user(self.clerk).action_execute()
        self.assertEqual(self.env["account.move"].search_count([]), moves, "nothing half-posted")
        self.assertEqual(write_off.state, "approved")

    def test_executed_cannot_be_approved_again(self):
        adjustment = self.request(self.agent, adjustment_type="compensation", amount=20)
        adjustment.with_user(self.leader).action_approve()
        adjustment.with_user(self.clerk).action_execute()
        with self.assertRaisesRegex(UserError, "can be approved"):
            adjustment.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            adjustment.with_user(self.clerk).action_execute()
        self.assertEqual(self.env["account.move"].search_count([("ref", "=", adjustment.name)]), 1)

    def test_agent_sees_only_own_requests(self):
        mine = self.request(self.agent, adjustment_type="compensation", amount=20)
        other = self.request(self.agent2, adjustment_type="compensation", amount=20)
        visible = self.Adjustment.with_user(self.agent).search([("id", "in", (mine | other).ids)])
        self.assertEqual(visible, mine)
        self.assertEqual(
            self.Adjustment.with_user(self.leader).search([("id", "in", (mine | other).ids)]), mine | other
        )
