from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CsBillingCase


@tagged("post_install", "-at_install")
class TestFee(CsBillingCase):
    def test_rule_applicability(self):
        Rule = self.env["cs.fee.rule"]
        parent = self.env["product.category"].create({"name": "家电"})
        child = self.env["product.category"].create({"name": "电视", "parent_id": parent.id})
        other = self.env["product.category"].create({"name": "服装"})
        self.rule_shipping.product_categ_ids = parent
        tv = self._create_product(name="电视机", categ_id=child.id)
        shirt = self._create_product(name="衬衫", categ_id=other.id)
        ticket = self.make_ticket()
        question = self.make_ticket(type_id=self.type_question.id)

        self.assertEqual(
            Rule._match(ticket=ticket, product=tv, warranty_status="out_of_warranty"),
            self.rule_repair | self.rule_shipping,
        )
        self.assertEqual(
            Rule._match(ticket=ticket, product=tv, warranty_status="in_warranty"),
            self.rule_shipping,
            "repair labour is only charged out of warranty",
        )
        self.assertFalse(
            Rule._match(ticket=question, product=shirt, warranty_status="out_of_warranty"),
            "wrong ticket type for the repair rule, wrong product category for the shipping rule",
        )

    def test_fee_from_ticket_as_agent(self):
        ticket = self.make_ticket()
        fee = self.env["cs.fee"].with_user(self.agent)._create_from_source(ticket, self.rule_repair, quantity=2)
        self.assertEqual(fee.product_id, self.product_labour)
        self.assertEqual(fee.price_unit, 100.0, "the price comes from the product")
        self.assertEqual(fee.tax_ids, self.tax)
        self.assertEqual((fee.res_model, fee.res_id, fee.ticket_id), ("cs.ticket", ticket.id, ticket))
        expected = self.tax.compute_all(100.0, self.currency, 2)["total_included"]
        self.assertAlmostEqual(fee.price_total, expected)
        self.assertEqual(fee.state, "draft")
        fee.with_user(self.agent).action_confirm()
        self.assertEqual(fee.state, "confirmed")
        self.assertEqual(ticket.cs_fee_count, 1)

    def test_fee_form_from_ticket_button(self):
        ticket = self.make_ticket()
        action = ticket.with_user(self.agent).action_cs_add_fee()
        form = Form(self.env["cs.fee"].with_user(self.agent).with_context(**action["context"]))
        form.rule_id = self.rule_shipping
        fee = form.save()
        self.assertEqual((fee.ticket_id, fee.partner_id, fee.price_unit), (ticket, self.customer, 12.0))

    def test_bad_fees(self):
        ticket = self.make_ticket()
        Fee = self.env["cs.fee"]
        for price in (0.0, -5.0):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                Fee._create_from_source(ticket, self.rule_shipping, price_unit=price)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            Fee._create_from_source(ticket, self.rule_shipping, quantity=0)
        ticket.active = False  # a cancelled ticket
        with self.assertRaises(ValidationError), self.cr.savepoint():
            Fee._create_from_source(ticket, self.rule_shipping)
        self.assertFalse(Fee.search([("ticket_id", "=", ticket.id)]))

    def test_batch_invoicing_per_customer_and_month(self):
        org = self.env["res.partner"].create({"name": "华东电器有限公司", "is_company": True})
        self.customer2.cs_paying_partner_id = org  # 单位承担
        fees = (
            self.make_fee(date=self.day(2026, 10, 5))
            | self.make_fee(rule=self.rule_shipping, date=self.day(2026, 10, 20), quantity=3)
            | self.make_fee(date=self.day(2026, 11, 2))
            | self.make_fee(ticket=self.make_ticket(partner_id=self.customer2.id), date=self.day(2026, 10, 7))
        )
        invoices = self.invoice_fees(fees)
        self.assertEqual(len(invoices), 3, "customer: October and November; the organisation: October")
        october = invoices.filtered(lambda m: m.partner_id == self.customer and len(m.invoice_line_ids) == 2)
        self.assertTrue(october)
        self.assertEqual(
            invoices.filtered(lambda m: m.partner_id == org).invoice_line_ids.cs_fee_id,
            fees.filtered(lambda f: f.partner_id == self.customer2),
        )
        self.assertEqual(set(invoices.mapped("currency_id")), {self.currency})
        for invoice in invoices:
            invoice_fees = invoice.invoice_line_ids.cs_fee_id
            self.assertAlmostEqual(invoice.amount_total, sum(invoice_fees.mapped("price_total")))
            self.assertAlmostEqual(invoice.amount_untaxed, sum(invoice_fees.mapped("price_subtotal")))
            self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax)
        self.assertEqual(set(fees.mapped("state")), {"invoiced"})
        self.assertEqual(fees.invoice_id, invoices)

    def test_invoicing_twice_is_refused(self):
        fee = self.make_fee()
        self.invoice_fees(fee)
        moves_before = self.env["account.move"].search_count([])
        with self.assertRaisesRegex(UserError, "not invoiced yet"):
            (fee | self.make_fee()).action_create_invoices()
        self.assertEqual(self.env["account.move"].search_count([]), moves_before, "nothing half-created")
        with self.assertRaises(UserError):
            self.make_fee(confirm=False)._create_invoices()

    def test_paid_state_follows_the_invoice(self):
        fee = self.make_fee()
        invoice = self.invoice_fees(fee)
        self.pay(invoice, amount=invoice.amount_total / 2)
        self.assertEqual(fee.state, "invoiced", "partially paid")
        self.pay(invoice)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(fee.state, "paid")

    def test_cancelled_invoice_frees_the_fee(self):
        fee = self.make_fee()
        invoice = self.invoice_fees(fee, post=False)
        invoice.button_cancel()
        self.assertEqual(fee.state, "confirmed")
        self.assertEqual(len(self.invoice_fees(fee)), 1, "can be invoiced again")

    def test_invoiced_fee_cannot_be_cancelled(self):
        fee = self.make_fee()
        self.invoice_fees(fee)
        with self.assertRaises(UserError):
            fee.action_cancel()

    def test_automatic_fee_on_resolution(self):
        self.rule_shipping.write({"auto_apply": True, "ticket_type_ids": [Command.set(self.type_repair.ids)]})
        ticket = self.make_ticket()
        resolved = self.env.ref("cs_helpdesk.stage_resolved")
        ticket.stage_id = resolved
        self.assertEqual(ticket.cs_fee_ids.rule_id, self.rule_shipping)
        self.assertEqual(ticket.cs_fee_ids.state, "draft")
        ticket.stage_id = self.env.ref("cs_helpdesk.stage_in_progress")
        ticket.stage_id = resolved
        self.assertEqual(len(ticket.cs_fee_ids), 1, "once per ticket and standard")
