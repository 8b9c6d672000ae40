from freezegun import freeze_time
from odoo.addons.cs_helpdesk.tests.complaint_common import CsComplaintCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestComplaintPenaltyDraft(CsComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee1 = cls.env["hr.employee"].create(
            {"name": "张小客", "user_id": cls.agent1.id, "tz": "Asia/Shanghai"}
        )
        cls.employee2 = cls.env["hr.employee"].create({"name": "刘小服", "user_id": cls.agent2.id})
        cls.rule = cls.env.ref("cs_training.incentive_rule_complaint_fine")

    def archive(self, ticket):
        visit = ticket.followup_ids
        visit.with_user(self.agent1).evaluation = "满意"
        visit.with_user(self.agent1).action_satisfied()
        ticket.with_user(self.handler).action_complaint_archive()
        self.assertEqual(ticket.complaint_state, "archived")

    def drafts(self, ticket):
        return self.env["cs.incentive.record"].search([("res_model", "=", "cs.ticket"), ("res_id", "=", ticket.id)])

    def test_archived_complaint_drafts_the_fine_once_per_agent(self):
        ticket = self.complaint_to_return_visit()
        ticket.with_user(self.handler).complaint_user_ids = self.agent1 | self.agent2
        self.assertFalse(self.drafts(ticket), "nothing before the complaint is archived")
        # 17:30 UTC on March 31 is already April 1 in Shanghai, the first employee's time zone
        with freeze_time("2027-03-31 17:30:00"):
            self.archive(ticket)
        drafts = self.drafts(ticket)
        self.assertEqual(drafts.employee_id, self.employee1 | self.employee2)
        self.assertEqual(set(drafts.mapped("state")), {"draft"})
        self.assertEqual(set(drafts.mapped("amount")), {20})
        self.assertEqual(drafts.rule_id, self.rule)
        self.assertEqual(drafts.filtered(lambda r: r.employee_id == self.employee1).date.isoformat(), "2027-04-01")
        log = ticket.message_ids.filtered(lambda m: "Complaint fine drafted for" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertIn("刘小服", log.body)

        # reopened (二次处理) and archived again: no second draft
        ticket._complaint_check_transition("investigating")
        ticket.sudo().write({"complaint_state": "return_visit"})
        ticket.sudo().write({"complaint_state": "archived"})
        self.assertEqual(self.drafts(ticket), drafts)

    def test_complaint_without_attribution_drafts_nothing(self):
        ticket = self.complaint_to_return_visit()
        self.archive(ticket)
        self.assertFalse(self.drafts(ticket))
