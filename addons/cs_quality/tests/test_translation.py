from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestQualityTranslation(TransactionCase):
    """The zh_CN catalogue of cs_quality is loaded and used by errors, seeded records and menus."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["cs_quality"], ["zh_CN"], overwrite=True)
        cls.env_zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def test_weight_error_in_chinese(self):
        with self.assertRaises(ValidationError) as caught:
            self.env_zh["cs.qa.scorecard"].create(
                {"name": "测试评分表", "criterion_ids": [Command.create({"name": "态度", "weight": 90})]}
            )
        self.assertIn("必须等于 100", caught.exception.args[0])

    def test_seeded_records_and_menus_in_chinese(self):
        self.assertEqual(self.env_zh.ref("cs_quality.criterion_polite").name, "礼貌十字用语")
        self.assertEqual(self.env_zh.ref("cs_quality.scorecard_standard").name, "标准服务质检表")
        self.assertEqual(self.env_zh.ref("cs_quality.menu_kpi_dashboard").name, "KPI 看板")
        self.assertEqual(self.env_zh.ref("cs_quality.incident_category_outage").name, "停水停电")
