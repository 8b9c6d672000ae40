from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import CsQualityCase


class TestQualitySecurity(CsQualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_team = cls.env["cs.ticket.team"].create(
            {"name": "Other Team", "member_ids": [Command.set(cls.agent3.ids)], "assignment_method": "manual"}
        )
        Review = cls.env["cs.qa.review"]
        cls.review1 = Review.create({"ticket_id": cls._closed(cls.agent1).id, "inspector_id": cls.inspector1.id})
        cls.review2 = Review.create({"ticket_id": cls._closed(cls.agent2).id, "inspector_id": cls.inspector2.id})
        cls.review3 = Review.create(
            {"ticket_id": cls._closed(cls.agent3, cls.other_team).id, "inspector_id": cls.inspector1.id}
        )

    @classmethod
    def _closed(cls, agent, team=None):
        ticket = cls.env["cs.ticket"].create(
            {"name": "质检工单", "partner_id": cls.partner.id, "team_id": (team or cls.team).id, "user_id": agent.id}
        )
        ticket.stage_id = cls.stage_closed
        return ticket

    def visible(self, user):
        reviews = self.review1 | self.review2 | self.review3
        return self.env["cs.qa.review"].with_user(user).search([("id", "in", reviews.ids)])

    def test_agents_see_only_their_reviews(self):
        self.assertFalse(self.visible(self.agent1), "a review being scored is not shown to the agent yet")
        self.answer_all(self.review1)
        self.review1.action_send()
        self.assertEqual(self.visible(self.agent1), self.review1)
        self.assertEqual(
            self.review1.line_ids.with_user(self.agent1).read(["score"])[0]["id"], self.review1.line_ids[0].id
        )
        with self.assertRaises(AccessError):
            self.review2.with_user(self.agent1).read(["score"])
        with self.assertRaises(AccessError):
            self.review1.with_user(self.agent1).write({"feedback": "<p>改分</p>"})
        with self.assertRaises(AccessError):
            self.env["cs.qa.review"].with_user(self.agent1).create({"ticket_id": self.review2.ticket_id.id})

    def test_leaders_see_their_teams(self):
        self.assertEqual(self.visible(self.leader), self.review1 | self.review2)

    def test_inspectors_read_all_and_score_their_own(self):
        self.assertEqual(self.visible(self.inspector2), self.review1 | self.review2 | self.review3)
        self.review2.line_ids[0].with_user(self.inspector2).answer_yes_no = "yes"
        with self.assertRaises(AccessError):
            self.review1.line_ids[0].with_user(self.inspector2).write({"answer_yes_no": "no"})
        with self.assertRaises(AccessError):
            self.review1.with_user(self.inspector2).write({"feedback": "<p>x</p>"})
        # inspectors read the tickets they review without being agents
        self.assertTrue(self.review3.ticket_id.with_user(self.inspector2).read(["name"]))

    def test_managers_and_analysts(self):
        manager = new_test_user(self.env, "cs_qa_manager", groups="cs_helpdesk.group_manager")
        self.assertEqual(self.visible(manager), self.review1 | self.review2 | self.review3)
        self.review1.with_user(manager).feedback = "<p>好</p>"
        self.assertEqual(self.visible(self.analyst), self.review1 | self.review2 | self.review3)
        with self.assertRaises(AccessError):
            self.review1.with_user(self.analyst).write({"feedback": "<p>x</p>"})
        with self.assertRaises(AccessError):
            self.env["cs.qa.scorecard"].with_user(self.inspector1).create({"name": "x"})

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other CS Company"})
        inspector = new_test_user(
            self.env,
            "cs_qa_inspector_other",
            groups="cs_quality.group_qa_inspector",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(self.env["cs.qa.review"].with_user(inspector).search([]))
        self.assertFalse(self.env["cs.qa.check"].with_user(inspector).search([]))
