from odoo.tests import HttpCase, tagged

from ..models.cs_billing_settings import PARAM_WRITEOFF_ACCOUNT, PARAM_WRITEOFF_JOURNAL
from .common import CsBillingCase


@tagged("post_install", "-at_install")
class TestFinanceTour(CsBillingCase, HttpCase):
    def test_finance_approves_and_executes_a_write_off(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PARAM_WRITEOFF_ACCOUNT, self.company_data["default_account_expense"].id)
        params.set_param(PARAM_WRITEOFF_JOURNAL, self.company_data["default_journal_misc"].id)
        invoice = self.invoice_fees(self.make_fee(quantity=3))
        request = (
            self.env["cs.billing.adjustment"]
            .with_user(self.clerk)
            .create(
                {
                    "adjustment_type": "write_off",
                    "partner_id": self.customer.id,
                    "invoice_id": invoice.id,
                    "amount": invoice.amount_residual,
                    "reason": "客户失联超过一年，呆帐核销",
                    "company_id": self.company.id,
                }
            )
        )
        request.action_submit()

        self.start_tour(
            f"/odoo/action-cs_billing.cs_billing_adjustment_action/{request.id}",
            "cs_billing_write_off_tour",
            login=self.finance.login,
        )

        self.assertEqual(
            (request.state, request.approved_by_id, request.executed_by_id), ("executed", self.finance, self.finance)
        )
        self.assertEqual(request.move_id.state, "posted")
        self.assertEqual(invoice.payment_state, "paid")
