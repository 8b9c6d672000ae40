from odoo.tests import TransactionCase


class TestBillingInstall(TransactionCase):
    def test_menu_and_dependencies(self):
        menu = self.env.ref("cs_billing.menu_billing")
        self.assertEqual(menu.parent_id, self.env.ref("cs_helpdesk.menu_root"))
        module = self.env["ir.module.module"].search([("name", "=", "cs_billing")])
        self.assertIn("cs_aftersales", module.dependencies_id.mapped("name"))
