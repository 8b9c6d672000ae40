from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .complaint_common import CsComplaintCase

MONDAY = datetime(2024, 6, 17, 2, 0)  # 10:00 in Shanghai


@tagged("post_install", "-at_install")
class TestFollowup(CsComplaintCase):
    def resolve(self, ticket, when=MONDAY):
        with self.mock_now(when):
            ticket.with_user(self.agent1).stage_id = self.stage_resolved

    def planned(self, ticket):
        return ticket.followup_ids.filtered(lambda v: v.state == "planned")

    # ------------------------------------------------------------------ planning
    def test_followup_created_per_team_setting(self):
        ticket = self.make_ticket(type_id=self.type_question.id, user_id=self.agent2.id)
        self.resolve(ticket)
        self.assertFalse(ticket.followup_ids, "the team does not visit resolved tickets again")

        self.team.followup_on_resolve = True
        self.team.followup_method = "sms"
        other = self.make_ticket(type_id=self.type_question.id, user_id=self.agent2.id)
        self.resolve(other)
        visit = other.followup_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.source, "ticket")
        self.assertEqual(visit.user_id, self.agent2, "the agent who handled the ticket visits the customer")
        self.assertEqual(visit.partner_id, self.partner)
        self.assertEqual(visit.method, "sms")
        self.assertEqual(visit.date_planned, MONDAY + timedelta(days=2), "the team plans visits 2 days later")
        self.assertEqual(other.followup_status, "planned")

        # a second resolution after a reopening does not plan a second visit
        other.with_user(self.agent1).action_reopen()
        self.resolve(other, MONDAY + timedelta(days=1))
        self.assertEqual(len(other.followup_ids), 1)
        self.assertEqual(other.followup_ids.date_planned, MONDAY + timedelta(days=3), "moved after the new resolution")

    def test_complaint_always_gets_a_followup(self):
        self.assertFalse(self.team.followup_on_resolve)
        with self.mock_now(MONDAY):
            ticket = self.complaint_to_return_visit()
        self.assertEqual(len(ticket.followup_ids), 1)
        self.assertEqual(ticket.followup_ids.source, "complaint")

    # ------------------------------------------------------------------ results
    def test_unsatisfied_followup_reopens_ticket_and_plans_next(self):
        with self.mock_now(MONDAY):
            ticket = self.complaint_to_return_visit()
        visit = ticket.followup_ids
        with self.assertRaises(UserError):
            visit.with_user(self.agent1).action_unsatisfied()  # the evaluation says why
        self.assertEqual(visit.state, "planned")

        later = MONDAY + timedelta(days=2)
        visit.with_user(self.agent1).evaluation = "补发的包裹也破损了，不满意。"
        with self.mock_now(later):
            visit.with_user(self.agent1).action_unsatisfied()
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.result, "unsatisfied")
        self.assertFalse(ticket.is_resolved, "二次处理: the ticket is reopened")
        self.assertEqual(ticket.reopen_count, 1)
        self.assertEqual(ticket.complaint_state, "investigating")
        self.assertEqual(ticket.complaint_evaluation_result, "unsatisfied")
        following = self.planned(ticket)
        self.assertEqual(len(following), 1, "the next visit is planned")
        self.assertEqual(following.previous_id, visit)
        self.assertEqual(following.attempt, 1)
        self.assertEqual(following.date_planned, later + timedelta(days=2))
        self.assertEqual(ticket.followup_status, "planned")

        # handled again: new feedback, resolved again, the planned visit is kept (not doubled)
        self.give_feedback(ticket)
        self.resolve(ticket, later + timedelta(days=3))
        self.assertEqual(self.planned(ticket), following)
        self.assertEqual(following.date_planned, later + timedelta(days=5))
        with self.assertRaises(UserError):
            ticket.with_user(self.agent1).stage_id = self.stage_closed

        following.with_user(self.agent1).action_satisfied()
        self.assertEqual(ticket.followup_status, "satisfied")
        ticket.with_user(self.handler).action_complaint_archive()
        self.assertEqual(ticket.complaint_state, "archived")

    def test_unreachable_retries_stop_at_n(self):
        self.team.followup_max_attempts = 2
        with self.mock_now(MONDAY):
            ticket = self.complaint_to_return_visit()
        first = ticket.followup_ids
        with self.mock_now(MONDAY + timedelta(days=2)):
            first.with_user(self.agent1).action_unreachable()
        second = self.planned(ticket)
        self.assertEqual(len(second), 1)
        self.assertEqual(second.attempt, 2)
        self.assertEqual(second.date_planned, MONDAY + timedelta(days=3), "retried a day later")
        self.assertTrue(second.is_last_attempt)
        self.assertTrue(ticket.is_resolved, "an unreachable customer does not reopen the ticket")

        second.with_user(self.agent1).action_unreachable()
        self.assertFalse(self.planned(ticket), "no third attempt")
        self.assertEqual(ticket.followup_status, "unreachable")
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "could not be reached in 2 attempts" in (m.body or "")),
            "the stop is noted on the ticket",
        )
        ticket.with_user(self.handler).action_complaint_archive()
        self.assertTrue(ticket.is_closed)

    def test_unreachable_default_is_three_attempts(self):
        team = self.env["cs.ticket.team"].create({"name": "Default Team"})
        self.assertEqual(team.followup_max_attempts, 3)
        visit = self.env["cs.followup"].create(
            {"name": "关怀回访", "partner_id": self.partner.id, "team_id": team.id, "user_id": self.agent1.id}
        )
        for _attempt in range(3):
            self.assertEqual(len(visit), 1)
            visit.action_unreachable()
            visit = self.env["cs.followup"].search([("previous_id", "=", visit.id)])
        self.assertFalse(visit, "three attempts, then the visits stop")

    def test_done_visit_cannot_be_recorded_again(self):
        with self.mock_now(MONDAY):
            ticket = self.complaint_to_return_visit()
        visit = ticket.followup_ids
        visit.with_user(self.agent1).action_satisfied()
        with self.assertRaises(UserError):
            visit.with_user(self.agent1).action_unsatisfied()
        with self.assertRaises(UserError):
            visit.with_user(self.agent1).action_cancel()

    # ------------------------------------------------------------------ UI and access
    def test_agent_plans_a_care_visit_with_the_form(self):
        form = Form(self.env["cs.followup"].with_user(self.agent1))
        form.name = "生日关怀电话"
        form.partner_id = self.partner
        form.method = "phone"
        visit = form.save()
        self.assertEqual(visit.source, "care")
        self.assertEqual(visit.user_id, self.agent1)
        self.assertEqual(visit.phone, self.partner.phone)
        self.assertIn(self.agent1.partner_id, visit.message_partner_ids, "the agent follows the visit")

        ticket = self.make_ticket(type_id=self.type_question.id)
        form = Form(self.env["cs.followup"].with_user(self.agent1).with_context(default_ticket_id=ticket.id))
        visit = form.save()
        self.assertEqual(visit.source, "ticket")
        self.assertEqual(visit.partner_id, self.partner)
        self.assertEqual(visit.team_id, self.team)

    def test_agents_see_own_and_team_visits(self):
        other_team = self.env["cs.ticket.team"].create({"name": "Other", "member_ids": [(6, 0, self.agent3.ids)]})
        Followup = self.env["cs.followup"]
        mine = Followup.create({"name": "mine", "user_id": self.agent1.id, "partner_id": self.partner.id})
        team = Followup.create(
            {"name": "team", "user_id": self.agent2.id, "team_id": self.team.id, "partner_id": self.partner.id}
        )
        foreign = Followup.create(
            {"name": "foreign", "user_id": self.agent3.id, "team_id": other_team.id, "partner_id": self.partner.id}
        )
        visible = Followup.with_user(self.agent1).search([("id", "in", (mine | team | foreign).ids)])
        self.assertEqual(visible, mine | team)
        with self.assertRaises(AccessError):
            foreign.with_user(self.agent1).read(["name"])
        self.assertEqual(
            Followup.with_user(self.manager).search([("id", "in", (mine | team | foreign).ids)]), mine | team | foreign
        )
        self.assertNotIn("phone", Followup.with_user(self.analyst).fields_get(), "analysts do not read contact data")

    def test_followup_report(self):
        with self.mock_now(MONDAY):
            ticket = self.complaint_to_return_visit()
        ticket.followup_ids.with_user(self.agent1).action_unreachable()
        self.planned(ticket).with_user(self.agent1).action_satisfied()
        self.env.flush_all()
        [(visits, done, reached, satisfied)] = self.env["cs.followup.report"]._read_group(
            [("ticket_id", "=", ticket.id)],
            [],
            ["visit_count:sum", "done_rate:avg", "reach_rate:avg", "satisfied_rate:avg"],
        )
        self.assertEqual((visits, done, reached, satisfied), (2, 1.0, 0.5, 1.0))
