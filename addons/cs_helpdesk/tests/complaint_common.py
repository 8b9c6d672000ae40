from odoo import fields
from odoo.tests import new_test_user

from .common import CsHelpdeskCase


class CsComplaintCase(CsHelpdeskCase):
    """Complaints, return visits and ratings on the shared fixture.

    The escalation rules seeded by the module are archived so each test states its own; the
    team's return visit and approval settings are set here, not taken from their defaults.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["cs.complaint.escalation"].search([]).active = False
        cls.handler = new_test_user(
            cls.env,
            login="cs_test_handler",
            groups="cs_helpdesk.group_complaint_handler",
            tz="Asia/Shanghai",
            notification_type="inbox",
        )
        cls.team.write(
            {
                "member_ids": [(4, cls.handler.id)],
                "followup_on_resolve": False,
                "followup_delay_days": 2,
                "followup_retry_days": 1,
                "followup_max_attempts": 3,
                "complaint_approval_amount": 100,
                "rating_on_resolve": False,
            }
        )
        cls.aspect = cls.env["cs.complaint.aspect"].create({"name": "Test Logistics"})
        cls.department = cls.env["cs.department"].create({"name": "Test Warehouse"})

    def make_complaint(self, user=None, **values):
        values.setdefault("type_id", self.type_complaint.id)
        values.setdefault("user_id", self.agent1.id)
        values.setdefault("description", "<p>订单 2024061801 快递两周未到，客服一直没有回复。</p>")
        values.setdefault("complaint_severity", "normal")
        return self.make_tickets([values], user=user)

    def investigate(self, ticket):
        """Review (as the handler) and start the investigation (as the agent)."""
        ticket.with_user(self.handler).action_complaint_review()
        ticket.with_user(self.agent1).action_complaint_investigate()

    def give_feedback(self, ticket, **values):
        values = {
            "complaint_aspect_id": self.aspect.id,
            "complaint_reasonableness": "reasonable",
            "complaint_feedback_date": fields.Datetime.now(),
            "complaint_feedback_channel": "phone",
            **values,
        }
        ticket.with_user(self.agent1).write(values)
        ticket.with_user(self.agent1).action_complaint_feedback()

    def complaint_to_return_visit(self, **values):
        ticket = self.make_complaint(**values)
        self.investigate(ticket)
        self.give_feedback(ticket)
        ticket.with_user(self.agent1).stage_id = self.stage_resolved
        return ticket
