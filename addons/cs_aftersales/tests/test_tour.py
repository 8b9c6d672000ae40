from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestAftersalesTour(AftersalesCase, HttpCase):
    def test_portal_return_completed_by_agent(self):
        order = self._sell(qty=2)
        order.name = "CS Tour SO"
        portal = new_test_user(self.env, "as_tour_portal", groups="base.group_portal", partner_id=self.customer.id)
        self.start_tour("/my/orders", "cs_aftersales_portal_return", login=portal.login)
        rma = order.rma_ids
        self.assertEqual(rma.state, "draft")
        self.assertEqual((rma.kind, rma.reason_type, rma.product_uom_qty), ("return", "quality", 1))
        self.assertTrue(rma.ticket_id, "the portal request opened an after-sales ticket")

        self.start_tour(f"/odoo/action-rma.rma_action/{rma.id}", "cs_aftersales_agent_approve", login=self.agent.login)
        self.assertEqual(rma.state, "confirmed")
        self.start_tour(rma.get_portal_url(), "cs_aftersales_portal_tracking", login=portal.login)
        self.assertEqual(rma.customer_tracking_ref, "SF1234567890")
        self._receive(rma)
        rma.with_user(self.warehouse_user).action_inspect_pass()
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(
            rma.refund_id.reversed_entry_id, order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        )
