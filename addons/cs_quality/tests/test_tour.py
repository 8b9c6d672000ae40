from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInspectorTour(HttpCase):
    def test_inspector_scores_a_ticket(self):
        inspector = new_test_user(
            self.env, "tour_inspector", groups="cs_quality.group_qa_inspector", name="Tour Inspector"
        )
        agent = new_test_user(self.env, "tour_qa_agent", groups="cs_helpdesk.group_agent", name="Tour Agent")
        team = self.env["cs.ticket.team"].create(
            {"name": "QA Tour Team", "assignment_method": "manual", "member_ids": [Command.set(agent.ids)]}
        )
        customer = self.env["res.partner"].create({"name": "钱先生", "email": "qian@example.com"})
        ticket = self.env["cs.ticket"].create(
            {"name": "Tour parcel", "team_id": team.id, "partner_id": customer.id, "user_id": agent.id}
        )
        ticket.message_post(
            body="耳机坏了，能退吗？", author_id=customer.id, message_type="email", subtype_xmlid="mail.mt_comment"
        )
        ticket.with_user(agent).message_post(
            body="这个我不能退，但是可以换货。", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        ticket.stage_id = self.env.ref("cs_helpdesk.stage_closed")
        ticket._qa_run_checks()
        scorecard = self.env["cs.qa.scorecard"].create(
            {
                "name": "Tour scorecard",
                "criterion_ids": [
                    Command.create({"name": "Tour polite words", "weight": 40, "auto_check": "polite"}),
                    Command.create({"name": "Tour no negative phrases", "weight": 30, "auto_check": "negative"}),
                    Command.create({"name": "Tour problem solving", "weight": 30}),
                ],
            }
        )
        review = self.env["cs.qa.review"].create(
            {"ticket_id": ticket.id, "inspector_id": inspector.id, "scorecard_id": scorecard.id}
        )

        self.start_tour("/odoo", "cs_quality_review_tour", login="tour_inspector")

        self.assertEqual(review.state, "done")
        answers = {line.criterion_id.name: line.answer_yes_no for line in review.line_ids}
        self.assertEqual(
            answers, {"Tour polite words": "no", "Tour no negative phrases": "no", "Tour problem solving": "yes"}
        )
        self.assertEqual(review.score, 30)
