from odoo.addons.cs_aftersales.models.cs_aftersales_policy import DEFAULT_WARRANTY_MONTHS, WARRANTY_MONTHS_PARAM
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPolicy(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Policy = cls.env["cs.aftersales.policy"]
        cls.company = cls.env.company
        cls.Policy.search([]).active = False
        cls.categ_parent = cls.env["product.category"].create({"name": "Appliances"})
        cls.categ_child = cls.env["product.category"].create({"name": "Kettles", "parent_id": cls.categ_parent.id})
        cls.categ_other = cls.env["product.category"].create({"name": "Books"})
        cls.kettle = cls.env["product.product"].create(
            {"name": "Kettle", "type": "consu", "categ_id": cls.categ_child.id}
        )
        cls.book = cls.env["product.product"].create({"name": "Book", "type": "consu", "categ_id": cls.categ_other.id})
        cls.appliance_policy = cls.Policy.create(
            {"name": "Appliances", "sequence": 5, "product_categ_ids": [(4, cls.categ_parent.id)], "return_days": 15}
        )
        cls.fallback = cls.Policy.create({"name": "Fallback", "sequence": 50})

    def test_first_match_by_category_and_sequence(self):
        self.assertEqual(self.Policy._find_for(self.kettle, self.company), self.appliance_policy)
        self.assertEqual(self.Policy._find_for(self.book, self.company), self.fallback)
        self.fallback.sequence = 1
        self.assertEqual(self.Policy._find_for(self.kettle, self.company), self.fallback)

    def test_no_policy_of_other_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.assertFalse(self.Policy._find_for(self.kettle, other))

    def test_defaults_from_seeds_and_setting(self):
        self.assertEqual(self.fallback.return_days, 7)
        self.assertEqual(self.fallback.exchange_days, 7)
        self.assertEqual(self.fallback.warranty_months, DEFAULT_WARRANTY_MONTHS)
        self.env["res.config.settings"].create({"cs_default_warranty_months": 24}).execute()
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param(WARRANTY_MONTHS_PARAM), "24")
        self.assertEqual(self.Policy.create({"name": "Two years"}).warranty_months, 24)

    def test_policy_write_needs_rma_manager(self):
        agent = new_test_user(self.env, "as_pol_agent", groups="cs_helpdesk.group_agent,rma.rma_group_user_all")
        self.assertEqual(self.Policy.with_user(agent)._find_for(self.kettle, self.company), self.appliance_policy)
        with self.assertRaises(AccessError):
            self.appliance_policy.with_user(agent).return_days = 30
        manager = new_test_user(self.env, "as_pol_mgr", groups="rma.rma_group_manager")
        self.appliance_policy.with_user(manager).return_days = 30
        self.assertEqual(self.appliance_policy.return_days, 30)

    def test_kinds_seeded_and_ticket_link(self):
        kinds = self.env["rma.operation"].search([("kind", "!=", False)]).mapped("kind")
        self.assertEqual(set(kinds), {"return", "exchange", "repair", "warranty", "reship"})
        partner = self.env["res.partner"].create({"name": "张三"})
        ticket = self.env["cs.ticket"].create({"name": "退货申请", "partner_id": partner.id})
        rma = self.env["rma"].create(
            {
                "partner_id": partner.id,
                "product_id": self.kettle.id,
                "operation_id": self.env.ref("cs_aftersales.rma_operation_return").id,
                "ticket_id": ticket.id,
            }
        )
        self.assertEqual(rma.kind, "return")
        self.assertEqual(ticket.rma_ids, rma)
        self.assertEqual(ticket.rma_count, 1)
        self.assertEqual(ticket.action_view_rmas()["domain"], [("ticket_id", "=", ticket.id)])
