from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import CsBillingCase


@tagged("post_install", "-at_install")
class TestBillingSecurity(CsBillingCase):
    def test_agents_see_fees_of_their_tickets(self):
        mine = self.make_fee()
        other_team = self.env["cs.ticket.team"].create({"name": "Other Team", "assignment_method": "manual"})
        theirs = self.make_fee(ticket=self.make_ticket(team_id=other_team.id, user_id=self.agent2.id))
        Fee = self.env["cs.fee"]
        self.assertEqual(Fee.with_user(self.agent).search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertEqual(Fee.with_user(self.agent2).search([("id", "in", (mine | theirs).ids)]), theirs)
        self.assertEqual(Fee.with_user(self.manager).search([("id", "in", (mine | theirs).ids)]), mine | theirs)
        self.assertEqual(Fee.with_user(self.clerk).search([("id", "in", (mine | theirs).ids)]), mine | theirs)

    def test_agents_change_draft_fees_only(self):
        draft = self.make_fee(confirm=False)
        draft.with_user(self.agent).price_unit = 80
        confirmed = self.make_fee()
        with self.assertRaises(AccessError):
            confirmed.with_user(self.agent).price_unit = 1
        with self.assertRaises(AccessError):
            confirmed.with_user(self.agent).action_create_invoices()
        with self.assertRaises(AccessError):
            self.env["cs.fee.rule"].with_user(self.agent).create(
                {"name": "x", "product_id": self.product_labour.id, "company_id": self.company.id}
            )

    def test_invoicing_as_billing_clerk(self):
        fee = self.make_fee()
        invoices = fee.with_user(self.clerk)._create_invoices()
        invoices.with_user(self.clerk).action_post()
        self.assertEqual((fee.state, invoices.create_uid), ("invoiced", self.clerk))

    def test_analyst_reads_reports_not_invoices(self):
        fee = self.make_fee()
        invoice = self.invoice_fees(fee)
        self.assertTrue(self.env["cs.fee.report"].with_user(self.analyst).search([("fee_id", "=", fee.id)]))
        with self.assertRaises(AccessError):
            invoice.with_user(self.analyst).read(["name"])
        with self.assertRaises(AccessError):
            self.env["cs.ageing.report"].with_user(self.analyst).search([])

    def test_portal_sees_own_fees(self):
        portal = new_test_user(
            self.env, login="cs_bill_portal", groups="base.group_portal", partner_id=self.customer.id
        )
        confirmed = self.make_fee()
        draft = self.make_fee(confirm=False)
        other = self.make_fee(ticket=self.make_ticket(partner_id=self.customer2.id))
        visible = self.env["cs.fee"].with_user(portal).search([("id", "in", (confirmed | draft | other).ids)])
        self.assertEqual(visible, confirmed, "own, confirmed fees only")
        with self.assertRaises(AccessError):
            other.with_user(portal).read(["price_total"])

    def test_multi_company(self):
        other_company = self.setup_other_company()["company"]
        product = self._create_product(name="上门安装", type="service", lst_price=50.0, company_id=other_company.id)
        partner = self.env["res.partner"].create({"name": "赵敏", "company_id": other_company.id})
        fee = (
            self.env["cs.fee"]
            .with_company(other_company)
            .create({"partner_id": partner.id, "product_id": product.id, "company_id": other_company.id})
        )
        self.assertFalse(self.env["cs.fee"].with_user(self.clerk).search([("id", "=", fee.id)]))
        self.clerk.company_ids = [Command.link(other_company.id)]
        self.assertEqual(
            self.env["cs.fee"]
            .with_user(self.clerk)
            .with_context(allowed_company_ids=other_company.ids)
            .search([("id", "=", fee.id)]),
            fee,
        )

    def test_new_customer_form_shows_empty_figures(self):
        form = Form(self.env["res.partner"])
        form.name = "新客户"
        self.assertEqual((form.cs_overdue_amount, form.cs_dunning_level), (0, 0))
        partner = form.save()
        self.assertEqual(partner.cs_open_invoice_count, 0)
