from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CsIncentiveCase


@tagged("post_install", "-at_install")
class TestIncentiveSecurity(CsIncentiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rec_agent = cls.env["cs.incentive.record"].create(
            {"employee_id": cls.emp_agent.id, "rule_id": cls.rule_nth.id, "date": "2026-06-01"}
        )
        cls.rec_other = cls.env["cs.incentive.record"].create(
            {"employee_id": cls.emp_other.id, "rule_id": cls.rule_nth.id, "date": "2026-06-01"}
        )
        cls.Record = cls.env["cs.incentive.record"]

    def test_agent_sees_only_own_and_cannot_write(self):
        self.assertEqual(self.Record.with_user(self.agent).search([]), self.rec_agent)
        with self.assertRaises(AccessError):
            self.rec_other.with_user(self.agent).read(["amount"])
        with self.assertRaises(AccessError):
            self.rec_agent.with_user(self.agent).note = "我没有迟到"
        with self.assertRaises(AccessError):
            self.record(self.rule_nth, "2026-06-02", employee=self.emp_agent, user=self.agent)
        self.assertEqual(self.env["cs.incentive.rule"].with_user(self.agent).search([("code", "=", "T-P1")]).amount, 15)

    def test_leader_drafts_for_team_but_does_not_approve(self):
        Record = self.Record.with_user(self.leader)
        self.assertEqual(Record.search([]), self.rec_agent)
        draft = self.record(self.rule_nth, "2026-06-02", user=self.leader)
        self.assertEqual(draft.state, "draft")
        with self.assertRaises(AccessError):
            self.record(self.rule_nth, "2026-06-02", employee=self.emp_other, user=self.leader)
        with self.assertRaises(AccessError):
            draft.action_approve()
        with self.assertRaises(AccessError):
            draft.write({"state": "approved"})
        with self.assertRaises(UserError):
            Record.create(
                {
                    "employee_id": self.emp_agent.id,
                    "rule_id": self.rule_nth.id,
                    "date": "2026-06-03",
                    "state": "applied",
                }
            )
        draft.action_cancel()
        self.assertEqual(draft.state, "cancelled")

    def test_leader_cannot_draft_for_themselves(self):
        emp_leader = self.env["hr.employee"].create({"name": "李组长", "user_id": self.leader.id})
        with self.assertRaises(AccessError):
            self.record(self.rule_nth, "2026-06-02", employee=emp_leader, user=self.leader)

    def test_leader_cannot_change_an_approved_record(self):
        self.rec_agent.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            self.rec_agent.with_user(self.leader).action_cancel()
        self.assertEqual(self.rec_agent.state, "approved")

    def test_manager_approves_any(self):
        records = (self.rec_agent | self.rec_other).with_user(self.manager)
        records.action_approve()
        self.assertEqual(set(records.mapped("state")), {"approved"})
        self.assertEqual(records.approver_id, self.manager)

    def test_trainer_has_no_access(self):
        with self.assertRaises(AccessError):
            self.Record.with_user(self.trainer).search([])
        with self.assertRaises(AccessError):
            self.env["cs.incentive.rule"].with_user(self.trainer).search([])

    def test_other_company_hidden_from_manager(self):
        company = self.env["res.company"].create({"name": "Other CS Co"})
        employee = self.env["hr.employee"].create({"name": "外司员工", "company_id": company.id})
        rule = self.env["cs.incentive.rule"].create(
            {"code": "T-P1", "name": "Other", "amount": 15, "company_id": company.id}
        )
        foreign = self.Record.create({"employee_id": employee.id, "rule_id": rule.id, "date": "2026-06-01"})
        visible = self.Record.with_user(self.manager).search([])
        self.assertIn(self.rec_agent, visible)
        self.assertNotIn(foreign, visible)
