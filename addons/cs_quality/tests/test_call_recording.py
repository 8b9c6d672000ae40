from odoo.addons.cs_helpdesk.tests.cti_common import CtiCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCallRecording(CtiCase):
    """QA inspectors open the recordings of every team's calls, through cs_helpdesk's reviewer group."""

    def test_inspector_hears_recordings(self):
        inspector = self.env["res.users"].create(
            {
                "name": "质检员",
                "login": "cti_qa",
                "groups_id": [(6, 0, [self.env.ref("cs_quality.group_qa_inspector").id])],
            }
        )
        self.ingest(self.call_events("qa", answer=10))
        call = self.call("qa").with_user(inspector)
        self.assertEqual(call.recording_url, "https://rec.example.com/qa.mp3")
