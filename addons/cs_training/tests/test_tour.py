from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestManagerApprovalTour(HttpCase):
    def test_manager_approves_a_penalty(self):
        new_test_user(self.env, "tour_inc_manager", groups="cs_helpdesk.group_manager", name="Tour Manager")
        agent = new_test_user(self.env, "tour_inc_agent", groups="cs_helpdesk.group_agent", name="Tour Agent")
        employee = self.env["hr.employee"].create({"name": "Tour Agent", "user_id": agent.id})
        rule = self.env["cs.incentive.rule"].create(
            {"code": "TOUR", "name": "Tour phone rings", "amount": 15, "escalation": "every_nth"}
        )
        Record = self.env["cs.incentive.record"]
        for day in ("2026-10-01", "2026-10-02"):
            Record.create({"employee_id": employee.id, "rule_id": rule.id, "date": day}).action_approve()
        third = Record.create({"employee_id": employee.id, "rule_id": rule.id, "date": "2026-10-03"})

        self.start_tour("/odoo", "cs_training_approve_penalty_tour", login="tour_inc_manager")

        self.assertEqual(third.state, "approved")
        self.assertEqual(third.approver_id.login, "tour_inc_manager")
        self.assertEqual(third.amount, 30)
