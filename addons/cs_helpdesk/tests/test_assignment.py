from odoo import Command
from odoo.tests import tagged

from .common import CsHelpdeskCase


class TestAssignment(CsHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # round-robin takes members by id: agent1 < agent2 < agent3 (created in that order)
        cls.other_team = cls.env["cs.ticket.team"].create(
            {
                "name": "Other Team",
                "member_ids": [Command.set(cls.agent2.ids)],
                "assignment_method": "manual",
                "resource_calendar_id": cls.calendar.id,
            }
        )

    def open_tickets(self, user, count, team=None, stage=None):
        tickets = self.make_tickets([{"user_id": user.id, "team_id": (team or self.team).id} for __ in range(count)])
        if stage:
            tickets.write({"stage_id": stage.id})
        return tickets

    # ------------------------------------------------------------------ methods
    def test_manual_leaves_unassigned(self):
        tickets = self.make_tickets([{}, {}], user=self.agent1)
        self.assertFalse(tickets.user_id)
        self.assertFalse(any(tickets.mapped("assign_date")))

    def test_explicit_user_is_kept(self):
        self.team.assignment_method = "balanced"
        ticket = self.make_ticket(user_id=self.agent3.id)
        self.assertEqual(ticket.user_id, self.agent3)
        self.assertTrue(ticket.assign_date)

    def test_round_robin_cycles_across_batches(self):
        """Created by an agent, who cannot write on teams: the team still remembers its turn."""
        self.team.assignment_method = "round_robin"
        first = self.make_tickets([{}, {}], user=self.agent1)
        self.assertEqual([t.user_id for t in first], [self.agent1, self.agent2])
        self.assertEqual(self.team.last_assigned_user_id, self.agent2)
        second = self.make_tickets([{}, {}, {}, {}], user=self.agent3)
        self.assertEqual([t.user_id for t in second], [self.agent3, self.agent1, self.agent2, self.agent3])
        self.assertEqual(self.team.last_assigned_user_id, self.agent3)
        self.assertTrue(all(second.mapped("assign_date")))
        third = self.make_ticket()
        self.assertEqual(third.user_id, self.agent1)

    def test_round_robin_last_user_left_the_team(self):
        """The turn goes on with the next member, not back to the first one."""
        self.team.assignment_method = "round_robin"
        self.make_tickets([{}, {}])  # agent1, agent2
        self.team.member_ids = [Command.unlink(self.agent2.id)]
        self.assertEqual(self.make_ticket().user_id, self.agent3)
        self.assertEqual(self.make_ticket().user_id, self.agent1)

    def test_balanced_fewest_open_tickets(self):
        self.team.assignment_method = "balanced"
        self.open_tickets(self.agent1, 2)
        self.open_tickets(self.agent3, 1)
        self.open_tickets(self.agent2, 4, stage=self.stage_closed)  # closed tickets are not workload
        ticket = self.make_ticket()
        self.assertEqual(ticket.user_id, self.agent2)
        # loads are now agent1 2, agent2 1, agent3 1: a batch of 4 evens them out, ties by id
        batch = self.make_tickets([{}, {}, {}, {}])
        self.assertEqual([t.user_id for t in batch], [self.agent2, self.agent3, self.agent1, self.agent2])

    def test_balanced_counts_tickets_the_creator_cannot_see(self):
        """Workload is global: tickets of another team count even if the creating agent cannot read them."""
        self.team.assignment_method = "balanced"
        self.open_tickets(self.agent1, 1)
        self.open_tickets(self.agent3, 2)
        self.open_tickets(self.agent2, 3, team=self.other_team)
        tickets = self.env["cs.ticket"].with_user(self.agent1).search([("user_id", "=", self.agent2.id)])
        self.assertFalse(tickets, "fixture: agent1 does not see agent2's tickets of the other team")
        ticket = self.make_tickets([{}], user=self.agent1)
        self.assertEqual(ticket.user_id, self.agent1)

    def test_skill_based(self):
        self.team.assignment_method = "skill"
        self.agent3.cs_skill_category_ids = self.category_repair
        self.agent2.cs_skill_tag_ids = self.tag_invoice
        self.open_tickets(self.agent3, 3)  # busiest, yet the only repair specialist
        sub_repair = self.env["cs.ticket.category"].create({"name": "Screen", "parent_id": self.category_repair.id})
        repair, subcategory, invoice, other = self.make_tickets(
            [
                {"category_id": self.category_repair.id},
                {"category_id": sub_repair.id},
                {"tag_ids": [Command.link(self.tag_invoice.id)]},
                {"category_id": self.category_return.id},
            ],
            user=self.agent1,
        )
        self.assertEqual(repair.user_id, self.agent3)
        self.assertEqual(subcategory.user_id, self.agent3, "a skill covers the subcategories")
        self.assertEqual(invoice.user_id, self.agent2)
        # nobody has the skill: balanced among all members (agent1 0, agent2 1, agent3 5)
        self.assertEqual(other.user_id, self.agent1)

    def test_archived_and_portal_users_never_picked(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal",
                "login": "cs_test_portal",
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        self.team.member_ids = [Command.link(portal.id)]
        self.agent1.active = False
        for method in ("round_robin", "balanced", "skill"):
            self.team.assignment_method = method
            tickets = self.make_tickets([{}] * 4)
            self.assertEqual(set(tickets.user_id), {self.agent2, self.agent3}, method)

    def test_no_members(self):
        self.team.member_ids = [Command.clear()]
        for method in ("round_robin", "balanced", "skill"):
            self.team.assignment_method = method
            self.assertFalse(self.make_ticket().user_id, method)

    # ------------------------------------------------------------------ team change
    def test_assignment_on_team_change(self):
        self.other_team.assignment_method = "balanced"
        third_team = self.env["cs.ticket.team"].create(
            {
                "name": "Third Team",
                "member_ids": [Command.set((self.agent1 | self.agent3).ids)],
                "assignment_method": "manual",
            }
        )
        unassigned, assigned, shared = self.make_tickets([{}, {"user_id": self.agent1.id}, {"user_id": self.agent1.id}])
        (unassigned | assigned).with_user(self.agent1).write({"team_id": self.other_team.id})
        self.assertEqual(unassigned.user_id, self.agent2, "assigned by the new team")
        self.assertEqual(assigned.user_id, self.agent2, "agent1 is not in the new team: reassigned")
        shared.team_id = third_team
        self.assertEqual(shared.user_id, self.agent1, "agent1 is a member of the new team: kept")
        shared.team_id = False
        self.assertEqual(shared.user_id, self.agent1, "leaving the team empty keeps the assignee")


@tagged("post_install", "-at_install")  # Odoo sends no assignment notification while modules install
class TestAssignmentNotification(CsHelpdeskCase):
    def test_auto_assignment_follows_silently_manual_assignment_notifies(self):
        self.team.assignment_method = "balanced"
        ticket = self.make_ticket()
        assignee = ticket.user_id
        self.assertTrue(assignee)
        self.assertIn(assignee.partner_id, ticket.message_partner_ids, "the assignee follows the ticket")
        notifications = self.env["mail.message"].search(
            [("model", "=", "cs.ticket"), ("res_id", "=", ticket.id), ("message_type", "=", "user_notification")]
        )
        self.assertFalse(notifications, "no 'assigned to you' message per auto-assigned ticket")

        other = (self.agent1 | self.agent2 | self.agent3) - assignee
        ticket.with_user(self.leader).write({"user_id": other[0].id})
        notified = self.env["mail.message"].search(
            [("model", "=", "cs.ticket"), ("res_id", "=", ticket.id), ("message_type", "=", "user_notification")]
        )
        self.assertEqual(notified.partner_ids, other[0].partner_id, "a person assigning by hand notifies")
