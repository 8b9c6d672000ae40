import json
from unittest.mock import patch

from odoo import http
from odoo.addons.cs_helpdesk.controllers.web_form import CsTicketWebForm, recent_submissions
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    """Customer portal (/my/tickets) and public web form (/helpdesk/<team>/submit), as real users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("cs_helpdesk.web_form_rate_limit", 3)
        cls.env["ir.config_parameter"].set_param("cs_helpdesk.max_attachment_mb", 1)
        Team = cls.env["cs.ticket.team"].with_context(tracking_disable=True)
        cls.team = Team.create({"name": "售后服务组", "assignment_method": "manual"})
        cls.archived_team = Team.create({"name": "Old Team", "assignment_method": "manual", "active": False})
        cls.portal_a = new_test_user(
            cls.env, "cs_portal_a", groups="base.group_portal", name="Customer A", email="customer.a@example.com"
        )
        cls.portal_b = new_test_user(
            cls.env, "cs_portal_b", groups="base.group_portal", name="Customer B", email="customer.b@example.com"
        )
        Ticket = cls.env["cs.ticket"].with_context(mail_create_nolog=True)
        cls.ticket_a = Ticket.create(
            {"name": "我的包裹五天还没到", "team_id": cls.team.id, "partner_id": cls.portal_a.partner_id.id}
        )
        cls.ticket_b = Ticket.create(
            {"name": "Invoice title of B", "team_id": cls.team.id, "partner_id": cls.portal_b.partner_id.id}
        )
        cls.channel_web = cls.env.ref("cs_helpdesk.channel_web")

    def setUp(self):
        super().setUp()
        recent_submissions.clear()
        self.addCleanup(recent_submissions.clear)

    # ------------------------------------------------------------------ helpers
    def _post(self, url, data=None, files=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _submit(self, files=None, team=None, **values):
        data = {
            "name": "王小明",
            "email": "xiaoming@example.com",
            "phone": "+86 138 0013 8000",
            "subject": "退货申请",
            "description": "收到的商品有破损。\n订单号 E20241112001",
        }
        data.update(values)
        return self._post(f"/helpdesk/{(team or self.team).id}/submit", data, files=files)

    def _web_tickets(self):
        return self.env["cs.ticket"].search([("team_id", "=", self.team.id), ("channel_id", "=", self.channel_web.id)])

    # ------------------------------------------------------------------ portal isolation
    def test_orm_isolation(self):
        Ticket_a = self.env["cs.ticket"].with_user(self.portal_a)
        self.assertEqual(Ticket_a.search([]), self.ticket_a)
        self.ticket_a.with_user(self.portal_a).read(["name", "stage_id"])
        with self.assertRaises(AccessError):
            self.ticket_b.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            self.ticket_a.with_user(self.portal_a).write({"name": "changed"})

    def test_portal_list_shows_own_tickets_only(self):
        self.authenticate("cs_portal_a", "cs_portal_a")
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_a.number, response.text)
        self.assertIn("我的包裹五天还没到", response.text)
        self.assertNotIn(self.ticket_b.number, response.text)

        found = self.url_open(f"/my/tickets?search={self.ticket_a.number}&search_in=number")
        self.assertIn(self.ticket_a.number, found.text)
        not_found = self.url_open("/my/tickets?search=nothing-like-this&search_in=all&sortby=name")
        self.assertEqual(not_found.status_code, 200)
        self.assertNotIn(self.ticket_a.number, not_found.text)

        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["cs_ticket_count"]})
        self.assertEqual(counters["cs_ticket_count"], 1)
        home = self.url_open("/my")
        self.assertIn("/my/tickets", home.text)

    def test_portal_cannot_open_other_customer_ticket(self):
        self.authenticate("cs_portal_a", "cs_portal_a")
        response = self.url_open(f"/my/tickets/{self.ticket_b.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303, 403))
        self.assertNotIn("Invoice title of B", response.text)
        if response.status_code != 403:
            self.assertTrue(response.headers["Location"].endswith("/my"))
        # nor with a forged token, nor close it
        forged = self.url_open(f"/my/tickets/{self.ticket_b.id}?access_token=forged", allow_redirects=False)
        self.assertNotIn("Invoice title of B", forged.text)
        self._post(f"/my/tickets/{self.ticket_b.id}/close")
        self.ticket_b.invalidate_recordset()
        self.assertFalse(self.ticket_b.is_closed)

    def test_portal_ticket_page_chatter_and_close(self):
        self.authenticate("cs_portal_a", "cs_portal_a")
        response = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("我的包裹五天还没到", response.text)
        self.assertIn('data-res_model="cs.ticket"', response.text, "the portal chatter is on the page")
        self.assertIn(f"/my/tickets/{self.ticket_a.id}/close", response.text)
        self.assertIn('href="/my/tickets"', response.text, "breadcrumb back to the list")

        # reply with a file through the standard portal chatter (the ticket's token stands for write access)
        token = self.ticket_a.access_token
        self.assertTrue(token)
        upload = self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "thread_id": self.ticket_a.id,
                "thread_model": "cs.ticket",
                "token": token,
                "is_pending": True,
            },
            files={"ufile": ("运单截图.png", b"\x89PNG\r\n\x1a\nfake", "image/png")},
        )
        self.assertEqual(upload.status_code, 200)
        attachment = json.loads(upload.text)["data"]["ir.attachment"][0]
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "cs.ticket",
                "thread_id": self.ticket_a.id,
                "post_data": {"body": "还是没有收到", "attachment_ids": [attachment["id"]], "message_type": "comment"},
                "attachment_tokens": [attachment["access_token"]],
                "token": token,
            },
        )
        reply = self.ticket_a.message_ids.filtered(lambda m: m.author_id == self.portal_a.partner_id)
        self.assertEqual(len(reply), 1)
        self.assertIn("还是没有收到", reply.body)
        self.assertEqual(reply.attachment_ids.name, "运单截图.png")

        # close
        response = self._post(f"/my/tickets/{self.ticket_a.id}/close")
        self.assertIn(response.status_code, (302, 303))
        self.ticket_a.invalidate_recordset()
        self.assertTrue(self.ticket_a.is_closed)
        self.assertEqual(self.ticket_a.stage_id, self.env.ref("cs_helpdesk.stage_closed"))
        closing = self.ticket_a.message_ids.filtered(lambda m: "closed the ticket" in (m.body or ""))
        self.assertEqual(closing.author_id, self.portal_a.partner_id)
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertNotIn(f"/my/tickets/{self.ticket_a.id}/close", page.text, "no close button once closed")

    def test_close_uses_the_team_first_closed_stage(self):
        Stage = self.env["cs.ticket.stage"]
        team_closed = Stage.create(
            {"name": "Closed (team)", "sequence": 45, "is_closed": True, "team_ids": [(6, 0, self.team.ids)]}
        )
        Stage.create({"name": "Closed (other)", "sequence": 2, "is_closed": True, "team_ids": [(0, 0, {"name": "X"})]})
        self.authenticate("cs_portal_a", "cs_portal_a")
        self._post(f"/my/tickets/{self.ticket_a.id}/close")
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.stage_id, team_closed)

    def test_token_access_for_customer_without_account(self):
        customer = self.env["res.partner"].create({"name": "赵女士", "email": "zhao@example.com"})
        ticket = self.env["cs.ticket"].create(
            {"name": "Token ticket", "team_id": self.team.id, "partner_id": customer.id}
        )
        self.authenticate(None, None)
        denied = self.url_open(f"/my/tickets/{ticket.id}", allow_redirects=False)
        self.assertNotIn("Token ticket", denied.text)
        page = self.url_open(ticket.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Token ticket", page.text)

    # ------------------------------------------------------------------ web form
    def test_web_form_page(self):
        self.authenticate(None, None)
        response = self.url_open(f"/helpdesk/{self.team.id}/submit")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="csrf_token"', response.text)
        self.assertIn('enctype="multipart/form-data"', response.text)
        self.assertIn("售后服务组", response.text)
        self.assertEqual(self.url_open(f"/helpdesk/{self.archived_team.id}/submit").status_code, 404)
        self.assertEqual(self.url_open("/helpdesk/999999/submit").status_code, 404)
        self.assertEqual(self._submit(team=self.archived_team).status_code, 404)
        self.assertFalse(self.env["cs.ticket"].search([("team_id", "=", self.archived_team.id)]))

    def test_web_form_creates_ticket(self):
        self.authenticate(None, None)
        response = self._submit(
            email="XiaoMing@Example.com", files={"attachments": ("订单截图.png", b"\x89PNG\r\n\x1a\nfake", "image/png")}
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertTrue(response.headers["Location"].endswith(f"/helpdesk/{self.team.id}/thanks"))

        ticket = self._web_tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel_id, self.channel_web)
        self.assertEqual(ticket.name, "退货申请")
        self.assertIn("收到的商品有破损。", ticket.description)
        self.assertEqual(ticket.email_from, "xiaoming@example.com")
        self.assertEqual(ticket.partner_phone, "+86 138 0013 8000")
        self.assertEqual(ticket.company_id, self.team.company_id)
        customer = ticket.partner_id
        self.assertEqual((customer.name, customer.email), ("王小明", "xiaoming@example.com"))
        self.assertIn(customer, ticket.message_partner_ids)
        self.assertEqual(ticket.message_ids.attachment_ids.mapped("name"), ["订单截图.png"])

        thanks = self.url_open(response.headers["Location"])
        self.assertEqual(thanks.status_code, 200)
        self.assertIn(ticket.number, thanks.text)

        # the same customer again: found, not duplicated
        self._submit(subject="第二个问题")
        self.assertEqual(len(self._web_tickets()), 2)
        self.assertEqual(self._web_tickets().partner_id, customer)

    def test_web_form_thanks_needs_a_submission(self):
        self.authenticate(None, None)
        response = self.url_open(f"/helpdesk/{self.team.id}/thanks", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith(f"/helpdesk/{self.team.id}/submit"))

    def test_web_form_invalid_email_and_phone(self):
        self.authenticate(None, None)
        partner_count = self.env["res.partner"].search_count([])
        response = self._submit(email="xiaoming@", phone="call me")
        self.assertEqual(response.status_code, 400)
        self.assertIn("“xiaoming@” is not a valid email address.", response.text)
        self.assertIn("“call me” is not a valid phone number", response.text)
        self.assertIn('value="退货申请"', response.text, "what the customer typed is kept")
        self.assertNotIn("Traceback", response.text)
        self.assertFalse(self._web_tickets())
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count, "no customer created")

        response = self._submit(subject="", description="")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please enter a subject.", response.text)
        self.assertFalse(self._web_tickets())

    def test_web_form_nothing_half_saved(self):
        self.authenticate(None, None)
        Ticket = type(self.env["cs.ticket"])
        with patch.object(Ticket, "_sla_apply", side_effect=ValidationError("The SLA engine refused the ticket.")):
            response = self._submit(email="new.customer@example.com")
        self.assertEqual(response.status_code, 400)
        self.assertIn("The SLA engine refused the ticket.", response.text)
        self.assertFalse(self._web_tickets())
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "new.customer@example.com")]),
            "the customer created for the request is rolled back with it",
        )

    def test_web_form_rate_limit_per_email(self):
        self.authenticate(None, None)
        for index in range(3):
            self.assertEqual(self._submit(subject=f"问题 {index}").status_code, 303)
        response = self._submit(subject="问题 3")
        self.assertEqual(response.status_code, 429)
        self.assertIn("You have already sent 3 requests in the last hour.", response.text)
        self.assertIn('value="问题 3"', response.text, "the form is shown again, filled in")
        self.assertEqual(len(self._web_tickets()), 3)
        # another customer is not blocked
        self.assertEqual(self._submit(email="other@example.com").status_code, 303)

    def test_web_form_rate_limit_per_client_address(self):
        self.authenticate(None, None)
        # requests from the loopback (a reverse proxy without proxy_mode) are not counted per address
        for index in range(4):
            self.assertEqual(self._submit(email=f"proxied{index}@example.com").status_code, 303)

        client = patch.object(CsTicketWebForm, "_web_form_client_address", return_value="36.112.10.25")
        with client:
            for index in range(3):
                self.assertEqual(self._submit(email=f"robot{index}@example.com").status_code, 303)
            response = self._submit(email="robot3@example.com")
        self.assertEqual(response.status_code, 429)
        self.assertFalse(self.env["res.partner"].search([("email", "=", "robot3@example.com")]))
        with patch.object(CsTicketWebForm, "_web_form_client_address", return_value="36.112.10.26"):
            self.assertEqual(self._submit(email="robot4@example.com").status_code, 303)
        self.assertEqual(len(self._web_tickets()), 8)

    def test_web_form_attachment_too_large(self):
        self.authenticate(None, None)
        too_large = b"0" * (1024 * 1024 + 1)
        response = self._submit(files={"attachments": ("视频.mp4", too_large, "video/mp4")})
        self.assertEqual(response.status_code, 400)
        self.assertIn("The file “视频.mp4” is larger than 1 MB: attach a smaller file.", response.text)
        self.assertFalse(self._web_tickets())
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "视频.mp4")]))

    def test_web_form_html_attachment_is_stored_as_text(self):
        self.authenticate(None, None)
        files = {"attachments": ("page.html", b"<script>alert(1)</script>", "text/html")}
        self.assertEqual(self._submit(files=files).status_code, 303)
        attachment = self._web_tickets().message_ids.attachment_ids
        self.assertEqual(attachment.mimetype, "text/plain")

    def test_web_form_signed_in_customer(self):
        self.authenticate("cs_portal_a", "cs_portal_a")
        form = self.url_open(f"/helpdesk/{self.team.id}/submit")
        self.assertIn('value="customer.a@example.com"', form.text, "the form is filled in for a signed-in customer")
        response = self._submit(name="Customer A", email="customer.a@example.com", phone="")
        self.assertEqual(response.status_code, 303)
        ticket = self._web_tickets()
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        thanks = self.url_open(response.headers["Location"])
        self.assertIn(f'href="/my/tickets/{ticket.id}"', thanks.text)
        self.assertEqual(self.url_open(f"/my/tickets/{ticket.id}").status_code, 200)
