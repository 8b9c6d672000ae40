from odoo import Command
from odoo.exceptions import UserError, ValidationError

from .repair_common import CsRepairCase


class TestParcelAndReview(CsRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create({"name": "李四"})
        cls.bulb = cls.env["product.product"].create({"name": "测试灯泡", "is_storable": True, "list_price": 10.0})
        cls.env["stock.quant"]._update_available_quantity(cls.bulb, cls.stock, 100)
        shipping = cls.env["product.product"].create({"name": "测试快递费", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {"name": "测试快递", "product_id": shipping.id, "delivery_type": "fixed"}
        )
        cls.order = cls._order(cls.partner)
        cls.picking = cls.order.picking_ids
        cls.picking.write({"carrier_id": cls.carrier.id, "carrier_tracking_ref": "SF1234567890"})
        cls.other_order = cls._order(cls.other_customer)

    @classmethod
    def _order(cls, partner):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": cls.bulb.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        return order

    def test_find_order_by_tracking_number(self):
        ticket = self.make_ticket(type_id=self.env.ref("cs_helpdesk.type_parcel").id).with_user(self.agent1)
        ticket.cs_parcel_reference = "SF1234567890"
        ticket.action_cs_find_parcel()
        self.assertEqual(ticket.cs_sale_order_id, self.order)
        self.assertEqual(ticket.cs_picking_ids, self.picking)
        self.assertEqual(ticket.cs_picking_ids.carrier_id, self.carrier)
        self.assertEqual(ticket.cs_delivery_status, "pending")
        found = (
            self.env["cs.ticket"]
            .with_user(self.agent1)
            .search([("cs_picking_ids.carrier_tracking_ref", "ilike", "SF12345")])
        )
        self.assertEqual(found, ticket)
        # delivered: the agent sees it on the ticket
        self.picking.move_ids.quantity = 2
        self.picking.move_ids.picked = True
        self.picking.button_validate()
        ticket.invalidate_recordset()
        self.assertEqual(ticket.cs_delivery_status, "full")
        self.assertEqual(ticket.cs_picking_ids.state, "done")

    def test_find_order_by_number_sets_customer(self):
        ticket = self.make_ticket(partner_id=False, email_from="buyer@example.com").with_user(self.agent1)
        ticket.cs_parcel_reference = self.order.name.lower()
        ticket.action_cs_find_parcel()
        self.assertEqual(ticket.cs_sale_order_id, self.order)
        self.assertEqual(ticket.partner_id, self.partner)

    def test_order_of_another_customer_is_refused(self):
        ticket = self.make_ticket().with_user(self.agent1)
        ticket.cs_parcel_reference = self.other_order.name
        with self.assertRaisesRegex(UserError, "is not an order or parcel of"):
            ticket.action_cs_find_parcel()
        ticket.cs_parcel_reference = "NOPE-000"
        with self.assertRaisesRegex(UserError, "No order or parcel"):
            ticket.action_cs_find_parcel()
        with self.assertRaises(ValidationError):
            ticket.cs_sale_order_id = self.other_order
        self.assertFalse(ticket.cs_sale_order_id)

    def test_negative_review_opens_ticket(self):
        Review = self.env["cs.order.review"].with_user(self.agent1)
        good = Review.create({"sale_order_id": self.order.id, "review_type": "good", "content": "很好"})
        self.assertFalse(good.ticket_id)
        bad = Review.create(
            {"sale_order_id": self.order.id, "review_type": "negative", "stars": "1", "content": "灯泡是坏的"}
        )
        ticket = bad.ticket_id
        self.assertTrue(ticket)
        self.assertEqual(ticket.type_id, self.env.ref("cs_helpdesk.type_aftersales"))
        self.assertEqual(ticket.partner_id, self.partner)
        self.assertEqual(ticket.cs_sale_order_id, self.order)
        self.assertEqual(ticket.priority, "2")
        self.assertIn("灯泡是坏的", str(ticket.description))
        self.assertEqual(self.order.cs_review_count, 2)

    def test_review_ticket_type_is_a_setting(self):
        complaint = self.env.ref("cs_helpdesk.type_complaint")
        settings = self.env["res.config.settings"].create({"cs_review_ticket_type_id": complaint.id})
        settings.execute()
        review = self.env["cs.order.review"].create(
            {"sale_order_id": self.order.id, "review_type": "neutral", "content": "一般"}
        )
        self.assertEqual(review.ticket_id.type_id, complaint)
        self.assertEqual(review.ticket_id.priority, "1")

    def test_analyst_reads_reviews_only(self):
        review = self.env["cs.order.review"].create(
            {"sale_order_id": self.order.id, "review_type": "good", "content": "好"}
        )
        self.assertEqual(review.with_user(self.analyst).content, "好")
        with self.assertRaises(Exception) as caught:
            review.with_user(self.analyst).write({"outcome": "revised"})
        self.assertEqual(type(caught.exception).__name__, "AccessError")

    def test_review_ticket_goes_to_the_after_sales_team(self):
        """The setting's team (default: the seeded after-sales team), then the team's normal assignment."""
        self.team.assignment_method = "round_robin"
        settings = self.env["res.config.settings"].create({"cs_review_team_id": self.team.id})
        settings.execute()
        review = (
            self.env["cs.order.review"]
            .with_user(self.agent1)
            .create({"sale_order_id": self.order.id, "review_type": "negative", "content": "物流太慢"})
        )
        ticket = review.ticket_id
        self.assertEqual(ticket.team_id, self.team)
        self.assertIn(ticket.user_id, self.agents, "assigned by the team's round robin")

    def test_review_team_defaults_to_the_seeded_team(self):
        seeded = self.env.ref("cs_helpdesk.team_aftersales_demo", raise_if_not_found=False)
        if not seeded:
            self.skipTest("the seeded after-sales team comes with the demo data")
        self.env["ir.config_parameter"].sudo().set_param("cs_aftersales.review_team_id", False)
        review = self.env["cs.order.review"].create(
            {"sale_order_id": self.order.id, "review_type": "neutral", "content": "一般"}
        )
        self.assertEqual(review.ticket_id.team_id, seeded)
