import logging
from datetime import timedelta

from lxml import etree
from odoo import Command
from odoo.exceptions import AccessError

from .common import CsHelpdeskCase, local_dt

_logger = logging.getLogger(__name__)

# Week used by the tests (Asia/Shanghai): Fri 2025-03-07, Sat 8, Sun 9, Mon 10, Tue 11, Wed 12, Thu 13.
FRI, SAT, MON, TUE, WED, THU = 7, 8, 10, 11, 12, 13


def d(day, hour, minute=0):
    """Naive UTC of a local Shanghai time in March 2025."""
    return local_dt(2025, 3, day, hour, minute)


class TestSla(CsHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("cs_helpdesk.ir_cron_cs_ticket_sla")
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    def create_at(self, when, **values):
        with self.mock_now(when):
            return self.make_ticket(**values)

    def run_cron(self, when, batch_size=5000):
        with self.mock_now(when):
            return self.env["cs.ticket.sla"]._cron_process_sla(batch_size=batch_size)

    def reply(self, ticket, user, when, body="您好，已为您处理"):
        """A public reply of ``user`` in the chatter, as the Send message button posts it."""
        with self.mock_now(when):
            ticket.with_user(user).message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_comment")

    def set_stage(self, ticket, stage, when):
        with self.mock_now(when):
            ticket.stage_id = stage
            self.env.flush_all()

    # ------------------------------------------------------------------ deadline math
    def test_calendar_fixture(self):
        self.assertEqual(self.calendar.hours_per_day, 8)
        self.assertEqual(self.team.resource_calendar_id, self.calendar)

    def test_working_hours_friday_evening_to_monday(self):
        """Fri 17:00 + 8 working hours = 1 h on Friday + 3 h Monday morning + 4 h Monday afternoon."""
        policy = self.make_policy(time_unit="working_hours", first_response_time=8, resolution_time=7)
        ticket = self.create_at(d(FRI, 17))
        self.assertEqual(self.sla_line(ticket, policy, "first_response").deadline, d(MON, 17))
        # one hour less ends one working hour earlier, on Monday 16:00
        self.assertEqual(self.sla_line(ticket, policy, "resolution").deadline, d(MON, 16))
        self.assertEqual(ticket.sla_deadline, d(MON, 16), "the ticket shows the nearest running deadline")
        self.assertEqual(ticket.sla_status, "running")

    def test_working_hours_across_night_and_lunch(self):
        policy = self.make_policy(time_unit="working_hours", first_response_time=4, resolution_time=2)
        ticket = self.create_at(d(TUE, 16))
        # 16:00-18:00 on Tuesday, then 9:00-11:00 on Wednesday
        self.assertEqual(self.sla_line(ticket, policy, "first_response").deadline, d(WED, 11))
        ticket = self.create_at(d(WED, 11))
        # 11:00-12:00, lunch break skipped, 13:00-14:00
        self.assertEqual(self.sla_line(ticket, policy, "resolution").deadline, d(WED, 14))

    def test_working_hours_across_weekend(self):
        policy = self.make_policy(time_unit="working_hours", first_response_time=2)
        ticket = self.create_at(d(SAT, 10))
        # nothing counts on the weekend: the clock starts on Monday 9:00
        self.assertEqual(self.sla_line(ticket, policy, "first_response").deadline, d(MON, 11))

    def test_public_holiday_skipped(self):
        """A leave without resource is a public holiday: it is not working time."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "植树节 (test holiday)",
                "company_id": self.company.id,
                "calendar_id": False,
                "resource_id": False,
                "date_from": d(MON, 0),
                "date_to": d(MON, 23, 59),
            }
        )
        policy = self.make_policy(time_unit="working_hours", first_response_time=8)
        ticket = self.create_at(d(FRI, 17))
        self.assertEqual(self.sla_line(ticket, policy, "first_response").deadline, d(TUE, 17))

    def test_hours_unit_ignores_calendar(self):
        """The seeded email policy counts 24 hours round the clock, weekend included."""
        policy = self.env.ref("cs_helpdesk.sla_policy_email_reply")
        policy.active = True
        email = self.env.ref("cs_helpdesk.channel_email")
        ticket = self.create_at(d(FRI, 17), channel_id=email.id)
        line = self.sla_line(ticket, policy, "first_response")
        self.assertEqual(line.deadline, d(SAT, 17))
        self.assertEqual(len(ticket.sla_ids), 1, "only the email policy applies to an email ticket")
        # the seeded warning level fires 2 hours before the deadline
        self.assertEqual(line.next_check, d(SAT, 15))

    def test_working_days_unit(self):
        """Working days are days × the calendar's hours per day (8 h here)."""
        policy = self.make_policy(time_unit="working_days", first_response_time=1, resolution_time=2)
        ticket = self.create_at(d(FRI, 17))
        self.assertEqual(self.sla_line(ticket, policy, "first_response").deadline, d(MON, 17))
        self.assertEqual(self.sla_line(ticket, policy, "resolution").deadline, d(TUE, 17))

    def test_seeded_return_exchange_policy(self):
        policy = self.env.ref("cs_helpdesk.sla_policy_return_exchange")
        policy.active = True
        category = self.env.ref("cs_helpdesk.category_return_exchange")
        ticket = self.create_at(d(WED, 10, 30), category_id=category.id)
        self.assertEqual(self.sla_line(ticket, policy, "first_response").deadline, d(THU, 10, 30))
        other = self.create_at(d(WED, 10, 30), category_id=self.category_repair.id)
        self.assertFalse(other.sla_ids)

    def test_company_calendar_when_team_has_none(self):
        self.company.resource_calendar_id = self.calendar
        self.team.resource_calendar_id = False
        policy = self.make_policy(time_unit="working_hours", first_response_time=2)
        ticket = self.create_at(d(FRI, 17))
        self.assertEqual(self.sla_line(ticket, policy, "first_response").deadline, d(MON, 10))

    # ------------------------------------------------------------------ pause
    def test_pause_and_resume(self):
        policy = self.make_policy(
            time_unit="working_hours", first_response_time=8, pause_stage_ids=[Command.link(self.stage_waiting.id)]
        )
        ticket = self.create_at(d(MON, 10))
        line = self.sla_line(ticket, policy, "first_response")
        self.assertEqual(line.deadline, d(TUE, 10))
        self.assertEqual(line.next_check, d(TUE, 10))

        # Mon 15:00 -> waiting: 15-18 on Monday and 9-10 on Tuesday are left
        self.set_stage(ticket, self.stage_waiting, d(MON, 15))
        self.assertEqual(line.status, "paused")
        self.assertAlmostEqual(line.remaining_hours, 4.0, places=4)
        self.assertFalse(line.next_check, "a paused line is not checked by the cron")
        self.assertFalse(ticket.sla_deadline)
        self.assertEqual(ticket.sla_status, "running")

        # the cron does not fail a paused line even after its old deadline
        self.run_cron(d(WED, 10))
        self.assertEqual(line.status, "paused")

        # Wed 11:00 -> in progress: 13 working hours were paused, the 4 left end on Wed 16:00
        self.set_stage(ticket, self.stage_progress, d(WED, 11))
        self.assertEqual(line.status, "running")
        self.assertEqual(line.deadline, d(WED, 16))
        self.assertEqual(line.next_check, d(WED, 16))
        self.assertEqual(ticket.sla_deadline, d(WED, 16))

    def test_pause_keeps_whole_seconds(self):
        """Remaining time is a float of hours: the resumed deadline is rounded, never truncated a second early."""
        policy = self.make_policy(
            time_unit="working_hours", first_response_time=8, pause_stage_ids=[Command.link(self.stage_waiting.id)]
        )
        ticket = self.create_at(d(MON, 10))
        self.set_stage(ticket, self.stage_waiting, d(MON, 15) + timedelta(seconds=7))
        self.set_stage(ticket, self.stage_progress, d(WED, 11) + timedelta(seconds=1))
        line = self.sla_line(ticket, policy, "first_response")
        self.assertEqual(line.deadline, d(WED, 15, 59) + timedelta(seconds=54))

    def test_pause_hours_unit(self):
        policy = self.make_policy(
            time_unit="hours", first_response_time=24, pause_stage_ids=[Command.link(self.stage_waiting.id)]
        )
        ticket = self.create_at(d(FRI, 17))
        self.set_stage(ticket, self.stage_waiting, d(FRI, 20))
        line = self.sla_line(ticket, policy, "first_response")
        self.assertAlmostEqual(line.remaining_hours, 21.0, places=4)
        self.set_stage(ticket, self.stage_progress, d(MON, 9))
        self.assertEqual(line.deadline, d(TUE, 6))

    def test_reach_while_paused(self):
        """The clock is stopped while waiting: a reply then is in time even after the old deadline."""
        policy = self.make_policy(
            time_unit="working_hours", first_response_time=8, pause_stage_ids=[Command.link(self.stage_waiting.id)]
        )
        ticket = self.create_at(d(MON, 10))
        self.set_stage(ticket, self.stage_waiting, d(MON, 15))
        self.reply(ticket, self.agent1, d(THU, 10), "您好，已为您查询")
        line = self.sla_line(ticket, policy, "first_response")
        self.assertEqual(line.status, "met")
        self.assertEqual(line.reached_date, d(THU, 10))

    def test_pause_overdue_line_fails(self):
        """A line already past its deadline when paused is a breach, not a paused line."""
        policy = self.make_policy(
            time_unit="working_hours", first_response_time=2, pause_stage_ids=[Command.link(self.stage_waiting.id)]
        )
        ticket = self.create_at(d(MON, 10))
        self.set_stage(ticket, self.stage_waiting, d(MON, 14))  # deadline was Mon 12:00, cron not run yet
        line = self.sla_line(ticket, policy, "first_response")
        self.assertEqual(line.status, "failed")
        self.set_stage(ticket, self.stage_progress, d(MON, 15))
        self.assertEqual(line.status, "failed")
        self.assertEqual(line.deadline, d(MON, 12))
        self.assertEqual(ticket.sla_status, "failed")

    # ------------------------------------------------------------------ first response
    def test_first_response_public_reply(self):
        policy = self.make_policy(time_unit="working_hours", first_response_time=8, resolution_time=16)
        ticket = self.create_at(d(MON, 10), user_id=self.agent1.id)
        line = self.sla_line(ticket, policy, "first_response")

        with self.mock_now(d(MON, 11)):
            ticket.with_user(self.agent1).message_post(
                body="内部备注：联系仓库", message_type="comment", subtype_xmlid="mail.mt_note"
            )
            ticket.message_post(
                body="请问什么时候发货？",
                author_id=self.partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            ticket.message_post(
                body="邮件回复", author_id=self.partner.id, message_type="email", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(line.status, "running", "neither an internal note nor a customer message is a response")
        self.assertFalse(ticket.first_response_date)

        self.reply(ticket, self.agent1, d(MON, 12), "您好，包裹已发出")
        self.assertEqual(line.status, "met")
        self.assertEqual(line.reached_date, d(MON, 12))
        self.assertFalse(line.next_check)
        self.assertEqual(ticket.first_response_date, d(MON, 12))
        self.assertAlmostEqual(ticket.first_response_hours, 2.0)
        self.assertEqual(self.sla_line(ticket, policy, "resolution").status, "running", "only the response is reached")

        # a second reply changes nothing
        self.reply(ticket, self.agent2, d(TUE, 12), "补充")
        self.assertEqual(line.reached_date, d(MON, 12))

    def test_first_response_late(self):
        policy = self.make_policy(time_unit="working_hours", first_response_time=8)
        ticket = self.create_at(d(MON, 10), user_id=self.agent1.id)
        self.reply(ticket, self.agent1, d(TUE, 11), "抱歉久等")
        line = self.sla_line(ticket, policy, "first_response")
        self.assertEqual(line.status, "failed")
        self.assertEqual(line.reached_date, d(TUE, 11))
        self.assertEqual(ticket.sla_status, "failed")

    # ------------------------------------------------------------------ resolution
    def test_resolution_reached_on_resolved_stage(self):
        policy = self.make_policy(time_unit="working_hours", resolution_time=16)
        in_time = self.create_at(d(MON, 10))
        late = self.create_at(d(MON, 10))
        self.set_stage(in_time, self.stage_resolved, d(TUE, 15))
        self.set_stage(late, self.stage_closed, d(WED, 11))
        line = self.sla_line(in_time, policy, "resolution")
        self.assertEqual((line.status, line.reached_date, line.next_check), ("met", d(TUE, 15), False))
        self.assertEqual(in_time.resolved_date, d(TUE, 15))
        self.assertEqual(in_time.sla_status, "met")
        line = self.sla_line(late, policy, "resolution")
        self.assertEqual((line.status, line.reached_date), ("failed", d(WED, 11)))
        self.assertEqual(late.closed_date, d(WED, 11))

        # reopening keeps the first result and measures the second handling (二次处理) from the reopening
        self.set_stage(in_time, self.stage_progress, d(WED, 9))
        self.assertEqual(in_time.reopen_count, 1)
        self.assertEqual((in_time.previous_sla_status, in_time.previous_resolved_date), ("met", d(TUE, 15)))
        self.set_stage(in_time, self.stage_resolved, d(THU, 11))
        first, second = in_time.sla_ids.filtered(lambda s: s.kind == "resolution").sorted("cycle")
        self.assertEqual((first.cycle, first.status, first.reached_date), (0, "met", d(TUE, 15)))
        self.assertEqual((second.cycle, second.deadline), (1, d(THU, 18)), "16 working hours from Wed 9:00")
        self.assertEqual((second.status, second.reached_date), ("met", d(THU, 11)))

    # ------------------------------------------------------------------ answer (hotline)
    def test_answer_line(self):
        policy = self.make_policy(answer_seconds=30, channel_ids=[Command.link(self.channel_phone.id)])
        met, failed, limit = self.make_tickets(
            [
                {"channel_id": self.channel_phone.id, "answer_seconds": 25},
                {"channel_id": self.channel_phone.id, "answer_seconds": 45},
                {"channel_id": self.channel_phone.id, "answer_seconds": 30},
            ]
        )
        self.assertEqual(self.sla_line(met, policy, "answer").status, "met")
        self.assertEqual(self.sla_line(failed, policy, "answer").status, "failed")
        self.assertEqual(self.sla_line(limit, policy, "answer").status, "met")
        self.assertEqual((met.sla_status, failed.sla_status), ("met", "failed"))
        email = self.make_ticket(channel_id=self.channel_email.id, answer_seconds=45)
        self.assertFalse(email.sla_ids)

    def test_answer_recorded_later(self):
        """An answer time typed in after the call was logged still reaches the line."""
        policy = self.make_policy(answer_seconds=30)
        ticket = self.make_ticket(channel_id=self.channel_chat.id)
        line = self.sla_line(ticket, policy, "answer")
        self.assertFalse(line.reached_date)
        self.assertEqual(ticket.sla_status, "running", "an unanswered contact is not met yet")
        ticket.answer_seconds = 45
        self.assertEqual(line.status, "failed")
        self.assertTrue(line.reached_date)
        ticket.answer_seconds = 10
        self.assertEqual(line.status, "failed", "a reached target is not rewritten")

    # ------------------------------------------------------------------ matching
    def test_matching_criteria(self):
        other_team = self.env["cs.ticket.team"].create({"name": "Other Team", "assignment_method": "manual"})
        p_team = self.make_policy(name="team", first_response_time=1, team_ids=[Command.link(other_team.id)])
        p_type = self.make_policy(name="type", first_response_time=1, type_ids=[Command.link(self.type_complaint.id)])
        p_channel = self.make_policy(
            name="channel", first_response_time=1, channel_ids=[Command.link(self.channel_chat.id)]
        )
        p_priority = self.make_policy(name="priority", first_response_time=1, priority="2")
        p_category = self.make_policy(
            name="category", first_response_time=1, category_ids=[Command.link(self.category_repair.id)]
        )
        p_tag = self.make_policy(
            name="vip", first_response_time=1, partner_category_ids=[Command.link(self.vip_tag.id)]
        )
        p_all = self.make_policy(name="all", first_response_time=1)
        p_combined = self.make_policy(
            name="urgent vip complaint",
            first_response_time=1,
            type_ids=[Command.link(self.type_complaint.id)],
            priority="3",
            partner_category_ids=[Command.link(self.vip_tag.id)],
        )
        vip_company = self.env["res.partner"].create(
            {"name": "VIP 公司", "is_company": True, "category_id": [Command.link(self.vip_tag.id)]}
        )
        vip_contact = self.env["res.partner"].create(
            {"name": "VIP 公司联系人", "parent_id": vip_company.id, "email": "contact@vip.example.com"}
        )
        cases = [
            ({}, p_all),
            ({"team_id": other_team.id}, p_all | p_team),
            ({"type_id": self.type_complaint.id}, p_all | p_type),
            ({"type_id": self.type_question.id}, p_all),
            ({"channel_id": self.channel_chat.id}, p_all | p_channel),
            ({"channel_id": self.channel_email.id}, p_all),
            ({"priority": "1"}, p_all),
            ({"priority": "2"}, p_all | p_priority),
            ({"priority": "3"}, p_all | p_priority),
            ({"category_id": self.category_repair.id}, p_all | p_category),
            ({"category_id": self.category_return.id}, p_all),
            ({"partner_id": self.vip_partner.id}, p_all | p_tag),
            ({"partner_id": vip_contact.id}, p_all | p_tag),
            (
                {"partner_id": self.vip_partner.id, "type_id": self.type_complaint.id, "priority": "3"},
                p_all | p_tag | p_type | p_priority | p_combined,
            ),
            (
                {"partner_id": self.vip_partner.id, "type_id": self.type_complaint.id, "priority": "2"},
                p_all | p_tag | p_type | p_priority,
            ),
        ]
        tickets = self.make_tickets([values for values, __ in cases])
        for ticket, (values, expected) in zip(tickets, cases, strict=True):
            self.assertEqual(ticket.sla_ids.policy_id, expected, f"policies for {values}")

    def test_change_channel_updates_lines(self):
        p_email = self.make_policy(
            name="email", time_unit="hours", first_response_time=24, channel_ids=[Command.link(self.channel_email.id)]
        )
        p_chat = self.make_policy(
            name="chat", answer_seconds=30, first_response_time=1, channel_ids=[Command.link(self.channel_chat.id)]
        )
        p_email_resolution = self.make_policy(
            name="email resolution", resolution_time=1, channel_ids=[Command.link(self.channel_email.id)]
        )
        ticket = self.create_at(d(MON, 10), channel_id=self.channel_email.id)
        self.assertEqual(ticket.sla_ids.policy_id, p_email | p_email_resolution)
        # the resolution target fails at 11:00: a breach is history, changing the channel does not erase it
        self.run_cron(d(MON, 12))
        self.assertEqual(self.sla_line(ticket, p_email_resolution, "resolution").status, "failed")

        with self.mock_now(d(MON, 13)):
            ticket.channel_id = self.channel_chat
        self.assertEqual(ticket.sla_ids.policy_id, p_chat | p_email_resolution)
        self.assertEqual(
            set(ticket.sla_ids.filtered(lambda s: s.policy_id == p_chat).mapped("kind")), {"first_response", "answer"}
        )
        # the new line counts from the change (13:00 + 1 working hour), not from the ticket's creation
        self.assertEqual(self.sla_line(ticket, p_chat, "first_response").deadline, d(MON, 14))

        # a reached line is kept when the ticket changes again, an unreached one is dropped
        ticket.answer_seconds = 20
        ticket.channel_id = self.channel_phone
        self.assertEqual(ticket.sla_ids.policy_id, p_chat | p_email_resolution)
        self.assertEqual(ticket.sla_ids.filtered(lambda s: s.policy_id == p_chat).kind, "answer")

    def test_kind_no_longer_applicable_dropped(self):
        """A policy that still matches drops its answer line when the ticket is no longer a live contact."""
        policy = self.make_policy(answer_seconds=30, first_response_time=4)
        ticket = self.make_ticket(channel_id=self.channel_phone.id)
        self.assertEqual(set(ticket.sla_ids.mapped("kind")), {"answer", "first_response"})
        ticket.channel_id = self.channel_email
        self.assertEqual(ticket.sla_ids.mapped("kind"), ["first_response"])
        self.assertEqual(ticket.sla_ids.policy_id, policy)

    def test_raise_priority_adds_policy(self):
        p_urgent = self.make_policy(name="urgent", first_response_time=2, priority="3")
        ticket = self.create_at(d(MON, 10))
        self.assertFalse(ticket.sla_ids)
        ticket.priority = "3"
        self.assertEqual(ticket.sla_ids.policy_id, p_urgent)

    def test_new_line_on_paused_ticket_starts_paused(self):
        policy = self.make_policy(
            name="complaint",
            first_response_time=8,
            type_ids=[Command.link(self.type_complaint.id)],
            pause_stage_ids=[Command.link(self.stage_waiting.id)],
        )
        ticket = self.create_at(d(MON, 10))
        self.set_stage(ticket, self.stage_waiting, d(MON, 11))
        with self.mock_now(d(MON, 12)):
            ticket.type_id = self.type_complaint
        line = self.sla_line(ticket, policy, "first_response")
        self.assertEqual(line.status, "paused")
        self.assertFalse(line.next_check)

    # ------------------------------------------------------------------ escalation cron
    def _escalation_policy(self):
        policy = self.make_policy(time_unit="working_hours", first_response_time=8)
        self.env["cs.sla.escalation"].create(
            [
                {
                    "policy_id": policy.id,
                    "level": "1",
                    "trigger": "before",
                    "offset_hours": 2,
                    "responsible": "assignee",
                    "action_notify": True,
                    "activity_type_id": self.todo.id,
                },
                {
                    "policy_id": policy.id,
                    "level": "3",
                    "trigger": "after",
                    "offset_hours": 0,
                    "responsible": "leader",
                    "action_notify": True,
                    "action_reassign": True,
                    "action_raise_priority": True,
                },
            ]
        )
        return policy

    def _inbox(self, user):
        return self.env["mail.notification"].search(
            [("res_partner_id", "=", user.partner_id.id), ("notification_type", "=", "inbox")]
        )

    def test_escalation_warning_then_breach(self):
        policy = self._escalation_policy()
        ticket = self.create_at(d(MON, 10), user_id=self.agent1.id, priority="1")
        line = self.sla_line(ticket, policy, "first_response")
        self.assertEqual(line.deadline, d(TUE, 10))
        self.assertEqual(line.next_check, d(TUE, 8), "the warning is due 2 hours before the deadline")

        messages = ticket.message_ids
        self.assertEqual(self.run_cron(d(TUE, 7)), 0)
        self.assertFalse(line.escalation_level)

        # warning (L1): logged, activity and inbox digest for the assignee
        self.run_cron(d(TUE, 8, 30))
        self.assertEqual(line.escalation_level, "1")
        self.assertEqual(line.status, "running")
        self.assertEqual(line.next_check, d(TUE, 10))
        logged = ticket.message_ids - messages
        self.assertEqual(len(logged), 1)
        self.assertIn("L1", logged.body)
        self.assertIn("10:00", logged.body, "the deadline is shown in the team's time zone")
        activity = ticket.activity_ids
        self.assertEqual((activity.user_id, activity.activity_type_id), (self.agent1, self.todo))
        digest = self._inbox(self.agent1).mail_message_id
        self.assertEqual(len(digest), 1)
        self.assertIn(ticket.display_name, digest.body)
        self.assertEqual((ticket.user_id, ticket.priority), (self.agent1, "1"), "a warning changes nothing else")

        # fires once
        self.run_cron(d(TUE, 9))
        self.assertEqual(len(ticket.message_ids - messages), 1)
        self.assertEqual(len(ticket.activity_ids), 1)

        # breach (L3): failed, priority + 1, reassigned to the leader who is notified
        self.run_cron(d(TUE, 10, 1))
        self.assertEqual(line.status, "failed")
        self.assertEqual(ticket.sla_status, "failed")
        self.assertEqual(line.escalation_level, "3")
        self.assertFalse(line.next_check, "nothing left to do on this line")
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(ticket.user_id, self.leader)
        # the leader follows the team: the breach (SLA Failed) reaches them besides the escalation digest
        leader_inbox = self._inbox(self.leader).mail_message_id
        self.assertEqual(len(leader_inbox), 2)
        failed = leader_inbox.filtered(lambda m: m.subtype_id == self.env.ref("cs_helpdesk.mt_ticket_sla_failed"))
        self.assertEqual((failed.model, failed.res_id), ("cs.ticket", ticket.id))
        self.assertEqual(len(ticket.message_ids - messages), 2, "breach and escalation share one message")

        # nothing fires twice
        self.run_cron(d(WED, 10))
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(len(ticket.message_ids - messages), 2)
        self.assertEqual(len(self._inbox(self.leader)), 2)

    def test_escalation_skipped_when_met(self):
        policy = self._escalation_policy()
        ticket = self.create_at(d(MON, 10), user_id=self.agent1.id)
        self.reply(ticket, self.agent1, d(MON, 11), "已处理")
        line = self.sla_line(ticket, policy, "first_response")
        self.assertFalse(line.next_check)
        self.run_cron(d(WED, 10))
        self.assertEqual((line.status, line.escalation_level), ("met", False))
        self.assertFalse(ticket.activity_ids)

    def test_resolved_without_reply_stops_the_clock(self):
        """Resolving without answering is not a first response (not met), yet no escalation fires any more."""
        policy = self._escalation_policy()
        ticket = self.create_at(d(MON, 10), user_id=self.agent1.id, priority="1")
        self.set_stage(ticket, self.stage_resolved, d(MON, 15))
        line = self.sla_line(ticket, policy, "first_response")
        self.assertEqual((line.status, line.reached_date, line.next_check), ("failed", d(MON, 15), False))
        self.run_cron(d(WED, 10))
        self.assertEqual((ticket.priority, ticket.user_id, line.escalation_level), ("1", self.agent1, False))
        self.assertFalse(ticket.activity_ids)

    def test_archived_ticket_waits(self):
        policy = self._escalation_policy()
        ticket = self.create_at(d(MON, 10), user_id=self.agent1.id)
        line = self.sla_line(ticket, policy, "first_response")
        ticket.active = False
        self.assertEqual(self.run_cron(d(WED, 10)), 0)
        self.assertEqual((line.status, line.escalation_level), ("running", False))
        ticket.active = True
        self.assertEqual(self.run_cron(d(WED, 10)), 1)
        self.assertEqual((line.status, line.escalation_level), ("failed", "3"))

    def test_query_count_stage_change(self):
        """Moving a batch of tickets in and out of a pausing stage costs the queries of one ticket."""
        policy = self.make_policy(
            time_unit="working_hours", first_response_time=8, pause_stage_ids=[Command.link(self.stage_waiting.id)]
        )
        with self.mock_now(d(MON, 10)):
            warm_up = self.make_ticket()
            one = self.make_ticket()
            fifty = self.make_tickets([{} for __ in range(50)])
        counts = {}
        for name, tickets in (("warm-up", warm_up), ("one", one), ("fifty", fifty)):
            Tickets = tickets.with_user(self.agent1)
            with self.mock_now(d(MON, 15)):
                pause = self._count_queries(lambda t=Tickets: t.write({"stage_id": self.stage_waiting.id}))
            with self.mock_now(d(WED, 11)):
                resume = self._count_queries(lambda t=Tickets: t.write({"stage_id": self.stage_progress.id}))
            counts[name] = (pause, resume)
        _logger.info("stage change (pause, resume): 1 ticket %s, 50 tickets %s", counts["one"], counts["fifty"])
        self.assertEqual(set(fifty.sla_ids.mapped("deadline")), {d(WED, 16)})
        self.assertEqual(self.sla_line(one, policy, "first_response").deadline, d(WED, 16))
        self.assertLessEqual(counts["fifty"][0], counts["one"][0] + 2)
        self.assertLessEqual(counts["fifty"][1], counts["one"][1] + 2)

    def test_escalation_raise_priority_once_per_ticket(self):
        """Each ticket goes up exactly one priority step, whatever the mix in the batch."""
        self._escalation_policy()
        tickets = self.env["cs.ticket"]
        for priority in ("0", "1", "2", "3"):
            tickets |= self.create_at(d(MON, 10), priority=priority)
        self.run_cron(d(WED, 10))
        self.assertEqual(tickets.mapped("priority"), ["1", "2", "3", "3"])
        self.assertEqual(set(tickets.mapped("sla_status")), {"failed"})

    def test_escalation_specific_user_and_no_assignee(self):
        manager_policy = self.make_policy(time_unit="hours", first_response_time=1)
        self.env["cs.sla.escalation"].create(
            {
                "policy_id": manager_policy.id,
                "level": "4",
                "trigger": "after",
                "offset_hours": 1,
                "responsible": "user",
                "user_id": self.manager.id,
                "activity_type_id": self.todo.id,
            }
        )
        ticket = self.create_at(d(MON, 10))
        line = self.sla_line(ticket, manager_policy, "first_response")
        self.run_cron(d(MON, 11, 30))
        self.assertEqual((line.status, line.escalation_level, line.next_check), ("failed", False, d(MON, 12)))
        self.run_cron(d(MON, 12))
        self.assertEqual(line.escalation_level, "4")
        self.assertEqual(ticket.activity_ids.user_id, self.manager)
        self.assertFalse(ticket.user_id, "the level does not reassign")
        self.assertFalse(line.next_check)

    def test_cron_batches_and_retriggers(self):
        self._escalation_policy()
        with self.mock_now(d(MON, 10)):
            tickets = self.make_tickets([{"user_id": self.agent1.id} for __ in range(5)])
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search([("cron_id", "=", self.cron.id)])
        self.assertEqual(self.run_cron(d(WED, 10), batch_size=2), 2)
        new_triggers = Trigger.search([("cron_id", "=", self.cron.id)]) - triggers
        self.assertEqual(len(new_triggers), 1, "a full batch re-triggers the cron")
        self.assertEqual(tickets.sla_ids.mapped("status").count("failed"), 2)
        self.assertEqual(self.run_cron(d(WED, 10), batch_size=2), 2)
        self.assertEqual(self.run_cron(d(WED, 10), batch_size=2), 1)
        self.assertEqual(len(Trigger.search([("cron_id", "=", self.cron.id)]) - triggers), 2, "the last batch stops")
        self.assertEqual(set(tickets.sla_ids.mapped("status")), {"failed"})
        self.assertFalse(any(tickets.sla_ids.mapped("next_check")))
        self.assertEqual(self.run_cron(d(WED, 10), batch_size=2), 0)

    def test_cron_reports_progress(self):
        self._escalation_policy()
        with self.mock_now(d(MON, 10)):
            self.make_tickets([{} for __ in range(3)])
        progress = self.env["ir.cron.progress"].create({"cron_id": self.cron.id})
        with self.mock_now(d(WED, 10)):
            self.env["cs.ticket.sla"].with_context(ir_cron_progress_id=progress.id)._cron_process_sla(batch_size=2)
        self.assertEqual((progress.done, progress.remaining), (2, 1))

    # ------------------------------------------------------------------ access
    def test_agent_reads_sla_but_cannot_write(self):
        policy = self.make_policy(first_response_time=2)
        ticket = self.make_tickets([{"user_id": self.agent1.id}], user=self.agent1)
        line = self.sla_line(ticket, policy, "first_response")
        self.assertTrue(line.with_user(self.agent1).deadline)
        with self.assertRaises(AccessError):
            line.with_user(self.agent1).write({"status": "met"})

    # ------------------------------------------------------------------ performance
    def _count_queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _batch_create_setup(self, count):
        """Balanced team, a policy with escalations for every ticket, one for complaints; ``count`` customers."""
        self.team.assignment_method = "balanced"
        self._escalation_policy()
        self.make_policy(name="complaints", resolution_time=16, type_ids=[Command.link(self.type_complaint.id)])
        return self.env["res.partner"].create(
            [{"name": f"客户 {index}", "email": f"customer{index}@example.com"} for index in range(count)]
        )

    def _create_batch(self, partners):
        Ticket = self.env["cs.ticket"].with_user(self.agent1).with_context(mail_create_nolog=False, mail_notrack=False)
        vals_list = [
            {
                "name": f"订单 {partner.id} 未发货",
                "partner_id": partner.id,
                "team_id": self.team.id,
                "type_id": self.type_complaint.id,
                "channel_id": self.channel_email.id,
            }
            for partner in partners
        ]
        tickets = self.env["cs.ticket"]

        def create():
            nonlocal tickets
            tickets = Ticket.create(vals_list)

        return self._count_queries(create), tickets

    def test_query_count_batch_create(self):
        """Creating 100 tickets in one batch costs one query per extra ticket: its number.

        Measured: 1 ticket 52-57 queries, 100 tickets 154. The only per-ticket query is the ``nextval`` of
        the ticket number (a standard ``ir.sequence``); the sequence lookup, the customers' follower
        subscriptions, assignment and SLA lines are batched. Every customer differs, as in a mail
        gateway or import batch. The guard allows that one query per ticket plus a small constant.
        """
        partners = self._batch_create_setup(101)
        self._create_batch(partners[0])  # warm the caches (ir.model, sequence, policies' metadata)
        one, ticket = self._create_batch(partners[0])
        hundred, tickets = self._create_batch(partners[1:])
        _logger.info("cs.ticket create: 1 ticket %s queries, 100 tickets %s queries", one, hundred)
        self.assertEqual(len(tickets.sla_ids), 200, "fixture: each ticket has a response and a resolution line")
        self.assertEqual(len(tickets.user_id), 3, "fixture: tickets are spread over the members")
        self.assertEqual(len(set(tickets.mapped("number"))), 100, "each ticket has its own number")
        self.assertEqual(tickets.message_partner_ids & partners[1:], partners[1:], "each customer follows")
        self.assertLessEqual(hundred, one + 99 + 10)

    def test_query_count_sla_and_assignment_constant(self):
        """Assignment and SLA lines of a batch cost the same number of queries for 1 or 100 tickets.

        Measured: 31 queries for 1 ticket, 39 for 100. The growth depends on the team, not on the batch:
        each member who receives tickets costs one write of ``user_id`` (UPDATE, then the assignee is
        subscribed as follower: partner read + 2 INSERT), i.e. 4 queries per additional member.
        """
        partners = self.env["res.partner"].create(
            [{"name": f"客户 {index}", "email": f"customer{index}@example.com"} for index in range(101)]
        )
        one = self.make_tickets([{"partner_id": partners[0].id}])
        hundred = self.make_tickets([{"partner_id": partner.id} for partner in partners[1:]])
        self.assertFalse((one | hundred).sla_ids or (one | hundred).user_id, "fixture: manual team, no policy")
        self._batch_create_setup(0)
        self.make_policy(name="vip", first_response_time=2, partner_category_ids=[Command.link(self.vip_tag.id)])

        def engine(tickets):
            return lambda: (tickets._auto_assign(), tickets._sla_apply())

        self._count_queries(engine(self.make_ticket()))  # warm-up
        count_one = self._count_queries(engine(one))
        count_hundred = self._count_queries(engine(hundred))
        _logger.info("assignment + SLA: 1 ticket %s queries, 100 tickets %s queries", count_one, count_hundred)
        self.assertEqual(len(hundred.sla_ids), 100)
        self.assertEqual(len(hundred.user_id), 3)
        self.assertLessEqual(count_hundred, count_one + 4 * (len(hundred.user_id) - 1))

    def test_query_count_list_view(self):
        """The ticket list (fields of the list view) reads 80 rows with the queries of 20."""
        partners = self.env["res.partner"].create(
            [{"name": f"客户 {index}", "email": f"customer{index}@example.com"} for index in range(100)]
        )
        self.make_policy(time_unit="hours", first_response_time=4)
        stages = self.stage_new | self.stage_progress | self.stage_waiting
        tickets = self.make_tickets(
            [
                {
                    "partner_id": partner.id,
                    "user_id": self.agents[index % 3].id,
                    "type_id": (self.type_complaint | self.type_question)[index % 2].id,
                    "channel_id": (self.channel_email | self.channel_phone)[index % 2].id,
                }
                for index, partner in enumerate(partners)
            ]
        )
        for index, stage in enumerate(stages):
            tickets[index::3].write({"stage_id": stage.id})
        Ticket = self.env["cs.ticket"].with_user(self.agent1)
        arch = Ticket.get_views([(False, "list")])["views"]["list"]["arch"]
        spec = {}
        for node in etree.fromstring(arch).iter("field"):
            if node.get("optional") == "hide":
                continue  # hidden columns are not read until shown
            field = Ticket._fields[node.get("name")]
            spec[field.name] = {"fields": {"display_name": {}}} if field.type == "many2one" else {}
        self.assertIn("sla_deadline", spec)
        domain = [("team_id", "=", self.team.id)]

        def read(limit):
            return lambda: Ticket.web_search_read(domain, spec, limit=limit)

        self._count_queries(read(80))  # warm-up
        count_20 = self._count_queries(read(20))
        count_80 = self._count_queries(read(80))
        _logger.info("list view: 20 rows %s queries, 80 rows %s queries", count_20, count_80)
        self.assertEqual(len(Ticket.web_search_read(domain, spec, limit=80)["records"]), 80)
        self.assertEqual(count_80, count_20)
