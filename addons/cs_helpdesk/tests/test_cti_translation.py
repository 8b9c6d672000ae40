from odoo.tests import tagged

from .cti_common import CtiCase
from .test_translation import load_chinese


@tagged("post_install", "-at_install")
class TestCtiTranslation(CtiCase):
    """Calls, their tickets and the endpoint's refusals read in Chinese for a Chinese company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)

    def test_labels_and_call_tickets_in_chinese(self):
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        results = dict(env_zh["cs.call"].fields_get(["result"])["result"]["selection"])
        self.assertEqual(results["answered"], "已接听")
        self.assertEqual(env_zh["cs.call.report"].fields_get(["service_level"])["service_level"]["string"], "服务水平")
        self.env = env_zh  # the endpoint works in the company's language
        self.ingest(self.call_events("zh", answer=None, reason="timeout"))
        ticket = self.call("zh").ticket_id
        self.assertEqual(ticket.name, "王芳 的未接来电")
        self.assertEqual(ticket.activity_ids.summary, "回电")
