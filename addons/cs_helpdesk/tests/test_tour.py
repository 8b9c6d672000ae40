from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAgentTour(HttpCase):
    def test_agent_takes_and_answers_a_ticket(self):
        agent = new_test_user(self.env, "tour_agent", groups="cs_helpdesk.group_agent", name="Tour Agent")
        team = self.env["cs.ticket.team"].create(
            {"name": "Tour Team", "assignment_method": "manual", "member_ids": [(6, 0, agent.ids)]}
        )
        customer = self.env["res.partner"].create({"name": "赵女士", "email": "zhao@example.com"})
        ticket = self.env["cs.ticket"].create(
            {"name": "Parcel not received (tour)", "team_id": team.id, "partner_id": customer.id}
        )
        self.assertFalse(ticket.user_id)

        self.start_tour("/odoo", "cs_helpdesk_agent_tour", login="tour_agent")

        self.assertEqual(ticket.user_id, agent)
        self.assertTrue(ticket.first_response_date, "the agent's reply must count as the first response")
        reply = ticket.message_ids.filtered(lambda m: m.author_id == agent.partner_id and m.message_type == "comment")
        self.assertEqual(len(reply), 1)
        # the reply's email is rendered by the scheduled-notification cron, a moment after the click
        self.assertNotIn(customer, reply.notified_partner_ids)
        self.env.ref("mail.ir_cron_send_scheduled_message").method_direct_trigger()
        reply.invalidate_recordset()
        self.assertIn(customer, reply.notified_partner_ids, "the customer follows the ticket and gets the reply")
