from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintTour(HttpCase):
    def test_complaint_from_registration_to_return_visit(self):
        self.env["cs.complaint.escalation"].search([]).active = False
        leader = new_test_user(self.env, "tour_complaint_leader", groups="cs_helpdesk.group_leader", name="Tour Leader")
        team = self.env["cs.ticket.team"].create(
            {
                "name": "Tour Complaint Team",
                "assignment_method": "manual",
                "leader_id": leader.id,
                "member_ids": [(6, 0, leader.ids)],
                "rating_on_resolve": False,
            }
        )
        self.env["res.partner"].create(
            {"name": "赵女士", "email": "zhao.tour@example.com", "phone": "+86 138 1234 5678"}
        )
        self.env["cs.complaint.aspect"].create({"name": "Tour Aspect"})

        self.start_tour("/odoo", "cs_complaint_tour", login="tour_complaint_leader")

        ticket = self.env["cs.ticket"].search([("name", "=", "Parcel crushed and agent hung up - tour")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, team)
        self.assertEqual(ticket.complaint_reviewer_id, leader)
        self.assertEqual(ticket.complaint_feedback_channel, "phone")
        self.assertTrue(ticket.complaint_feedback_date)
        self.assertEqual(ticket.complaint_state, "archived")
        self.assertTrue(ticket.is_closed)
        self.assertEqual(ticket.followup_ids.result, "satisfied")
        self.assertEqual(ticket.complaint_evaluation, "重新发货很快，满意。")
