from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CsBillingCase


@tagged("post_install", "-at_install")
class TestBillingReports(CsBillingCase):
    """The finance figures equal the journal items they come from."""

    def invoice_due(self, days_ago, partner=None, quantity=1):
        ticket = self.make_ticket(partner_id=(partner or self.customer).id)
        invoice = self.invoice_fees(self.make_fee(ticket=ticket, quantity=quantity), post=False)
        due = fields.Date.context_today(invoice) - timedelta(days=days_ago)
        invoice.write({"invoice_date": due, "invoice_date_due": due})
        invoice.action_post()
        return invoice

    def receivable_items(self, domain):
        return self.env["account.move.line"].search(
            [
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                *domain,
            ]
        )

    def test_ageing_buckets_equal_journal_items(self):
        invoices = {days: self.invoice_due(days, quantity=days + 1) for days in (0, 10, 45, 75, 100)}
        self.pay(invoices[100], amount=1000)  # partially paid: the open amount moves
        report = self.env["cs.ageing.report"].search([("partner_id", "=", self.customer.id)])
        buckets = {row.move_id: row.bucket for row in report}
        self.assertEqual(
            [buckets[invoices[days]] for days in (0, 10, 45, 75, 100)], ["0_30", "0_30", "31_60", "61_90", "90_plus"]
        )
        self.assertFalse(report.filtered(lambda r: r.move_id == invoices[0]).is_overdue)
        items = self.receivable_items([("partner_id", "=", self.customer.id)])
        self.assertAlmostEqual(sum(report.mapped("amount_residual")), sum(items.mapped("amount_residual")))
        grouped = self.env["cs.ageing.report"]._read_group(
            [("partner_id", "=", self.customer.id)], ["bucket"], ["amount_residual:sum"]
        )
        for bucket, amount in grouped:
            moves = [invoice for days, invoice in invoices.items() if buckets[invoice] == bucket]
            self.assertAlmostEqual(amount, sum(inv.amount_residual for inv in moves))
        overdue = sum(report.mapped("overdue_amount"))
        self.assertAlmostEqual(overdue, sum(inv.amount_residual for d, inv in invoices.items() if d > 0))
        self.assertAlmostEqual(self.customer.cs_overdue_amount, overdue, msg="the partner's figure agrees")

    def test_fee_report_invoiced_vs_paid(self):
        paid_fee = self.make_fee(quantity=2)
        open_fee = self.make_fee(rule=self.rule_shipping)
        draft_fee = self.make_fee(confirm=False)
        paid_invoice = self.invoice_fees(paid_fee)
        open_invoice = self.invoice_fees(open_fee)
        self.pay(paid_invoice)
        fees = paid_fee | open_fee | draft_fee
        [(invoiced, paid, charged)] = self.env["cs.fee.report"]._read_group(
            [("fee_id", "in", fees.ids)], [], ["amount_invoiced:sum", "amount_paid:sum", "amount_total:sum"]
        )
        self.assertAlmostEqual(invoiced, paid_invoice.amount_total + open_invoice.amount_total)
        self.assertAlmostEqual(paid, paid_invoice.amount_total)
        self.assertAlmostEqual(charged, sum(fees.mapped("price_total")))
        lines = (paid_invoice | open_invoice).invoice_line_ids
        self.assertAlmostEqual(invoiced, sum(lines.mapped("price_total")))

    def test_day_end_collection_equals_journal_items(self):
        first = self.invoice_due(5, quantity=3)
        second = self.invoice_due(5, partner=self.customer2, quantity=2)
        payments = self.pay(first) | self.pay(second, amount=100)
        report = self.env["cs.collection.report"].search([("payment_id", "in", payments.ids)])
        self.assertEqual(report.journal_id, payments.journal_id)
        receipts = payments.move_id.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertAlmostEqual(sum(report.mapped("amount")), sum(receipts.mapped("credit")))
        self.assertEqual(set(report.mapped("collector_id")), {self.env.user})

    def test_reports_are_company_bound(self):
        other = self.setup_other_company()["company"]
        self.invoice_due(20)
        user = self.clerk.with_context(allowed_company_ids=other.ids)
        self.clerk.company_ids |= other
        self.assertFalse(
            self.env["cs.ageing.report"]
            .with_user(user)
            .with_company(other)
            .search([("company_id", "=", self.company.id)])
        )
        self.assertTrue(
            self.env["cs.ageing.report"].with_user(self.clerk).search([("partner_id", "=", self.customer.id)])
        )

    def test_same_period_comparison(self):
        last_year = self.make_fee(quantity=4, date=self.day(2029, 3, 10))
        this_year = self.make_fee(quantity=6, date=self.day(2030, 3, 12))
        invoices = self.invoice_fees(last_year) | self.invoice_fees(this_year)
        self.pay(invoices[0], when=self.day(2029, 3, 20))
        self.pay(invoices[1], amount=100, when=self.day(2030, 3, 25))
        Report = self.env["cs.period.report"].with_user(self.clerk)
        domain = [("partner_id", "=", self.customer.id), ("date", ">=", "2030-03-01"), ("date", "<=", "2030-03-31")]
        [(fees, fees_ly, collected, collected_ly)] = Report._read_group(
            domain, [], ["fee_amount:sum", "fee_amount_last_year:sum", "collected:sum", "collected_last_year:sum"]
        )
        self.assertAlmostEqual(fees, this_year.price_total)
        self.assertAlmostEqual(fees_ly, last_year.price_total)
        self.assertAlmostEqual(collected, 100)
        self.assertAlmostEqual(collected_ly, invoices[0].amount_total)

    def test_refunds_approved_issued_paid(self):
        invoice = self.invoice_fees(self.make_fee(quantity=3))
        Adjustment = self.env["cs.billing.adjustment"]
        values = {
            "partner_id": self.customer.id,
            "invoice_id": invoice.id,
            "reason": "服务未达标",
            "company_id": self.company.id,
        }
        executed = Adjustment.with_user(self.agent).create(
            {**values, "adjustment_type": "service_refund", "amount": 50}
        )
        approved = Adjustment.with_user(self.agent).create({**values, "adjustment_type": "compensation", "amount": 20})
        (executed | approved).action_submit()
        (executed | approved).with_user(self.leader).action_approve()
        executed.with_user(self.clerk).action_execute()
        [(approved_sum, issued, paid)] = self.env["cs.period.report"]._read_group(
            [("partner_id", "=", self.customer.id), ("source", "=", "refund")],
            [],
            ["refund_approved:sum", "refund_issued:sum", "refund_paid:sum"],
        )
        self.assertAlmostEqual(approved_sum, 70)
        self.assertAlmostEqual(issued, 50)
        self.assertAlmostEqual(paid, 50, msg="the credit note is reconciled with the invoice")

    def test_customer_statement(self):
        first = self.invoice_due(40, quantity=2)
        self.pay(first, amount=100, when=fields.Date.today() - timedelta(days=20))
        second = self.invoice_due(5, quantity=1)
        today = fields.Date.today()
        values = (
            self.env["report.cs_billing.report_partner_statement"]
            .with_user(self.clerk)
            ._get_report_values(self.customer.ids, {"date_from": today - timedelta(days=30), "date_to": today})
        )
        statement = values["statements"][self.customer.id]
        self.assertAlmostEqual(statement["opening"], first.amount_total, msg="invoiced before the period")
        self.assertEqual([line["reference"] for line in statement["lines"]][-1], second.name)
        self.assertAlmostEqual(statement["closing"], first.amount_residual + second.amount_residual)
        self.assertAlmostEqual(statement["closing"], statement["opening"] + statement["debit"] - statement["credit"])
        self.assertAlmostEqual(statement["lines"][-1]["balance"], statement["closing"])
        html = (
            self.env["ir.actions.report"]
            .with_user(self.clerk)
            ._render_qweb_html(
                "cs_billing.report_partner_statement",
                self.customer.ids,
                {"date_from": today - timedelta(days=30), "date_to": today},
            )[0]
            .decode()
        )
        self.assertIn(second.name, html)
        wizard = (
            self.env["cs.statement.wizard"]
            .with_user(self.clerk)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({"date_from": today, "date_to": today - timedelta(days=1)})
        )
        self.assertEqual(wizard.partner_ids, self.customer)
        with self.assertRaises(UserError):
            wizard.action_print()
