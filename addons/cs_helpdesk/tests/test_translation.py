import re
from datetime import date, datetime

from lxml import etree
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import CsHelpdeskCase

# Latin words that stay as they are in the Chinese interface: the glossary's short forms (SLA, VIP), Odoo's own
# zh_CN words (ID, OK), the example email alias of a team (kefu@…) and serial numbers (SN-0001)
KEPT_WORDS = {"SLA", "VIP", "ID", "FAQ", "App", "OK", "kefu", "SN"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
DOMAIN_OR_EMAIL = re.compile(r"[\w.+-]*[@.][\w.-]+\.[a-z]{2,}")  # shop.example.com: an example value, not a word
ARCH_ATTRIBUTES = ("string", "placeholder", "help", "title", "confirm", "aria-label", "sum", "avg")
KEY_VIEWS = (
    "cs_helpdesk.cs_ticket_view_form",
    "cs_helpdesk.cs_ticket_view_list",
    "cs_helpdesk.cs_knowledge_article_view_form",
    "cs_helpdesk.cs_sla_policy_view_form",
    "cs_helpdesk.cs_ticket_team_view_form",
)


def english_words(text):
    return [word for word in ENGLISH_WORD.findall(DOMAIN_OR_EMAIL.sub("", text or "")) if word not in KEPT_WORDS]


def load_chinese(env):
    env["res.lang"]._activate_lang("zh_CN")
    # the suite's other addons extend these views: their terms are loaded with cs_helpdesk's
    suite = env["ir.module.module"].search([("name", "=like", "cs\\_%"), ("state", "=", "installed")])
    env["ir.module.module"]._load_module_terms(suite.mapped("name"), ["zh_CN"], overwrite=True)


@tagged("post_install", "-at_install")
class TestTranslation(TransactionCase):
    """The zh_CN catalogue is loaded and used: code messages, menus and seeded records read in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        load_chinese(cls.env)
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

    # ------------------------------------------------------------------ views
    def _view_texts(self, xmlid):
        """(where, text) of everything a reader sees in the view: labels, buttons, help, selection values."""
        view = self.env.ref(xmlid)
        result = self.env_zh[view.model].get_views([(view.id, view.type)])
        arch = etree.fromstring(result["views"][view.type]["arch"])
        texts = []
        for node in arch.iter(tag=etree.Element):
            if node.tag in (
                "field",
                "button",
                "label",
                "filter",
                "page",
                "group",
                "separator",
                "list",
                "form",
                "div",
                "span",
                "h1",
                "h2",
                "p",
                "a",
                "strong",
                "small",
            ):
                for attribute in ARCH_ATTRIBUTES:
                    if node.get(attribute):
                        texts.append((f"{xmlid} <{node.tag} {attribute}>", node.get(attribute)))
                if node.text and node.text.strip():
                    texts.append((f"{xmlid} <{node.tag}> text", node.text))
            if node.tail and node.tail.strip():
                texts.append((f"{xmlid} tail of <{node.tag}>", node.tail))
        for model, description in result["models"].items():
            fields = description.get("fields", description)
            for name, field in fields.items():
                if "cs_helpdesk" not in (self.env[model]._fields[name]._modules or ()):
                    continue  # a field of another addon (mail, rating…): its own catalogue translates it
                where = f"{model}.{name}"
                texts.append((f"{where} label", field.get("string")))
                texts.append((f"{where} help", field.get("help")))
                for _value, label in field.get("selection") or []:
                    texts.append((f"{where} selection", label))
        return texts

    def test_key_views_have_no_english(self):
        """Ticket form and list, knowledge article, SLA policy and team forms read in Chinese only."""
        found = [
            f"{where}: {text!r}"
            for xmlid in KEY_VIEWS
            for where, text in self._view_texts(xmlid)
            if english_words(text)
        ]
        self.assertFalse(found, "English left in the zh_CN views:\n" + "\n".join(found))

    def test_meanings_have_their_own_words(self):
        """One English label per meaning: the knowledge answer is not a picked-up call, a running campaign is
        not a running SLA clock, the customer filters name customers."""
        article_answer = self.env_zh["cs.knowledge.article"].fields_get(["answer"])["answer"]["string"]
        sla_kinds = dict(self.env_zh["cs.ticket.sla"].fields_get(["kind"])["kind"]["selection"])
        campaign_states = dict(self.env_zh["cs.survey.campaign"].fields_get(["state"])["state"]["selection"])
        sla_states = dict(self.env_zh["cs.ticket.sla"].fields_get(["status"])["status"]["selection"])
        self.assertEqual(article_answer, "答案")
        self.assertEqual(sla_kinds["answer"], "接听")
        self.assertEqual(campaign_states["running"], "进行中")
        self.assertEqual(sla_states["running"], "计时中")

    # ------------------------------------------------------------------ stored names and data
    def test_category_path_in_the_readers_language(self):
        """The stored full path is computed before translations exist: what readers see is built from the
        translated names of the category and its parents."""
        Category = self.env["cs.ticket.category"]
        parent = Category.create({"name": "After-sales"})
        child = Category.create({"name": "Repair", "parent_id": parent.id})
        parent.update_field_translations("name", {"zh_CN": "售后"})
        child.update_field_translations("name", {"zh_CN": "维修"})
        self.assertEqual(child.with_context(lang="en_US").display_name, "After-sales / Repair")
        self.assertEqual(child.with_context(lang="zh_CN").display_name, "售后 / 维修")
        ticket = self.env_zh["cs.ticket"].create({"name": "耳机没有声音", "email_from": "a@example.com"})
        ticket.category_id = child
        self.assertEqual(ticket.category_id.display_name, "售后 / 维修")
        self.assertIn((child.id, "售后 / 维修"), Category.with_context(lang="zh_CN").name_search("维修"))

    def test_canned_response_descriptions_in_chinese(self):
        """The polite-phrase library carries the etiquette headings (问候语, 道歉语…) in the reader's language."""
        hello = self.env.ref("cs_helpdesk.canned_response_hello")
        sorry = self.env.ref("cs_helpdesk.canned_response_sorry")
        self.assertEqual(hello.with_context(lang="zh_CN").description, "问候语")
        self.assertEqual(sorry.with_context(lang="zh_CN").description, "道歉语")
        self.assertEqual(hello.with_context(lang="en_US").description, "Greeting")

    def test_demo_records_in_chinese_without_creation_notes(self):
        policy = self.env.ref("cs_helpdesk.sla_policy_vip_demo", raise_if_not_found=False)
        if not policy:
            self.skipTest("demo data not installed")
        self.assertEqual(policy.with_context(lang="zh_CN").name, "VIP 客户：2 小时内回复，24 小时内解决")
        team = self.env.ref("cs_helpdesk.team_aftersales_demo", raise_if_not_found=False)
        if team:
            self.assertEqual(team.with_context(lang="zh_CN").name, "售后组")
        demo_ids = self.env["ir.model.data"].search([("module", "=", "cs_helpdesk"), ("model", "=", "cs.ticket")])
        notes = self.env["mail.message"].search(
            [
                ("model", "=", "cs.ticket"),
                ("res_id", "in", demo_ids.mapped("res_id")),
                ("message_type", "=", "notification"),
                "|",
                ("body", "ilike", "created"),
                ("body", "ilike", "创建"),
            ]
        )
        self.assertFalse(notes, "demo tickets start without an English 'created' note")


@tagged("post_install", "-at_install")
class TestCronLanguage(CsHelpdeskCase):
    """Scheduled actions run as OdooBot in English; what they write for a person is in that person's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.agent1.lang = "zh_CN"
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    def test_sla_escalation_note_activity_and_digest_in_chinese(self):
        policy = self.make_policy(name="Email reply", first_response_time=24, time_unit="hours")
        policy.update_field_translations("name", {"zh_CN": "邮件回复"})
        # by default a level warns the assignee before the deadline and notifies them
        self.env["cs.sla.escalation"].create(
            {"policy_id": policy.id, "level": "1", "offset_hours": 2, "activity_type_id": self.todo.id}
        )
        when = datetime(2024, 6, 17, 2, 0)  # Monday 10:00 in Shanghai
        with self.mock_now(when):
            ticket = self.make_ticket(user_id=self.agent1.id)
        messages = ticket.message_ids
        with self.mock_now(datetime(2024, 6, 18, 0, 30)):  # Tuesday 8:30, 1.5 h before the deadline
            self.env["cs.ticket.sla"]._cron_process_sla()
        note = ticket.message_ids - messages
        self.assertEqual(len(note), 1)
        self.assertIn("SLA 升级至", note.body)
        self.assertIn("邮件回复", note.body)
        # the deadline's time zone name is the only Latin word besides "SLA" and the level code
        self.assertFalse(english_words(re.sub(r"\([A-Za-z_/]+\)", "", note.body.striptags())), note.body)
        self.assertIn("SLA 升级：", ticket.activity_ids.summary)
        digest = self.env["mail.notification"].search([("res_partner_id", "=", self.agent1.partner_id.id)])
        subjects = digest.mail_message_id.mapped("subject")
        self.assertTrue(any(subject and subject.startswith("SLA 升级至") for subject in subjects), subjects)

    def test_knowledge_review_activity_in_chinese(self):
        article = self.env["cs.knowledge.article"].create(
            {"name": "退款多久到账", "answer": "<p>3 个工作日内</p>", "reviewer_id": self.agent1.id}
        )
        article.write({"state": "published", "next_review_date": date(2024, 1, 1)})
        self.env["cs.knowledge.article"]._cron_flag_review_due()
        self.assertEqual(article.activity_ids.summary, "定期审核到期")

    def test_care_activity_in_chinese(self):
        customer = self.env["res.partner"].create(
            {
                "name": "李娜",
                "cs_consent_care": True,
                "cs_birthday": date(1990, 6, 18),
                "user_id": self.agent1.id,
            }
        )
        with self.mock_now(datetime(2024, 6, 18, 1, 0)):
            self.env["res.partner"]._cron_schedule_cs_care()
        activity = customer.activity_ids
        self.assertEqual(activity.summary, "问候：生日")
        self.assertFalse(english_words(activity.note.striptags()), activity.note)
