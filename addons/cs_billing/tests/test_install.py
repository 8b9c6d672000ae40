from odoo.tests import TransactionCase


class TestBillingInstall(TransactionCase):
    def test_menu_and_dependencies(self):
        menu = self.env.ref("cs_billing.menu_billing")
        self.assertEqual(menu.parent_id, self.env.ref("cs_helpdesk.menu_root"))
        module = self.env["ir.module.module"].search([("name", "=", "cs_billing")])
        depends = module.dependencies_id.mapped("name")
        self.assertIn("account_credit_control", depends)
        self.assertNotIn("cs_aftersales", depends, "after-sales builds on billing, not the reverse")
