from odoo.tests import TransactionCase


class TestAftersalesInstall(TransactionCase):
    def test_menu_and_dependencies(self):
        menu = self.env.ref("cs_aftersales.menu_aftersales")
        self.assertEqual(menu.parent_id, self.env.ref("cs_helpdesk.menu_root"))
        installed = self.env["ir.module.module"].search([("name", "in", ("repair", "sale_stock"))])
        self.assertEqual(set(installed.mapped("state")), {"installed"})
