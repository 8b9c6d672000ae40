from odoo.tests import TransactionCase, new_test_user


class TestQualityGroups(TransactionCase):
    def test_manager_is_also_qa_inspector(self):
        manager = new_test_user(self.env, "q_manager", groups="cs_helpdesk.group_manager")
        self.assertTrue(manager.has_group("cs_quality.group_qa_inspector"))

    def test_qa_inspector_is_not_an_agent(self):
        inspector = new_test_user(self.env, "q_inspector", groups="cs_quality.group_qa_inspector")
        self.assertFalse(inspector.has_group("cs_helpdesk.group_agent"))
        self.assertEqual(
            self.env.ref("cs_quality.group_qa_inspector").category_id,
            self.env.ref("cs_helpdesk.module_category_customer_service"),
        )

    def test_quality_menu_hangs_under_the_app(self):
        menu = self.env.ref("cs_quality.menu_quality")
        self.assertEqual(menu.parent_id, self.env.ref("cs_helpdesk.menu_root"))
