from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")  # creates a company: needs every installed module's columns
class TestTicketSecurity(TransactionCase):
    """Each record rule, proven as a user holding only that group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.agent = new_test_user(env, "sec_agent", groups="cs_helpdesk.group_agent")
        cls.other_agent = new_test_user(env, "sec_agent2", groups="cs_helpdesk.group_agent")
        cls.leader = new_test_user(env, "sec_leader", groups="cs_helpdesk.group_leader")
        cls.manager = new_test_user(env, "sec_manager", groups="cs_helpdesk.group_manager")
        cls.analyst = new_test_user(env, "sec_analyst", groups="cs_helpdesk.group_analyst")
        cls.employee = new_test_user(env, "sec_employee", groups="base.group_user")
        Team = env["cs.ticket.team"].with_context(tracking_disable=True)
        cls.team_a = Team.create(
            {
                "name": "A",
                "assignment_method": "manual",
                "member_ids": [(6, 0, cls.agent.ids)],
                "leader_id": cls.leader.id,
            }
        )
        cls.team_b = Team.create(
            {"name": "B", "assignment_method": "manual", "member_ids": [(6, 0, cls.other_agent.ids)]}
        )
        customer = env["res.partner"].create({"name": "Customer", "email": "customer@example.com"})
        Ticket = env["cs.ticket"].with_context(tracking_disable=True)
        cls.ticket_a = Ticket.create({"name": "In team A", "team_id": cls.team_a.id, "partner_id": customer.id})
        cls.ticket_b = Ticket.create({"name": "In team B", "team_id": cls.team_b.id, "partner_id": customer.id})
        cls.ticket_b_mine = Ticket.create(
            {
                "name": "B, assigned to agent",
                "team_id": cls.team_b.id,
                "user_id": cls.agent.id,
                "partner_id": customer.id,
            }
        )
        cls.all_tickets = cls.ticket_a | cls.ticket_b | cls.ticket_b_mine

    def _visible(self, user):
        return self.env["cs.ticket"].with_user(user).search([("id", "in", self.all_tickets.ids)])

    def test_agent_sees_own_and_team_tickets(self):
        self.assertEqual(self._visible(self.agent), self.ticket_a | self.ticket_b_mine)
        with self.assertRaises(AccessError):
            self.ticket_b.with_user(self.agent).read(["name"])

    def test_leader_sees_led_teams(self):
        self.assertEqual(self._visible(self.leader), self.ticket_a)

    def test_manager_and_analyst_see_all(self):
        self.assertEqual(self._visible(self.manager), self.all_tickets)
        self.assertEqual(self._visible(self.analyst), self.all_tickets)

    def test_analyst_cannot_write(self):
        with self.assertRaises(AccessError):
            self.ticket_a.with_user(self.analyst).write({"name": "changed"})

    def test_plain_employee_has_no_ticket_access(self):
        with self.assertRaises(AccessError):
            self.env["cs.ticket"].with_user(self.employee).search([])

    def test_only_managers_delete(self):
        with self.assertRaises(AccessError):
            self.ticket_a.with_user(self.agent).unlink()
        self.ticket_a.with_user(self.manager).unlink()
        self.assertFalse(self.ticket_a.exists())

    def test_multi_company_isolation(self):
        other = self.env["res.company"].create({"name": "Other Shop"})
        foreign = self.env["cs.ticket"].create(
            {"name": "Other company", "company_id": other.id, "email_from": "x@example.com"}
        )
        self.assertFalse(self.env["cs.ticket"].with_user(self.manager).search([("id", "=", foreign.id)]))
        self.manager.write({"company_ids": [(4, other.id)]})
        visible = (
            self.env["cs.ticket"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.env.company.id, other.id])
            .search([("id", "=", foreign.id)])
        )
        self.assertEqual(visible, foreign)
