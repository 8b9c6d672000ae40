from odoo.addons.cs_helpdesk.tests.common import CsHelpdeskCase
from odoo.tests import new_test_user


class CsQualityCase(CsHelpdeskCase):
    """Helpdesk fixture plus two QA inspectors, the seeded scorecard and helpers to build conversations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inspector1 = new_test_user(cls.env, "cs_qa_inspector1", groups="cs_quality.group_qa_inspector")
        cls.inspector2 = new_test_user(cls.env, "cs_qa_inspector2", groups="cs_quality.group_qa_inspector")
        # other inspectors (the manager and the admin are QA inspectors too) stay out of the balanced draws
        cls.scorecard = cls.env.ref("cs_quality.scorecard_standard")
        cls.env["cs.qa.scorecard"].search([("id", "!=", cls.scorecard.id)]).active = False

    def agent_reply(self, ticket, body, agent=None):
        return ticket.with_user(agent or ticket.user_id).message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def customer_message(self, ticket, body):
        return ticket.message_post(
            body=body, author_id=ticket.partner_id.id, message_type="email", subtype_xmlid="mail.mt_comment"
        )

    def closed_ticket(self, agent=None, replies=("您好，请问有什么可以帮您？",), question="我的包裹还没到。", **values):
        ticket = self.make_ticket(user_id=(agent or self.agent1).id, **values)
        if question:
            self.customer_message(ticket, question)
        for reply in replies:
            self.agent_reply(ticket, reply)
        if ticket.type_code == "complaint":
            self.force_close(ticket)
        else:
            ticket.stage_id = self.stage_closed
        return ticket

    def force_close(self, tickets):
        """Close without the complaint workflow (feedback, return visit) that the QA tests do not need."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE cs_ticket SET stage_id = %s, is_closed = TRUE, closed_date = NOW() AT TIME ZONE 'UTC' "
            "WHERE id IN %s",
            [self.stage_closed.id, tuple(tickets.ids)],
        )
        self.env.invalidate_all()

    def answer_all(self, review, yes=True):
        for line in review.line_ids:
            if line.answer_type == "yes_no":
                line.answer_yes_no = "yes" if yes else "no"
            else:
                line.answer_scale = str(line.scale_max if yes else 0)
