import re

from odoo.addons.mail.tools.discuss import Store
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from .complaint_common import CsComplaintCase


@tagged("post_install", "-at_install")
class TestRating(CsComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.rating_on_resolve = True

    def pending_rating(self, ticket):
        return ticket.sudo().rating_ids.filtered(lambda r: not r.consumed)

    def test_rating_request_sent_on_resolve(self):
        ticket = self.make_ticket(type_id=self.type_question.id, user_id=self.agent1.id)
        self.assertFalse(self.pending_rating(ticket))
        ticket.with_user(self.agent1).stage_id = self.stage_resolved

        rating = self.pending_rating(ticket)
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.partner)
        self.assertEqual(rating.rated_partner_id, self.agent1.partner_id, "the agent is the one rated")
        self.assertEqual(rating.parent_res_model, "cs.ticket.team")
        self.assertEqual(rating.parent_res_id, self.team.id)
        request = ticket.message_ids.filtered(lambda m: rating.access_token in (m.body or ""))
        self.assertEqual(len(request), 1, "the email carries the rating links")
        self.assertIn(self.partner, request.partner_ids)
        self.assertIn(f"/rate/{rating.access_token}/5", request.body)
        self.assertEqual(ticket._cs_portal_pending_rating(), rating, "the portal offers the same request")

        # moving the resolved ticket on to closed is not a second resolution
        ticket.with_user(self.agent1).stage_id = self.stage_closed
        self.assertEqual(len(ticket.sudo().rating_ids), 1)

    def test_no_rating_request_when_the_team_does_not_ask(self):
        self.team.rating_on_resolve = False
        ticket = self.make_ticket(type_id=self.type_question.id)
        ticket.stage_id = self.stage_resolved
        self.assertFalse(ticket.sudo().rating_ids)

    def test_dimension_scores_stored(self):
        ticket = self.make_ticket(type_id=self.type_question.id, user_id=self.agent1.id)
        ticket.stage_id = self.stage_resolved
        rating = self.pending_rating(ticket)
        ticket.rating_apply(5, rating=rating, feedback="很快就解决了")
        stored = rating._cs_apply_dimension_scores(
            {"cs_attitude_score": "5", "cs_efficiency_score": 4, "cs_solving_score": "9"}
        )
        self.assertEqual(stored, {"cs_attitude_score": 5, "cs_efficiency_score": 4}, "9 is out of the 1-5 scale")
        self.assertEqual((rating.cs_attitude_score, rating.cs_efficiency_score, rating.cs_solving_score), (5, 4, 0))
        ticket.invalidate_recordset()
        self.assertEqual(ticket.rating_attitude_score, 5)
        self.assertEqual(ticket.rating_efficiency_score, 4)
        self.assertEqual(ticket.rating_count, 1)
        self.assertEqual(self.team.ticket_rating_count, 1)
        self.assertEqual(self.team.ticket_rating_satisfaction, 100)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            rating.write({"cs_solving_score": 6})
            self.env.flush_all()

    def test_chatter_shows_the_rating_without_the_ticket_average(self):
        """The chatter loads a rated ticket's messages with the rating on its message, without the ticket's
        average rating (and the rating query and rights check it cost)."""
        ticket = self.make_ticket(type_id=self.type_question.id, user_id=self.agent1.id)
        ticket.stage_id = self.stage_resolved
        rating = self.pending_rating(ticket)
        ticket.rating_apply(4, rating=rating, feedback="还不错")
        messages = ticket.with_user(self.agent1).message_ids
        result = Store(messages, for_current_user=True).get_result()
        self.assertIn(rating.id, [values["id"] for values in result["rating.rating"]])
        self.assertFalse([thread for thread in result.get("mail.thread", []) if "rating_avg" in thread])


@tagged("post_install", "-at_install")
class TestRatingPage(HttpCase):
    """The customer rates from the email link on Odoo's rating page, which also takes the dimension scores."""

    def test_customer_submits_dimension_scores(self):
        agent = new_test_user(self.env, "rating_agent", groups="cs_helpdesk.group_agent")
        team = self.env["cs.ticket.team"].create(
            {"name": "Rating Team", "assignment_method": "manual", "rating_on_resolve": True}
        )
        customer = self.env["res.partner"].create({"name": "钱女士", "email": "qian@example.com"})
        ticket = self.env["cs.ticket"].create(
            {"name": "发票开错了", "team_id": team.id, "partner_id": customer.id, "user_id": agent.id}
        )
        ticket.stage_id = self.env.ref("cs_helpdesk.stage_resolved")
        rating = ticket._cs_portal_pending_rating()
        self.assertTrue(rating)

        page = self.url_open(f"/rate/{rating.access_token}/5")
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="cs_attitude_score"', page.text, "the ticket's rating page asks for the dimensions")
        csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/rate/{rating.access_token}/submit_feedback",
            data={
                "rate": 5,
                "feedback": "态度很好",
                "cs_attitude_score": 5,
                "cs_efficiency_score": 3,
                "cs_solving_score": 4,
                "csrf_token": csrf,
            },
        )
        self.assertEqual(response.status_code, 200)
        rating.invalidate_recordset()
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 5)
        self.assertEqual(rating.feedback, "态度很好")
        self.assertEqual((rating.cs_attitude_score, rating.cs_efficiency_score, rating.cs_solving_score), (5, 3, 4))

        # the link was used: replaying it (a forwarded email, a robot) changes nothing
        replay = self.url_open(
            f"/rate/{rating.access_token}/submit_feedback",
            data={"rate": 1, "feedback": "差评", "cs_attitude_score": 1, "csrf_token": csrf},
        )
        self.assertEqual(replay.status_code, 200)
        rating.invalidate_recordset()
        self.assertEqual((rating.rating, rating.feedback, rating.cs_attitude_score), (5, "态度很好", 5))
        self.assertEqual(len(ticket.sudo().rating_ids), 1, "no second rating either")

    def test_portal_ticket_offers_the_rating(self):
        team = self.env["cs.ticket.team"].create({"name": "Portal Rating Team", "assignment_method": "manual"})
        customer = self.env["res.partner"].create({"name": "孙先生", "email": "sun@example.com"})
        ticket = self.env["cs.ticket"].create({"name": "退款到账了吗", "team_id": team.id, "partner_id": customer.id})
        ticket.stage_id = self.env.ref("cs_helpdesk.stage_resolved")
        rating = ticket._cs_portal_pending_rating()
        ticket._portal_ensure_token()
        page = self.url_open(f"/my/tickets/{ticket.id}?access_token={ticket.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/rate/{rating.access_token}/5", page.text)


@tagged("post_install", "-at_install")
class TestSurveyCampaign(CsComplaintCase):
    def test_campaign_invites_each_customer_once(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "售后满意度调查",
                "access_mode": "token",
                "question_and_page_ids": [
                    (
                        0,
                        0,
                        {
                            "title": "您对我们的服务满意吗？",
                            "question_type": "simple_choice",
                            "suggested_answer_ids": [
                                (0, 0, {"value": "满意"}),
                                (0, 0, {"value": "不满意"}),
                            ],
                        },
                    ),
                ],
            }
        )
        customers = self.partner | self.vip_partner
        campaign = (
            self.env["cs.survey.campaign"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Q2 满意度",
                    "survey_id": survey.id,
                    "target_group": "existing",
                    "channel": "email",
                    "partner_domain": f"[('id', 'in', {customers.ids})]",
                }
            )
        )
        campaign.action_add_partners()
        self.assertEqual(campaign.partner_ids, customers)
        campaign.action_start()
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.user_input_ids.partner_id, customers, "one invitation per customer")
        self.assertEqual(campaign.invitation_count, 2)
        mails = self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "in", campaign.user_input_ids.ids)]
        )
        self.assertEqual(len(mails), 2, "invited by email")

        campaign.action_generate_invitations()
        self.assertEqual(campaign.invitation_count, 2, "nobody is invited twice")
        campaign.user_input_ids[0].sudo().state = "done"
        campaign.invalidate_recordset()
        self.assertEqual(campaign.response_count, 1)
        self.assertEqual(campaign.response_rate, 0.5)
