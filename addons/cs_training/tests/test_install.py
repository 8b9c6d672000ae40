from odoo.tests import TransactionCase, new_test_user


class TestTrainingGroups(TransactionCase):
    def test_manager_is_also_trainer_and_inspector(self):
        manager = new_test_user(self.env, "t_manager", groups="cs_helpdesk.group_manager")
        self.assertTrue(manager.has_group("cs_training.group_trainer"))
        self.assertTrue(manager.has_group("cs_quality.group_qa_inspector"))

    def test_trainer_alone_is_not_a_manager(self):
        trainer = new_test_user(self.env, "t_trainer", groups="cs_training.group_trainer")
        self.assertFalse(trainer.has_group("cs_helpdesk.group_manager"))
        self.assertFalse(trainer.has_group("cs_helpdesk.group_agent"))

    def test_training_menu_hangs_under_the_app(self):
        menu = self.env.ref("cs_training.menu_training")
        self.assertEqual(menu.parent_id, self.env.ref("cs_helpdesk.menu_root"))
