import json
from unittest.mock import patch

from odoo import http
from odoo.addons.cs_helpdesk.controllers.web_form import CsTicketWebForm, recent_submissions
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import config, mute_logger


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    """Customer portal (/my/tickets) and public web form (/helpdesk/<team>/submit), as real users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("cs_helpdesk.web_form_rate_limit", 3)
        cls.env["ir.config_parameter"].set_param("cs_helpdesk.max_attachment_mb", 1)
        Team = cls.env["cs.ticket.team"].with_context(tracking_disable=True)
        cls.team = Team.create({"name": "售后服务组", "assignment_method": "manual", "web_form_published": True})
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
    def _post(self, url, data=None, files=None, headers=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, files=files, allow_redirects=False, headers=headers)

    def _submit(self, files=None, team=None, headers=None, **values):
        data = {
            "name": "王小明",
            "email": "xiaoming@example.com",
            "phone": "+86 138 0013 8000",
            "subject": "退货申请",
            "description": "收到的商品有破损。\n订单号 E20241112001",
        }
        data.update(values)
        return self._post(f"/helpdesk/{(team or self.team).id}/submit", data, files=files, headers=headers)

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

    def test_portal_customer_reads_no_internal_field_over_rpc(self):
        """The probe of issue 8: a customer's own complaint, read over JSON-RPC with internal fields."""
        self.ticket_a.write(
            {
                "type_id": self.env.ref("cs_helpdesk.type_complaint").id,
                "complaint_severity": "normal",
                "complaint_defect_description": "客服未按时回复",
                "complaint_compensation": 50,
            }
        )
        self.authenticate("cs_portal_a", "cs_portal_a")

        def call(method, *args, **kwargs):
            params = {"model": "cs.ticket", "method": method, "args": list(args), "kwargs": kwargs}
            return self.make_jsonrpc_request("/web/dataset/call_kw", params)

        internal = [
            "complaint_defect_description",
            "complaint_user_ids",
            "complaint_compensation",
            "complaint_refusal_reason",
            "complaint_escalation_level",
            "complaint_approval_state",
            "sla_ids",
            "sla_status",
            "lead_id",
            "followup_ids",
            "email_cc",
            "reopen_count",
            "duration_tracking",
        ]
        with mute_logger("odoo.http"):
            for field in internal:
                with self.assertRaises(JsonRpcException, msg=field) as caught:
                    call("read", [self.ticket_a.id], [field])
                self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError", field)
            with self.assertRaises(JsonRpcException):
                specification = {"name": {}, "sla_ids": {"fields": {"status": {}}}}
                call("web_read", [self.ticket_a.id], specification=specification)
            with self.assertRaises(JsonRpcException):
                call("search_read", [("complaint_compensation", ">", 0)], fields=["name"])
        everything = call("search_read", [("id", "=", self.ticket_a.id)])[0]
        self.assertEqual(everything["name"], "我的包裹五天还没到")
        self.assertFalse(set(everything) & set(internal), "reading every field gives the public ones only")
        self.assertFalse(set(call("fields_get")) & set(internal))
        values = call("web_read", [self.ticket_a.id], specification={"number": {}, "stage_id": {"fields": {}}})
        self.assertEqual(values[0]["number"], self.ticket_a.number)
        # the pages built from these fields still work
        self.assertEqual(self.url_open(f"/my/tickets/{self.ticket_a.id}").status_code, 200)
        self.assertEqual(self.url_open("/my/tickets").status_code, 200)

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
        self.team.web_form_published = False
        self.assertEqual(self.url_open(f"/helpdesk/{self.team.id}/submit").status_code, 404, "not published")
        self.assertEqual(self._submit().status_code, 404)
        self.assertFalse(self._web_tickets())
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

        # the same email again: a form proves nobody's identity, the request waits for an agent to confirm it
        self._submit(subject="第二个问题")
        second = self._web_tickets() - ticket
        self.assertEqual(len(second), 1)
        self.assertFalse(second.partner_id)
        self.assertEqual((second.email_from, second.partner_name), ("xiaoming@example.com", "王小明"))
        self.assertEqual(self.env["res.partner"].search_count([("email", "=", "xiaoming@example.com")]), 1)
        second.with_user(self.env.ref("base.user_admin")).action_cs_link_customer()
        self.assertEqual(second.partner_id, customer, "confirmed: linked to the customer, not duplicated")

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
        with patch.object(CsTicketWebForm, "_web_form_client_address", return_value="36.112.10.30"):
            self.assertEqual(self._submit(email="other@example.com").status_code, 303)

    def test_web_form_rate_limit_per_client_address(self):
        """A robot changing its email at each request is stopped by its address, loopback included."""
        self.authenticate(None, None)
        for index in range(3):
            self.assertEqual(self._submit(email=f"robot{index}@example.com").status_code, 303)
        response = self._submit(email="robot3@example.com")
        self.assertEqual(response.status_code, 429)
        self.assertFalse(self.env["res.partner"].search([("email", "=", "robot3@example.com")]))
        self.assertEqual(len(self._web_tickets()), 3)

    def test_web_form_rate_limit_behind_a_proxy(self):
        """With proxy_mode, each forwarded client has its own count; without it, the proxy's
        address is shared by every customer and is not counted (the per-email limit remains)."""
        self.authenticate(None, None)
        host = f"127.0.0.1:{config['http_port']}"

        def forwarded(address):
            return {"X-Forwarded-For": address, "X-Forwarded-Host": host, "X-Forwarded-Proto": "http"}

        with patch.dict(config.options, {"proxy_mode": True}):
            for index in range(3):
                response = self._submit(email=f"robot{index}@example.com", headers=forwarded("36.112.10.25"))
                self.assertEqual(response.status_code, 303)
            response = self._submit(email="robot3@example.com", headers=forwarded("36.112.10.25"))
            self.assertEqual(response.status_code, 429)
            response = self._submit(email="customer@example.com", headers=forwarded("36.112.10.26"))
            self.assertEqual(response.status_code, 303, "another client behind the same proxy")
        recent_submissions.clear()
        with (
            patch.dict(config.options, {"proxy_mode": False}),
            mute_logger("odoo.addons.cs_helpdesk.controllers.web_form"),
        ):
            for index in range(4):
                response = self._submit(email=f"proxied{index}@example.com", headers=forwarded("36.112.10.27"))
                self.assertEqual(response.status_code, 303)
        self.assertEqual(len(self._web_tickets()), 8)

    def test_web_form_rate_limit_before_files_are_read(self):
        self.env["ir.config_parameter"].set_param("cs_helpdesk.web_form_rate_limit", 1)
        self.authenticate(None, None)
        self.assertEqual(self._submit().status_code, 303)
        files = {"attachments": ("a.txt", b"x" * 1000, "text/plain")}
        with patch.object(CsTicketWebForm, "_web_form_read_attachments", autospec=True) as read:
            self.assertEqual(self._submit(subject="again", files=files).status_code, 429)
        read.assert_not_called()

    def test_web_form_file_count_and_total_size(self):
        self.env["ir.config_parameter"].set_param("cs_helpdesk.web_form_max_files", 2)
        self.env["ir.config_parameter"].set_param("cs_helpdesk.web_form_max_total_mb", 1)
        self.authenticate(None, None)
        three = [("attachments", (f"{n}.txt", b"x", "text/plain")) for n in range(3)]
        response = self._submit(files=three)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Attach at most 2 files to a request.", response.text)
        half = b"x" * (600 * 1024)
        two_halves = [("attachments", (f"{n}.bin", half, "application/octet-stream")) for n in range(2)]
        response = self._submit(files=two_halves)
        self.assertEqual(response.status_code, 400)
        self.assertIn("The files of a request cannot exceed 1 MB in total.", response.text)
        self.assertFalse(self._web_tickets())
        # a request body beyond the total and the form's room is refused before it is parsed
        huge = [("attachments", ("huge.bin", b"x" * (3 * 1024 * 1024), "application/octet-stream"))]
        self.assertEqual(self._submit(files=huge).status_code, 413)
        self.assertFalse(self._web_tickets())
        self.assertEqual(self._submit(files=two_halves[:1]).status_code, 303)

    def test_web_form_existing_customer_email_not_attached(self):
        """A visitor giving a customer's email neither joins their account nor shows in their portal."""
        self.authenticate(None, None)
        self.assertEqual(self._submit(email="customer.a@example.com", subject="冒名请求").status_code, 303)
        ticket = self._web_tickets()
        self.assertFalse(ticket.partner_id)
        self.assertNotIn(self.portal_a.partner_id, ticket.message_partner_ids)
        self.assertFalse(ticket.message_ids.author_id & self.portal_a.partner_id)
        self.assertEqual(ticket.email_from, "customer.a@example.com")
        self.assertFalse(ticket.with_user(self.portal_a).search([("id", "=", ticket.id)]), "not in their portal")
        # an agent who checked the sender confirms the customer
        agent = new_test_user(self.env, "cs_web_agent", groups="cs_helpdesk.group_agent")
        self.team.member_ids = [(4, agent.id)]
        ticket.with_user(agent).action_cs_link_customer()
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)

    def test_web_form_never_matches_internal_users(self):
        employee = new_test_user(self.env, "cs_web_employee", groups="base.group_user", email="staff@example.com")
        self.authenticate(None, None)
        self.assertEqual(self._submit(email="staff@example.com").status_code, 303)
        ticket = self._web_tickets()
        self.assertFalse(ticket.partner_id)
        ticket.action_cs_link_customer()
        self.assertTrue(ticket.partner_id)
        self.assertNotEqual(ticket.partner_id, employee.partner_id, "a new contact, never the employee's")
        self.assertEqual(ticket.partner_id.email, "staff@example.com")

    def test_web_form_signed_in_customer_phone_in_another_format(self):
        self.portal_a.partner_id.phone = "(+86) 139-0000-1111"
        self.authenticate("cs_portal_a", "cs_portal_a")
        form = self.url_open(f"/helpdesk/{self.team.id}/submit")
        self.assertIn('value="+86 139 0000 1111"', form.text, "the stored number, normalised")
        for phone in ("+86 139 0000 1111", "(+86) 139-0000-1111"):
            response = self._submit(name="Customer A", email="customer.a@example.com", phone=phone, subject=phone)
            self.assertEqual(response.status_code, 303, response.text[:1000])
        tickets = self._web_tickets()
        self.assertEqual(len(tickets), 2)
        self.assertEqual(set(tickets.mapped("partner_phone")), {"+86 139 0000 1111"})
        self.assertEqual(tickets.partner_id, self.portal_a.partner_id)
        response = self._submit(name="Customer A", email="customer.a@example.com", phone="call me")
        self.assertEqual(response.status_code, 400, "what was typed is still validated")

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
