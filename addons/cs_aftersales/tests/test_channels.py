from freezegun import freeze_time
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestChannels(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-07-01 02:00:00"):
            cls.order = cls._sell(qty=2)
        cls.portal_user = new_test_user(cls.env, "as_portal", groups="base.group_portal", partner_id=cls.customer.id)

    def _portal_wizard(self, qty=1, reason_type="non_quality"):
        action = self.order.action_create_rma()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard.line_ids.write({"quantity": qty, "operation_id": self.op_return.id, "reason_type": reason_type})
        return wizard

    def test_from_ticket(self):
        ticket = self.env["cs.ticket"].create(
            {"name": "想退货", "partner_id": self.customer.id, "user_id": self.agent.id}
        )
        action = ticket.with_user(self.agent).action_cs_create_rma()
        self.assertEqual(ticket.category_id, self.env.ref("cs_helpdesk.category_return_exchange"))
        policy = self.env.ref("cs_helpdesk.sla_policy_return_exchange")
        self.assertIn(policy, ticket.sla_ids.policy_id, "the 1-working-day reply SLA applies")
        move = self.order.picking_ids.move_ids
        rma = (
            self.env["rma"]
            .with_user(self.agent)
            .with_context(**action["context"])
            .create(
                {
                    "order_id": self.order.id,
                    "picking_id": move.picking_id.id,
                    "move_id": move.id,
                    "reason_type": "quality",
                    "location_id": self.warehouse.rma_loc_id.id,
                }
            )
        )
        self.assertEqual(rma.partner_id, self.customer)
        self.assertEqual(rma.ticket_id, ticket)
        self.assertEqual(ticket.rma_ids, rma)
        self.assertEqual(rma.kind, "return")

    def test_from_sale_order(self):
        wizard = self._portal_wizard(qty=2, reason_type="quality")
        rma = wizard.with_user(self.agent).create_rma()
        self.assertEqual(rma.order_id, self.order)
        self.assertEqual(rma.reason_type, "quality")
        self.assertEqual(rma.product_uom_qty, 2)

    def test_portal_request_opens_ticket_and_respects_window(self):
        with freeze_time("2026-07-03 02:00:00"):
            rma = self._portal_wizard().with_user(self.portal_user).sudo().create_rma(from_portal=True)
        self.assertEqual(rma.partner_id, self.customer)
        self.assertEqual(rma.reason_type, "non_quality")
        self.assertEqual(rma.ticket_id.category_id, self.env.ref("cs_helpdesk.category_return_exchange"))
        self.assertTrue(rma.ticket_id.sla_deadline)
        with freeze_time("2026-07-20 02:00:00"), self.assertUserError("beyond the 7-day return window"):
            self._portal_wizard().with_user(self.portal_user).sudo().create_rma(from_portal=True)

    def test_portal_sees_only_own(self):
        with freeze_time("2026-07-03 02:00:00"):
            own = self._request(self.order)
            stranger = self.env["res.partner"].create({"name": "王五"})
            other_order = self._sell(qty=1, partner=stranger)
            other = self._request(other_order)
        own.message_subscribe(self.customer.ids)
        visible = self.env["rma"].with_user(self.portal_user).search([])
        self.assertIn(own, visible)
        self.assertNotIn(other, visible)
        with self.assertRaises(AccessError):
            other.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            own.with_user(self.portal_user).write({"customer_tracking_ref": "X"})

    def test_emails_per_step(self):
        with freeze_time("2026-07-03 02:00:00"):
            rma = self._request(self.order)
            rma.with_user(self.agent).action_confirm()
        subtype = self.env.ref("rma.mt_rma_notification")
        approved = rma.message_ids.filtered(lambda m: m.subtype_id == subtype)
        self.assertTrue(approved)
        self.assertIn(self.customer, approved[:1].notified_partner_ids | approved[:1].partner_ids)
        self._receive(rma)
        rma.with_user(self.warehouse_user).action_inspect_pass()
        self.assertEqual(len(rma.message_ids.filtered(lambda m: m.subtype_id == subtype)), len(approved) + 1)
