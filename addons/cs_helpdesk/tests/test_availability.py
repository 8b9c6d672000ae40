from unittest.mock import patch

from odoo import Command, fields
from odoo.addons.cs_helpdesk.models.cs_ticket_team import CsTicketTeam
from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval

from .common import CsHelpdeskCase

METHODS = ("round_robin", "balanced", "skill")


class TestAvailability(CsHelpdeskCase):
    """Agents set their own status (示闲 / 示忙 / 离开); only available agents get tickets automatically."""

    def set_status(self, user, availability):
        self.env["res.users"].with_user(user).cs_set_my_availability(availability)

    # ------------------------------------------------------------------ who may set what
    def test_agent_sets_own_status(self):
        self.assertEqual(self.agent1.cs_availability, "available", "agents start available")
        self.set_status(self.agent1, "busy")
        self.assertEqual(self.agent1.cs_availability, "busy")
        self.assertTrue(self.agent1.cs_availability_date)
        self.assertEqual(self.env["res.users"].with_user(self.agent1).cs_get_my_availability(), "busy")
        self.assertEqual(self.agent2.cs_availability, "available", "only the caller's own status changes")

    def test_no_direct_write(self):
        """The status is not a field agents write: neither their own nor a colleague's."""
        with self.assertRaises(AccessError):
            self.agent1.with_user(self.agent1).write({"cs_availability": "away"})
        with self.assertRaises(AccessError):
            self.agent2.with_user(self.agent1).write({"cs_availability": "away"})
        with self.assertRaises(AccessError):
            self.agent2.with_user(self.agent1).action_cs_set_away()
        self.assertEqual((self.agent1 | self.agent2).mapped("cs_availability"), ["available", "available"])

    def test_leader_sets_member_away(self):
        self.agent2.with_user(self.leader).action_cs_set_away()
        self.assertEqual(self.agent2.cs_availability, "away")
        self.agent2.with_user(self.leader).action_cs_set_available()
        self.assertEqual(self.agent2.cs_availability, "available")

    def test_only_agents_and_known_statuses(self):
        with self.assertRaises(AccessError):
            self.set_status(self.analyst, "busy")
        self.assertFalse(self.env["res.users"].with_user(self.analyst).cs_get_my_availability())
        with self.assertRaises(UserError):
            self.set_status(self.agent1, "napping")

    def test_busy_operator_gets_no_new_chat(self):
        self.env["bus.presence"].create({"user_id": self.agent1.id, "status": "online"})
        self.assertTrue(self.agent1._is_user_available())
        self.set_status(self.agent1, "busy")
        self.assertFalse(self.agent1._is_user_available(), "online in Odoo, but busy: no new chat")

    # ------------------------------------------------------------------ every assignment method
    def test_every_method_skips_unavailable_agents(self):
        self.agent1.cs_skill_category_ids = self.category_repair
        self.set_status(self.agent1, "busy")
        self.set_status(self.agent3, "away")
        for method in METHODS:
            self.team.assignment_method = method
            tickets = self.make_tickets([{"category_id": self.category_repair.id}, {}, {}])
            self.assertEqual(tickets.user_id, self.agent2, method)

    def test_manual_stays_manual(self):
        self.set_status(self.agent1, "busy")
        ticket = self.make_ticket()
        self.assertFalse(ticket.user_id)
        self.set_status(self.agent1, "available")
        self.assertFalse(ticket.user_id, "a manual team's tickets are handed out by people, not on availability")

    def test_waiting_tickets_go_to_agent_who_becomes_available(self):
        for method in METHODS:
            self.team.assignment_method = method
            for agent in self.agents:
                self.set_status(agent, "busy")
            waiting = self.make_tickets([{}, {}])
            self.assertFalse(waiting.user_id, f"{method}: nobody available, the tickets wait")
            self.set_status(self.agent3, "available")
            self.assertEqual(waiting.user_id, self.agent3, method)
            self.assertTrue(all(waiting.mapped("assign_date")), method)
            for agent in self.agents:
                self.set_status(agent, "available")

    def test_open_tickets_per_agent_cap(self):
        """An agent becoming available takes tickets up to the team's cap; the rest keeps waiting."""
        self.team.max_open_tickets = 2
        for method in METHODS:
            self.team.assignment_method = method
            for agent in self.agents:
                self.set_status(agent, "busy")
            self.make_ticket(user_id=self.agent3.id)
            waiting = self.make_tickets([{}, {}, {}])
            self.set_status(self.agent3, "available")
            self.assertEqual(len(waiting.filtered("user_id")), 1, f"{method}: one more ticket reaches the cap")
            self.assertEqual(waiting.user_id, self.agent3, method)
            self.set_status(self.agent2, "available")
            self.assertEqual(len(waiting.filtered(lambda t: t.user_id == self.agent2)), 2, method)
            self.assertEqual(
                self.env["cs.ticket"].search_count([("user_id", "=", self.agent3.id), ("is_closed", "=", False)]),
                2,
                method,
            )
            self.env["cs.ticket"].search([("team_id", "=", self.team.id)]).stage_id = self.stage_closed
            for agent in self.agents:
                self.set_status(agent, "available")

    def test_cap_in_round_robin_skips_full_agents(self):
        self.team.write({"assignment_method": "round_robin", "max_open_tickets": 1})
        self.make_ticket(user_id=self.agent1.id)
        tickets = self.make_tickets([{}, {}, {}])
        self.assertNotIn(self.agent1, tickets.user_id, "a full agent's turn passes to the next one")
        self.assertEqual(len(tickets.filtered("user_id")), len(self.agents) - 1)

    def test_cron_assigns_waiting_tickets(self):
        """An agent who became available another way (a shift starting) is served by the scheduled action."""
        self.team.assignment_method = "balanced"
        self.agents.sudo().cs_availability = "away"
        waiting = self.make_ticket()
        closed = self.make_ticket()
        closed.stage_id = self.stage_closed
        self.assertFalse(waiting.user_id)
        self.agent2.sudo().cs_availability = "available"
        self.env["cs.ticket.team"]._cron_assign_waiting_tickets()
        self.assertEqual(waiting.user_id, self.agent2)
        self.assertFalse(closed.user_id, "closed tickets are not handed out")

    def test_single_filter_point(self):
        """Every method asks ``_assignable_members``: an override there (e.g. shifts) applies to all of them."""
        original = CsTicketTeam._assignable_members

        def without_agent2(team):
            return original(team) - self.agent2

        with patch.object(CsTicketTeam, "_assignable_members", without_agent2):
            for method in METHODS:
                self.team.assignment_method = method
                self.assertNotIn(self.agent2, self.make_tickets([{}, {}, {}]).user_id, method)

    def test_supervisor_view_counts(self):
        self.make_tickets([{"user_id": self.agent1.id}, {"user_id": self.agent1.id}])
        done = self.make_ticket(user_id=self.agent1.id)
        done.stage_id = self.stage_closed
        agents = self.env["res.users"].with_user(self.leader).browse(self.agent1.id)
        self.assertEqual(agents.cs_open_ticket_count, 2)
        self.assertFalse(agents.cs_call_since)
        answered = fields.Datetime.now()
        switch = self.env["cs.inbound.integration"].create(
            {"name": "热线交换机", "code": "switch-status", "kind": "telephony", "team_id": self.team.id}
        )
        call = {"integration_id": switch.id, "company_id": self.company.id, "ring_date": answered}
        self.env["cs.call"].create(
            [
                dict(call, external_call_id="1", agent_id=self.agent1.id, state="talking", answer_date=answered),
                dict(call, external_call_id="2", agent_id=self.agent2.id, state="done", answer_date=answered),
            ]
        )
        self.env.invalidate_all()  # a new request of the supervisor view
        agents = self.env["res.users"].with_user(self.leader).browse((self.agent1 | self.agent2).ids)
        self.assertEqual(agents.mapped("cs_call_since"), [answered, False], "only the call in progress counts")
        action = self.env.ref("cs_helpdesk.cs_agent_status_action")
        found = self.env["res.users"].with_user(self.leader).search(safe_eval(action.domain))
        self.assertIn(self.agent1, found)
        self.assertNotIn(self.analyst, found)
        for view in ("cs_agent_status_view_kanban", "cs_agent_status_view_list"):
            view = self.env.ref(f"cs_helpdesk.{view}")
            self.env["res.users"].with_user(self.leader).get_views([(view.id, view.type)])


class TestQueuePriority(CsHelpdeskCase):
    """Waiting tickets of higher-priority queues go first, then higher priority, then the oldest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.assignment_method = "balanced"
        cls.team.member_ids = [Command.set((cls.agent1 | cls.agent2).ids)]
        cls.vip_team = cls.env["cs.ticket.team"].create(
            {
                "name": "VIP Queue",
                "member_ids": [Command.set((cls.agent1 | cls.agent2).ids)],
                "assignment_method": "balanced",
                "queue_priority": 10,
                "sequence": 99,  # listed last: the queue priority, not the display order, decides
                "resource_calendar_id": cls.calendar.id,
            }
        )

    def everyone(self, availability):
        self.agents.sudo().cs_availability = availability

    def test_vip_queue_served_first(self):
        """Balanced: the first ticket handed out goes to the least busy agent; it is the VIP one."""
        self.everyone("busy")
        normal = self.make_ticket(name="普通咨询")  # older, of a team listed first
        vip = self.make_ticket(name="VIP 咨询", team_id=self.vip_team.id)
        self.everyone("available")  # as a shift start would: the scheduled action hands them out
        self.env["cs.ticket.team"]._cron_assign_waiting_tickets()
        self.assertEqual(vip.user_id, self.agent1, "VIP first: to the least busy agent (ties by id)")
        self.assertEqual(normal.user_id, self.agent2)

    def test_assignment_order(self):
        """The order tickets are handed to the teams: queue priority, then priority, then age."""
        self.everyone("busy")
        old_low = self.make_ticket(name="old low", priority="0")
        new_urgent = self.make_ticket(name="new urgent", priority="3")
        newer_urgent = self.make_ticket(name="newer urgent", priority="3")
        vip_low = self.make_ticket(name="vip low", priority="0", team_id=self.vip_team.id)
        calls = []
        original = CsTicketTeam._assign_tickets

        def spy(team, tickets):
            calls.append((team, tickets.mapped("name")))
            return original(team, tickets)

        self.everyone("available")
        with patch.object(CsTicketTeam, "_assign_tickets", spy):
            self.env["cs.ticket.team"]._cron_assign_waiting_tickets()
        self.assertEqual(
            calls,
            [(self.vip_team, ["vip low"]), (self.team, ["new urgent", "newer urgent", "old low"])],
        )
        self.assertTrue((old_low | new_urgent | newer_urgent | vip_low).user_id)

    def test_round_robin_turn_follows_queue_order(self):
        self.team.assignment_method = "round_robin"
        self.everyone("busy")
        low = self.make_ticket(name="low", priority="0")
        high = self.make_ticket(name="high", priority="2")
        self.everyone("available")
        self.env["cs.ticket.team"]._cron_assign_waiting_tickets()
        self.assertEqual(high.user_id, self.agent1, "the urgent ticket takes the first turn")
        self.assertEqual(low.user_id, self.agent2)

    def test_skill_with_queues(self):
        self.vip_team.assignment_method = "skill"
        self.agent2.cs_skill_category_ids = self.category_repair
        self.everyone("busy")
        repair = self.make_ticket(team_id=self.vip_team.id, category_id=self.category_repair.id)
        self.env["res.users"].with_user(self.agent1).cs_set_my_availability("available")
        self.assertEqual(repair.user_id, self.agent1, "the only available agent, without the skill")
        repair.sudo().user_id = False
        self.env["res.users"].with_user(self.agent2).cs_set_my_availability("available")
        self.assertEqual(repair.user_id, self.agent2, "the specialist once available")
