from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CsIncentiveCase


@tagged("post_install", "-at_install")
class TestIncentiveTranslation(CsIncentiveCase):
    """The zh_CN catalogue of cs_training is loaded and used by errors, seeded rules and menus."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["cs_training"], ["zh_CN"], overwrite=True)
        cls.env_zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def test_errors_in_chinese(self):
        Record = self.env_zh["cs.incentive.record"]
        with self.assertRaises(ValidationError) as caught:
            Record.create({"employee_id": self.emp_agent.id, "rule_id": self.rule_range.id, "base_amount": 500})
        self.assertIn("必须在", str(caught.exception))
        own = self.record(self.rule_nth, "2026-06-10", employee=self.emp_manager)
        with self.assertRaises(UserError) as caught:
            own.with_user(self.manager).with_context(lang="zh_CN").action_approve()
        self.assertIn("不能审批自己", str(caught.exception))

    def test_seeded_rules_and_menus_in_chinese(self):
        self.assertEqual(self.env_zh.ref("cs_training.incentive_rule_complaint_fine").name, "因服务引起的客户投诉")
        self.assertEqual(self.env_zh.ref("cs_training.menu_incentive").name, "奖惩")

    def test_shifts_and_training_in_chinese(self):
        self.assertEqual(self.env_zh.ref("cs_training.cs_shift_early").name, "早班")
        self.assertEqual(self.env_zh.ref("cs_training.cs_shift_late").name, "晚班")
        self.assertEqual(self.env_zh.ref("cs_training.menu_performance").name, "绩效")
        labels = dict(self.env_zh["cs.training.course"]._fields["category"]._description_selection(self.env_zh))
        self.assertEqual(labels["complaint"], "客户投诉处理")
