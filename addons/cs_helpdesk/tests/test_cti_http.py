import time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .cti_common import SECRET, CtiCase


@tagged("post_install", "-at_install")
class TestInboundEndpoint(HttpCase, CtiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.messages = cls.env["cs.inbound.integration"].create(
            {
                "name": "店铺与社交媒体",
                "code": "social-test",
                "kind": "messages",
                "secret": SECRET,
                "route_ids": [
                    Command.create(
                        {
                            "code": "weibo",
                            "name": "微博",
                            "team_id": cls.team_b.id,
                            "channel_id": cls.env.ref("cs_helpdesk.channel_social").id,
                        }
                    ),
                    Command.create(
                        {
                            "code": "sms",
                            "team_id": cls.team_a.id,
                            "channel_id": cls.env.ref("cs_helpdesk.channel_sms").id,
                        }
                    ),
                ],
            }
        )

    def post(self, path, body, headers):
        response = self.url_open(path, data=body, headers=headers)
        return response.status_code, response.json()

    def post_calls(self, body, **kwargs):
        raw, headers = self.signed(body, **kwargs)
        return self.post("/cs_helpdesk/inbound/switch-test/calls", raw, headers)

    def calls(self):
        return self.env["cs.call"].search_count([("integration_id", "=", self.integration.id)])

    def test_signed_events_are_recorded_once(self):
        events = self.call_events("h1", answer=10)
        status, data = self.post_calls({"events": events})
        self.assertEqual(status, 200)
        self.assertEqual([r["status"] for r in data["results"]], ["processed"] * 3)
        self.assertEqual(self.call("h1").result, "answered")
        status, data = self.post_calls(events[0])
        self.assertEqual((status, data["status"]), (200, "duplicate"), "a replayed event changes nothing")
        self.assertEqual(self.calls(), 1)

    def test_refused_requests_save_nothing(self):
        event = self.call_events("bad")[0]
        raw, headers = self.signed(event)
        cases = [
            ("unsigned", raw, {"Content-Type": "application/json"}, 401, "Unsigned"),
            ("wrong secret", *self.signed(event, secret="guess"), 401, "Invalid signature"),
            ("tampered", raw.replace(b"8001", b"8002"), headers, 401, "Invalid signature"),
            ("expired", *self.signed(event, timestamp=time.time() - 3600), 401, "Expired"),
            ("not json", *self.signed(b"{ring"), 400, "not valid JSON"),
            ("no id", *self.signed(dict(event, id="")), 400, "without id"),
        ]
        for label, body, hdrs, status, message in cases:
            with self.subTest(label):
                code, data = self.post("/cs_helpdesk/inbound/switch-test/calls", body, hdrs)
                self.assertEqual(code, status)
                self.assertEqual(data["status"], "error")
                self.assertIn(message, data["error"])
        code, _data = self.post("/cs_helpdesk/inbound/nowhere/calls", raw, headers)
        self.assertEqual(code, 404)
        # one bad event in a batch: the whole batch is refused
        batch = self.call_events("half") + [{"id": "x", "type": "survey", "call_id": "half", "time": 1, "score": 99}]
        code, data = self.post_calls({"events": batch})
        self.assertEqual(code, 422)
        self.assertIn("outside 1 to 5", data["error"])
        self.assertEqual(self.calls(), 0)
        self.assertFalse(self.env["cs.inbound.event"].search([("integration_id", "=", self.integration.id)]))

    def test_messages_become_tickets_then_conversation(self):
        first = {
            "id": "wb-1",
            "platform": "weibo",
            "kind": "private_message",
            "external_id": "pm-1001",
            "conversation_id": "dialog-77",
            "author": "@爱购物的小李",
            "text": "我的订单三天了还没发货,请帮忙查一下",
            "link": "https://weibo.com/msg/pm-1001",
        }
        raw, headers = self.signed(first)
        status, data = self.post("/cs_helpdesk/inbound/social-test/messages", raw, headers)
        self.assertEqual((status, data["status"]), (200, "processed"))
        message = self.env["cs.inbound.message"].search([("external_id", "=", "pm-1001")])
        ticket = message.ticket_id
        self.assertEqual(ticket.team_id, self.team_b)
        self.assertEqual(ticket.channel_id, self.env.ref("cs_helpdesk.channel_social"))
        self.assertEqual(ticket.partner_name, "@爱购物的小李")
        self.assertIn("三天", ticket.name)
        second = dict(first, id="wb-2", external_id="pm-1002", text="还在等回复")
        raw, headers = self.signed(second)
        self.post("/cs_helpdesk/inbound/social-test/messages", raw, headers)
        self.assertEqual(self.env["cs.inbound.message"].search([("external_id", "=", "pm-1002")]).ticket_id, ticket)
        self.assertIn("还在等回复", ticket.message_ids[0].body)
        raw, headers = self.signed(second)
        status, data = self.post("/cs_helpdesk/inbound/social-test/messages", raw, headers)
        self.assertEqual((status, data["status"]), (200, "duplicate"))
        self.assertEqual(len(ticket.message_ids.filtered(lambda m: "还在等回复" in m.body)), 1)
        # a platform without a route is refused
        raw, headers = self.signed(dict(first, id="tb-1", platform="douyin"))
        status, data = self.post("/cs_helpdesk/inbound/social-test/messages", raw, headers)
        self.assertEqual(status, 422)
        self.assertIn("douyin", data["error"])

    def test_sms_reply_finds_the_customer(self):
        body = {"id": "sms-1", "platform": "sms", "kind": "sms", "external_id": "s-1", "author": "13800138000",
                "text": "好的,明天上午在家"}  # fmt: skip
        raw, headers = self.signed(body)
        status, _data = self.post("/cs_helpdesk/inbound/social-test/messages", raw, headers)
        self.assertEqual(status, 200)
        ticket = self.env["cs.inbound.message"].search([("external_id", "=", "s-1")]).ticket_id
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.channel_id, self.env.ref("cs_helpdesk.channel_sms"))

    def test_recording_over_json_rpc(self):
        """What the web client and RPC clients get: the team's agent reads the recording, an analyst never."""
        self.post_calls({"events": self.call_events("rpc", answer=10)})
        call = self.call("rpc")

        def read_as(login):
            self.authenticate(login, login)
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw/cs.call/search_read",
                {
                    "model": "cs.call",
                    "method": "search_read",
                    "args": [[("id", "=", call.id)], ["recording_url"]],
                    "kwargs": {},
                },
            )

        self.assertEqual(read_as("cti_agent_a")[0]["recording_url"], "https://rec.example.com/rpc.mp3")
        self.assertFalse(read_as("cti_analyst")[0]["recording_url"])
        self.assertEqual(read_as("cti_agent_b"), [], "another team's agent does not see the call")
