from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAvailabilityTour(HttpCase):
    def test_agent_sets_status_from_systray(self):
        agent = new_test_user(self.env, "tour_avail_agent", groups="cs_helpdesk.group_agent", name="示闲坐席")
        team = self.env["cs.ticket.team"].create(
            {"name": "Tour Queue", "assignment_method": "balanced", "member_ids": [(6, 0, agent.ids)]}
        )
        self.env["res.users"].with_user(agent).cs_set_my_availability("busy")
        customer = self.env["res.partner"].create({"name": "孙先生", "email": "sun@example.com"})
        waiting = self.env["cs.ticket"].create(
            {"name": "等待分配的工单", "team_id": team.id, "partner_id": customer.id}
        )
        self.assertFalse(waiting.user_id, "the only agent is busy: the ticket waits")

        self.start_tour("/odoo", "cs_helpdesk_agent_availability_tour", login="tour_avail_agent")

        self.assertEqual(waiting.user_id, agent, "handed out when the agent became available")
        self.assertEqual(agent.cs_availability, "busy")
