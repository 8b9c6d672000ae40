from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTranslation(TransactionCase):
    """The zh_CN catalogue is loaded and used: code messages, menus and seeded records read in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["cs_helpdesk"], ["zh_CN"], overwrite=True)
        cls.env_zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def test_invalid_email_message_in_chinese(self):
        with self.assertRaises(ValidationError) as caught:
            self.env_zh["cs.ticket"].create({"name": "包裹五天未收到", "email_from": "wang.at.example.com"})
        message = caught.exception.args[0]
        self.assertIn("不是有效的电子邮件地址", message)
        self.assertIn("wang.at.example.com", message)
        self.assertNotIn("is not a valid email address", message)

    def test_menu_root_in_chinese(self):
        menu = self.env.ref("cs_helpdesk.menu_root")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "客服中心")
        self.assertEqual(menu.with_context(lang="en_US").name, "Customer Service")

    def test_seeded_stage_in_chinese(self):
        stage = self.env.ref("cs_helpdesk.stage_waiting")
        self.assertEqual(stage.with_context(lang="zh_CN").name, "等待客户")
        self.assertEqual(stage.with_context(lang="en_US").name, "Waiting for Customer")
