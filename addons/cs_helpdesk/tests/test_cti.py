import json

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..models.cs_inbound_integration import CsInboundError
from .cti_common import CtiCase


@tagged("post_install", "-at_install")
class TestCallEvents(CtiCase):
    def test_answered_call(self):
        results = self.ingest(self.call_events("c1", caller="+86 138-0013-8000", answer=12, talk=300, hold=20))
        self.assertEqual([status for _id, status in results], ["processed"] * 3)
        call = self.call("c1")
        self.assertEqual(call.partner_id, self.customer, "found by the E.164 form of a number typed differently")
        self.assertEqual(call.team_id, self.team_a)
        self.assertEqual(call.agent_id, self.agent_a, "agent found by agent number (工号)")
        self.assertEqual((call.answer_seconds, call.talk_seconds, call.hold_seconds), (12, 280, 20))
        self.assertEqual((call.result, call.state), ("answered", "done"))
        self.assertFalse(call.ticket_id, "an answered call becomes a ticket when the agent decides it")

    def test_answered_call_ticket_fills_hotline_answer_time(self):
        self.env["cs.sla.policy"].search([("answer_seconds", "=", 0)]).active = False
        policy = self.env.ref("cs_helpdesk.sla_policy_hotline_answer")
        self.ingest(self.call_events("fast", answer=12) + self.call_events("slow", answer=45))
        fast, slow = self.call("fast"), self.call("slow")
        fast.with_user(self.agent_a).action_create_ticket()
        slow.with_user(self.agent_a).action_create_ticket()
        self.assertEqual(fast.ticket_id.answer_seconds, 12)
        self.assertEqual(fast.ticket_id.user_id, self.agent_a)
        self.assertEqual(fast.ticket_id.channel_id, self.channel_phone)
        lines = (fast | slow).ticket_id.sla_ids.filtered(lambda s: s.policy_id == policy)
        self.assertEqual(
            lines.sorted(lambda s: s.ticket_id.answer_seconds).mapped("status"),
            ["met", "failed"],
            "the 30-second target is judged on the real answer time",
        )

    def test_answered_tickets_setting(self):
        self.integration.create_answered_tickets = True
        self.ingest(self.call_events("auto", answer=8))
        ticket = self.call("auto").ticket_id
        self.assertTrue(ticket)
        self.assertEqual((ticket.answer_seconds, ticket.partner_id), (8, self.customer))

    def test_missed_call_becomes_ticket_with_callback(self):
        self.ingest(self.call_events("m1", answer=None, talk=40, reason="timeout"))
        call = self.call("m1")
        self.assertEqual(call.result, "missed")
        ticket = call.ticket_id
        self.assertEqual(
            (ticket.partner_id, ticket.team_id, ticket.channel_id), (self.customer, self.team_a, self.channel_phone)
        )
        activity = ticket.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(activity.user_id, self.leader, "unassigned ticket: the team leader calls back")
        # a late voicemail of the same call adds no second ticket or activity
        self.ingest(
            [
                {
                    "id": "m1-vm",
                    "type": "voicemail",
                    "call_id": "m1",
                    "time": self.at(60),
                    "recording_url": "https://r/x.mp3",
                }
            ]
        )
        self.assertEqual(self.env["cs.ticket"].search_count([("partner_id", "=", self.customer.id)]), 1)
        self.assertEqual(len(ticket.activity_ids), 1)

    def test_voicemail_and_abandoned(self):
        unknown = "+8613911112222"
        self.ingest(
            [
                {"id": "v-ring", "type": "ring", "call_id": "v", "time": self.at(0), "caller": unknown, "queue": "vip"},
                {"id": "v-vm", "type": "voicemail", "call_id": "v", "time": self.at(30), "recording_url": "https://r/v.mp3"},
            ]
            + self.call_events("ab", answer=None, talk=20, reason="caller")
        )  # fmt: skip
        voicemail, abandoned = self.call("v"), self.call("ab")
        self.assertEqual(voicemail.result, "voicemail")
        self.assertEqual(voicemail.recording_ids.kind, "voicemail")
        self.assertEqual(voicemail.ticket_id.team_id, self.team_b)
        self.assertEqual(voicemail.ticket_id.sudo().partner_phone, unknown, "an unknown caller's number is kept")
        self.assertTrue(voicemail.ticket_id.activity_ids)
        self.assertEqual(abandoned.result, "abandoned")
        self.assertFalse(abandoned.ticket_id, "an abandoned call is reported, not called back")

    def test_abandoned_call_called_back_when_set(self):
        self.integration.callback_abandoned = True
        self.ingest(self.call_events("ab2", answer=None, talk=20, reason="caller"))
        call = self.call("ab2")
        self.assertEqual(call.result, "abandoned")
        self.assertEqual(call.ticket_id.partner_id, self.customer)
        self.assertIn("Abandoned call", call.ticket_id.name)
        self.assertEqual(call.ticket_id.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_call"))

    def test_call_back_finds_the_open_ticket(self):
        self.env["cs.sla.policy"].search([("answer_seconds", "=", 0)]).active = False
        self.ingest(self.call_events("first", answer=None, talk=30, reason="timeout"))
        ticket = self.call("first").ticket_id
        self.assertFalse(ticket.answer_seconds)
        self.ingest(self.call_events("again", answer=9))
        again = self.call("again")
        self.assertEqual(again.ticket_id, ticket, "the customer's open call ticket is found again")
        self.assertEqual(ticket.answer_seconds, 9, "the answered call back gives the ticket its answer time")
        # once the ticket is solved, a new call starts afresh
        ticket.stage_id = self.env["cs.ticket.stage"].search([("is_resolved", "=", True)], limit=1)
        self.ingest(self.call_events("later", answer=5))
        self.assertFalse(self.call("later").ticket_id)

    def test_unknown_number_callback_by_number(self):
        number = "+8613722223333"
        self.ingest(self.call_events("u1", caller=number, answer=None, reason="timeout"))
        self.ingest(self.call_events("u2", caller=number, answer=7))
        self.assertFalse(self.call("u1").partner_id)
        self.assertEqual(self.call("u2").ticket_id, self.call("u1").ticket_id)

    def test_idempotent_events(self):
        events = self.call_events("dup", answer=10) + [
            {"id": "dup-transfer", "type": "transfer", "call_id": "dup", "time": self.at(20), "queue": "vip"}
        ]
        self.ingest(events)
        call = self.call("dup")
        before = call.read(["transfer_count", "team_id", "hangup_date", "hold_seconds"])
        results = self.ingest(events)
        self.assertEqual({status for _id, status in results}, {"duplicate"})
        self.assertEqual(call.read(["transfer_count", "team_id", "hangup_date", "hold_seconds"]), before)
        self.assertEqual(self.env["cs.call"].search_count([("external_call_id", "=", "dup")]), 1)
        self.assertEqual(call.recording_ids.mapped("url"), ["https://rec.example.com/dup.mp3"])
        # the same id twice in one batch is recorded once
        results = self.ingest([dict(events[0], id="x"), dict(events[0], id="x")])
        self.assertEqual([status for _id, status in results], ["processed", "duplicate"])

    def test_survey_and_invalid_events(self):
        self.ingest(self.call_events("s", answer=5))
        self.ingest([{"id": "s-survey", "type": "survey", "call_id": "s", "time": self.at(400), "score": 4}])
        self.assertEqual(self.call("s").survey_score, 4)
        bad_events = [
            ({"id": "b1", "type": "survey", "call_id": "s", "time": self.at(1), "score": 9}, 422),
            ({"id": "b2", "type": "dial", "call_id": "s", "time": self.at(1)}, 422),
            ({"id": "b3", "type": "ring", "call_id": "s", "time": self.at(1)}, 400),
            ({"id": "b4", "type": "answer", "call_id": "s", "time": "yesterday"}, 400),
            ({"type": "answer", "call_id": "s", "time": self.at(1)}, 400),
        ]
        for event, status in bad_events:
            with self.subTest(event=event), self.assertRaises(CsInboundError) as caught:
                with self.env.cr.savepoint():
                    self.ingest([event])
            self.assertEqual(caught.exception.status, status)
        self.assertFalse(self.env["cs.inbound.event"].search([("external_event_id", "in", ["b1", "b2", "b3"])]))

    def test_screen_pop_notifies_the_agent(self):
        self.env["bus.bus"].search([]).unlink()
        self.ingest(self.call_events("pop", answer=None, talk=5)[:1])
        self.env.cr.precommit.run()  # the bus writes its notifications when the transaction commits
        notification = self.env["bus.bus"].search([("message", "like", "cs_helpdesk/screen_pop")])
        self.assertEqual(len(notification), 1)
        self.assertEqual(json.loads(notification.channel)[1:], ["res.partner", self.agent_a.partner_id.id])
        self.assertEqual(json.loads(notification.message)["payload"], {"call_id": self.call("pop").id})


@tagged("post_install", "-at_install")
class TestCallSecurity(CtiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        events = [
            {"id": "sec-ring", "type": "ring", "call_id": "sec", "time": "2026-11-02T10:00:00+08:00",
             "caller": "+8613800138000", "queue": "after_sales", "agent": "8001"},
            {"id": "sec-hangup", "type": "hangup", "call_id": "sec", "time": "2026-11-02T10:05:00+08:00",
             "recording_url": "https://rec.example.com/sec.mp3"},
        ]  # fmt: skip
        cls.ingest(cls, events)
        cls.sec_call = cls.env["cs.call"].search([("external_call_id", "=", "sec")])
        cls.url = "https://rec.example.com/sec.mp3"

    def test_recording_for_team_agents_and_reviewers(self):
        self.assertEqual(self.sec_call.with_user(self.agent_a).recording_url, self.url)
        self.assertEqual(self.sec_call.with_user(self.reviewer).recording_url, self.url)
        rows = (
            self.env["cs.call"].with_user(self.reviewer).search_read([("id", "=", self.sec_call.id)], ["recording_url"])
        )
        self.assertEqual(rows[0]["recording_url"], self.url)

    def test_recording_hidden_from_other_teams_and_analysts(self):
        with self.assertRaises(AccessError):
            self.sec_call.with_user(self.agent_b).read(["recording_url"])
        self.assertFalse(self.env["cs.call"].with_user(self.agent_b).search([("id", "=", self.sec_call.id)]))
        self.assertFalse(self.env["cs.call.recording"].with_user(self.agent_b).search([]))
        # an analyst reads the call for the reports, never its recording (read, search_read, export)
        self.analyst.groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
        as_analyst = self.sec_call.with_user(self.analyst)
        self.assertFalse(as_analyst.read(["recording_url"])[0]["recording_url"])
        self.assertFalse(as_analyst.search_read([("id", "=", self.sec_call.id)], ["recording_url"])[0]["recording_url"])
        self.assertEqual(as_analyst.export_data(["recording_url"])["datas"], [[""]])
        with self.assertRaises(AccessError):
            self.env["cs.call.recording"].with_user(self.analyst).search([])
        with self.assertRaises(AccessError):
            as_analyst.read(["caller_number"])
        # nor when they are an agent of the team as well
        self.analyst.groups_id = [Command.link(self.env.ref("cs_helpdesk.group_agent").id)]
        self.team_a.member_ids = [Command.link(self.analyst.id)]
        self.assertFalse(self.sec_call.with_user(self.analyst).recording_url)
        self.assertFalse(self.env["cs.call.recording"].with_user(self.analyst).search([]))

    def test_agents_cannot_rewrite_calls(self):
        with self.assertRaises(AccessError):
            self.sec_call.with_user(self.agent_a).write({"result": "answered"})
        with self.assertRaises(AccessError):
            self.env["cs.call.recording"].with_user(self.agent_a).create({"call_id": self.sec_call.id, "url": "x"})

    def test_customer_card(self):
        Ticket = self.env["cs.ticket"]
        complaint = self.env["cs.ticket.type"].search([("code", "=", "complaint")], limit=1)

        def make_tickets(count):
            Ticket.create(
                [
                    {"name": f"咨询 {i}", "partner_id": self.customer.id, "team_id": self.team_a.id,
                     "type_id": complaint.id if i % 3 == 0 else False}
                    for i in range(count)
                ]
            )  # fmt: skip

        other_team = Ticket.create({"name": "VIP 组工单", "partner_id": self.customer.id, "team_id": self.team_b.id})
        make_tickets(2)
        call = self.sec_call.with_user(self.agent_a)

        def queries_of_card():
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            card = call.action_cs_customer_card()
            return self.cr.sql_log_count - start, card

        queries_of_card()  # warm the per-user caches (rules, groups)
        queries, card = queries_of_card()
        make_tickets(20)
        big_queries, big_card = queries_of_card()
        self.assertEqual(big_queries, queries, "the card costs the same whatever the customer's history")
        self.assertLessEqual(queries, 40, "cs_billing and cs_aftersales add a few grouped queries of their own")
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            call.action_cs_customer_card()
        self.assertEqual(card["customer"]["name"], "王芳")
        tickets = {s["key"]: s for s in big_card["sections"]}["tickets"]
        # 22 and the ticket of the missed call itself; another team's ticket is not counted for this agent
        self.assertEqual(tickets["count"], 23)
        self.assertEqual(len(tickets["items"]), 5)
        self.assertNotIn(other_team.id, [item["id"] for item in tickets["items"]])
        self.assertEqual({s["key"]: s for s in big_card["sections"]}["complaints"]["count"], 8)
        with self.assertRaises(AccessError):
            self.sec_call.with_user(self.agent_b).action_cs_customer_card()
