from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from odoo.addons.cs_helpdesk.models.res_partner import ResPartner
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CsHelpdeskCase

TODAY = date(2026, 6, 1)
REAL_PURCHASE_STATS = ResPartner._cs_purchase_stats


@tagged("post_install", "-at_install")
class TestCustomerProfile(CsHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.p_new, cls.p_active, cls.p_dormant, cls.p_churned, cls.p_idle = Partner.create(
            [{"name": name} for name in ("New buyer", "Repeat buyer", "Sleeping buyer", "Lost buyer", "Never bought")]
        )
        cls.purchases = {}  # partner -> (count, amount, last date): what the shop's order system reports

    def setUp(self):
        super().setUp()

        def purchase_stats(partners):
            return [(partner, *self.purchases[partner]) for partner in partners if partner in self.purchases]

        patcher = patch.object(ResPartner, "_cs_purchase_stats", purchase_stats)
        patcher.start()
        self.addCleanup(patcher.stop)

    def set_params(self, **params):
        settings = Form(self.env["res.config.settings"])
        for name, value in params.items():
            setattr(settings, name, value)
        settings.save().execute()

    def ticket_on(self, partner, when):
        with self.mock_now(when):
            return self.make_ticket(partner_id=partner.id)

    # ------------------------------------------------------------------ segments
    def test_lifecycle_segments_follow_settings(self):
        self.ticket_on(self.p_new, datetime(2026, 5, 20, 3))
        self.purchases[self.p_new] = (1, 99.0, datetime(2026, 5, 21, 3))
        self.purchases[self.p_active] = (2, 500.0, datetime(2026, 5, 10, 3))
        self.purchases[self.p_dormant] = (2, 300.0, datetime(2025, 11, 13, 3))  # 200 days idle
        self.ticket_on(self.p_churned, datetime(2025, 4, 27, 3))  # 400 days idle
        customers = self.p_new | self.p_active | self.p_dormant | self.p_churned | self.p_idle

        customers._cs_update_segments(TODAY)
        self.assertEqual(
            customers.mapped("cs_segment"), ["new", "active", "dormant", "churned", False], "the named defaults"
        )
        self.assertEqual(set(customers.mapped("cs_segment_date")), {TODAY})

        # the manager moves the thresholds: dormant after 250 days, active from 3 orders
        self.set_params(cs_segment_dormant_days=250, cs_segment_active_orders=3)
        customers._cs_update_segments(TODAY)
        self.assertEqual(customers.mapped("cs_segment"), ["new", "new", "new", "churned", False])

        self.set_params(cs_segment_churn_days=500, cs_segment_ignore_tickets=True)
        customers._cs_update_segments(TODAY)
        self.assertEqual(
            customers.mapped("cs_segment"),
            ["new", "new", "new", False, False],
            "with purchases only, a customer who only wrote in has no segment",
        )

    def test_segment_counts_the_company_contacts(self):
        company = self.env["res.partner"].create({"name": "Shop Co", "is_company": True})
        buyer = self.env["res.partner"].create({"name": "Buyer", "parent_id": company.id})
        self.purchases[buyer] = (5, 1000.0, datetime(2026, 5, 30))
        company._cs_update_segments(TODAY)
        self.assertEqual(company.cs_segment, "active")

    def test_segment_cron_batches_once_a_day(self):
        self.ticket_on(self.p_new, datetime(2026, 5, 20, 3))
        Partner = self.env["res.partner"]
        with freeze_time(TODAY):
            in_scope = Partner.search_count(Partner._cs_customer_domain())
            self.assertEqual(Partner._cron_update_cs_segments(batch_size=in_scope + 10), in_scope)
            self.assertEqual(Partner._cron_update_cs_segments(), 0, "each customer once a day")
        self.assertEqual(self.p_new.cs_segment, "new")
        self.assertFalse(self.agent1.partner_id.cs_segment, "employees are no customers")
        self.assertFalse(self.env.company.partner_id.cs_segment_date, "nor is the company")
        with freeze_time(date(2026, 6, 2)):
            self.assertEqual(Partner._cron_update_cs_segments(batch_size=2), 2, "one batch per call")

    def test_vip_levels_upgrade_automatically(self):
        Level = self.env["cs.vip.level"]
        Level.search([]).active = False
        silver, gold = Level.create(
            [
                {"name": "Silver", "sequence": 1, "min_order_count": 2, "min_amount": 100},
                {"name": "Gold", "sequence": 2, "min_order_count": 5, "min_amount": 1000},
            ]
        )
        self.purchases[self.p_active] = (3, 500.0, datetime(2026, 5, 10))
        self.purchases[self.p_dormant] = (1, 50.0, datetime(2026, 5, 10))
        self.p_dormant.cs_vip_level_id = gold  # granted by a manager
        customers = self.p_active | self.p_dormant
        customers._cs_update_segments(TODAY)
        self.assertFalse(self.p_active.cs_vip_level_id, "off by default: thresholds are the company's to set")
        self.set_params(cs_vip_auto_assign=True)
        customers._cs_update_segments(TODAY)
        self.assertEqual(self.p_active.cs_vip_level_id, silver)
        self.assertEqual(self.p_dormant.cs_vip_level_id, gold, "never lowered automatically")
        self.assertEqual(silver.partner_count, 1)

    # ------------------------------------------------------------------ care
    def test_care_message_needs_consent(self):
        self.env["cs.care.holiday"].search([]).active = False
        Partner = self.env["res.partner"]
        consenting, refusing, other_day = Partner.create(
            [
                {"name": "Consents", "cs_birthday": "1990-06-01", "cs_consent_care": True},
                {"name": "No consent", "cs_birthday": "1985-06-01"},
                {"name": "Other day", "cs_birthday": "1985-06-02", "cs_consent_care": True},
            ]
        )
        self.assertTrue(consenting.cs_consent_care_date, "the consent date is recorded")
        care_type = self.env.ref("cs_helpdesk.mail_activity_type_cs_care")
        self.set_params(cs_care_user_id=self.agent2)
        with freeze_time(TODAY):
            Partner._cron_schedule_cs_care()
            Partner._cron_schedule_cs_care()  # a second run the same day adds nothing
        activity = consenting.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, care_type)
        self.assertEqual(activity.user_id, self.agent2, "the care responsible of the settings")
        # written in the language of the user it is for (a variable: the term belongs to the model's code)
        term = "Birthday"
        self.assertIn(self.env(context={"lang": self.agent2.lang})._(term), activity.summary)
        self.assertFalse(refusing.activity_ids, "no care message without consent")
        self.assertFalse(other_day.activity_ids)

        refusing.cs_consent_care = False
        consenting.cs_consent_care = False
        self.assertFalse(consenting.cs_consent_care_date, "withdrawing consent clears its date")

    def test_holiday_greets_every_consenting_customer(self):
        Holiday = self.env["cs.care.holiday"]
        Holiday.search([]).active = False
        Holiday.create({"name": "Dragon Boat Festival", "date": "2026-06-19", "greeting": "端午安康"})
        Holiday.create({"name": "Children's Day", "date": "2020-06-01", "yearly": True})
        Partner = self.env["res.partner"]
        salesman = new_test_user(self.env, "care_salesman", groups="base.group_user")
        consenting = Partner.create({"name": "Consents", "cs_consent_care": True, "user_id": salesman.id})
        refusing = Partner.create({"name": "Refuses", "cs_consent_care": False})
        with freeze_time("2026-06-19"):
            Partner._cron_schedule_cs_care()
        activity = consenting.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, salesman, "the customer's salesperson greets them")
        self.assertIn("Dragon Boat Festival", activity.summary)
        self.assertIn("端午安康", str(activity.note))
        self.assertFalse(refusing.activity_ids)
        self.assertEqual(Holiday._for_date(date(2027, 6, 1)).name, "Children's Day", "yearly holidays repeat")
        self.assertFalse(Holiday._for_date(date(2027, 6, 19)), "dated ones do not")

    def test_leap_day_birthday_in_common_year(self):
        self.env["cs.care.holiday"].search([]).active = False
        leap = self.env["res.partner"].create({"name": "Leap", "cs_birthday": "2000-02-29", "cs_consent_care": True})
        with freeze_time("2027-02-28"):
            self.env["res.partner"]._cron_schedule_cs_care()
        self.assertEqual(len(leap.activity_ids), 1)

    # ------------------------------------------------------------------ service summary
    def test_service_summary(self):
        self.make_tickets(
            [
                {"type_id": self.type_complaint.id},
                {"type_id": self.type_complaint.id},
                {"type_id": self.type_question.id},
            ]
        )
        tickets = self.env["cs.ticket"].search([("partner_id", "=", self.partner.id)])
        model_id = self.env["ir.model"]._get_id("cs.ticket")
        self.env["rating.rating"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": tickets[0].id,
                    "partner_id": self.partner.id,
                    "rating": 5,
                    "consumed": True,
                },
                {
                    "res_model_id": model_id,
                    "res_id": tickets[1].id,
                    "partner_id": self.partner.id,
                    "rating": 3,
                    "consumed": True,
                },
                {
                    "res_model_id": model_id,
                    "res_id": tickets[2].id,
                    "partner_id": self.partner.id,
                    "rating": 0,
                    "consumed": False,
                },
            ]
        )
        self.env["cs.feedback"].create({"name": "Idea", "partner_id": self.partner.id})
        partner = self.partner.with_user(self.agent1)
        self.assertEqual(partner.cs_complaint_count, 2)
        self.assertEqual(partner.cs_rating_count, 2)
        self.assertAlmostEqual(partner.cs_rating_avg, 4.0)
        self.assertEqual(partner.cs_feedback_count, 1)
        action = partner.action_view_cs_complaints()
        complaints = tickets.filtered(lambda t: t.type_id == self.type_complaint)
        self.assertEqual(self.env["cs.ticket"].search(action["domain"]), complaints)

    # ------------------------------------------------------------------ CRM and feedback
    def test_consultation_to_opportunity(self):
        """Created by an agent without CRM rights, the opportunity and the ticket point at each other."""
        ticket = self.make_ticket(
            name="想批量采购 50 台", type_id=self.type_question.id, user_id=self.agent1.id, description="<p>报价?</p>"
        )
        team = self.env["crm.team"].create({"name": "Pre-sales"})
        self.set_params(cs_presales_crm_team_id=team)
        ticket.with_user(self.agent1).action_create_opportunity()
        lead = ticket.lead_id
        self.assertTrue(lead)
        self.assertEqual(lead.cs_ticket_id, ticket)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, self.partner)
        self.assertEqual(lead.team_id, team)
        self.assertEqual(lead.create_uid, self.agent1, "the agent stays the creator")
        self.assertFalse(lead.user_id, "an agent who does not sell leaves it to sales")
        action = ticket.with_user(self.agent1).action_create_opportunity()
        self.assertEqual(action["res_id"], lead.id, "a second click opens the same opportunity")
        self.assertEqual(self.env["crm.lead"].search_count([("cs_ticket_id", "=", ticket.id)]), 1)
        self.assertEqual(lead.action_view_cs_ticket()["res_id"], ticket.id)

        seller = new_test_user(self.env, "cs_seller", groups="cs_helpdesk.group_agent,sales_team.group_sale_salesman")
        ticket2 = self.make_ticket(name="Quote", type_id=self.type_question.id, user_id=seller.id)
        action = ticket2.with_user(seller).action_create_opportunity()
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(ticket2.lead_id.user_id, seller, "a selling agent keeps the opportunity")

        complaint = self.make_ticket(type_id=self.type_complaint.id)
        with self.assertRaises(UserError):
            complaint.action_create_opportunity()

    def test_suggestion_to_feedback(self):
        suggestion_type = self.env["cs.ticket.type"].create({"name": "Test Suggestion", "code": "suggestion"})
        ticket = self.make_ticket(
            name="希望增加尺码表", type_id=suggestion_type.id, user_id=self.agent1.id, description="<p>尺码</p>"
        )
        action = ticket.with_user(self.agent1).action_create_feedback()
        feedback = self.env["cs.feedback"].browse(action["res_id"])
        self.assertEqual(feedback.ticket_id, ticket)
        self.assertEqual(feedback.partner_id, self.partner)
        self.assertEqual(feedback.source, "ticket")
        self.assertEqual(feedback.state, "new")
        self.assertEqual(ticket.feedback_count, 1)

        department = self.env["cs.department"].create({"name": "Merchandise", "user_id": self.leader.id})
        with Form(feedback.with_user(self.agent1)) as form:
            form.category = "product"
            form.department_id = department
        self.assertEqual(feedback.user_id, self.leader, "routing gives the department's contact")
        feedback.with_user(self.leader).action_analyse()
        with self.assertRaises(UserError):
            feedback.with_user(self.leader).action_analyse()
        feedback.with_user(self.leader).action_take_action()
        feedback.with_user(self.leader).action_close()
        self.assertEqual(feedback.state, "closed")
        self.assertTrue(feedback.date_closed)

        with self.assertRaises(UserError):
            self.make_ticket(type_id=self.type_question.id).action_create_feedback()

    def test_won_opportunities_count_as_purchases_without_sales(self):
        if "sale.order" in self.env:
            self.skipTest("Sales is installed: purchases are its confirmed orders")
        partner = self.env["res.partner"].create({"name": "Deal maker"})
        with freeze_time("2026-05-15 08:00:00"):
            lead = self.env["crm.lead"].create({"name": "Deal", "partner_id": partner.id, "expected_revenue": 800})
            lead.action_set_won()
        self.env["crm.lead"].create({"name": "Open deal", "partner_id": partner.id, "expected_revenue": 50})
        [(stats_partner, count, amount, last)] = REAL_PURCHASE_STATS(partner)
        self.assertEqual((stats_partner, count, amount), (partner, 1, 800))
        self.assertEqual(last.date(), date(2026, 5, 15))
