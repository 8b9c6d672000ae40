from freezegun import freeze_time
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestFlow(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tax = cls.env["account.tax"].create({"name": "VAT 13%", "amount": 13, "type_tax_use": "sale"})
        cls.product.taxes_id = tax
        with freeze_time("2026-05-01 02:00:00"):
            cls.order = cls._sell(qty=3, price=120.0)
        cls.order.order_line.discount = 0.0
        cls.invoice = cls.order.invoice_ids

    def _approved(self, kind="return", qty=1, **vals):
        with freeze_time("2026-05-03 02:00:00"):
            rma = self._request(self.order, kind=kind, qty=qty, **vals)
            rma.with_user(self.agent).action_confirm()
        return rma

    def test_return_pass_refunds_what_was_invoiced(self):
        rma = self._approved(qty=2)
        self.assertEqual(rma.state, "confirmed")
        self.assertTrue(rma.reception_move_id, "approval prepares the receipt of the parcel sent back")
        self.assertEqual(rma.return_address_id, self.warehouse.partner_id)
        with self.assertRaises(AccessError):
            rma.with_user(self.agent).action_inspect_pass()
        self._receive(rma)
        self.assertEqual(rma.state, "received")
        rma.with_user(self.warehouse_user).inspection_note = "完好"
        rma.with_user(self.warehouse_user).action_inspect_pass()
        self.assertEqual(rma.inspection_result, "pass")
        self.assertEqual(rma.inspection_user_id, self.warehouse_user)
        refund = rma.refund_id
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, self.invoice)
        self.assertAlmostEqual(refund.amount_total, self.invoice.amount_total * 2 / 3, places=2)
        self.assertEqual(refund.state, "draft")
        refund.with_user(self.finance).action_post()
        self.assertEqual(refund.state, "posted")

    def test_exchange_pass_ships_the_replacement(self):
        rma = self._approved(kind="exchange")
        self._receive(rma)
        rma.with_user(self.warehouse_user).action_inspect_pass()
        self.assertEqual(rma.state, "waiting_replacement")
        replacement = rma.delivery_move_ids
        self.assertEqual(replacement.product_id, self.product)
        self.assertEqual(replacement.product_uom_qty, 1)
        self.assertEqual(replacement.picking_id.picking_type_id.code, "outgoing")
        self.assertFalse(rma.refund_id)

    def test_repair_pass_opens_the_repair_order(self):
        rma = self._approved(operation_id=self.env.ref("cs_aftersales.rma_operation_repair").id)
        self.assertEqual(rma.kind, "repair")
        self._receive(rma)
        self.assertFalse(rma.repair_id, "the repair waits for the inspection")
        rma.with_user(self.warehouse_user).action_inspect_pass()
        self.assertEqual(rma.repair_id.product_id, self.product)
        self.assertEqual(rma.repair_id.partner_id, rma.partner_id)
        self.assertFalse(rma.refund_id)
        self.assertFalse(rma.delivery_move_ids, "a repair sends no replacement")

    def test_fail_then_negotiate_partial_refund(self):
        rma = self._approved()
        self._receive(rma)
        with self.assertUserError("Describe what the inspection found"):
            rma.with_user(self.warehouse_user).action_inspect_fail()
        rma.with_user(self.warehouse_user).write({"inspection_note": "外壳有人为摔痕"})
        rma.with_user(self.warehouse_user).action_inspect_fail()
        self.assertEqual(rma.inspection_result, "fail")
        self.assertFalse(rma.refund_id)
        with self.assertUserError("positive amount"):
            rma.with_user(self.agent).action_negotiation_done("partial_refund", amount=0)
        wizard = (
            self.env["cs.aftersales.negotiation.wizard"]
            .with_user(self.agent)
            .create({"rma_id": rma.id, "outcome": "partial_refund", "amount": 50.0, "note": "客户同意退 50 元"})
        )
        wizard.action_confirm()
        self.assertEqual(rma.negotiation_outcome, "partial_refund")
        self.assertEqual(rma.refund_id.amount_untaxed, 50.0)

    def test_fail_then_return_to_customer(self):
        rma = self._approved()
        self._receive(rma)
        rma.with_user(self.warehouse_user).write({"inspection_note": "无故障"})
        rma.with_user(self.warehouse_user).action_inspect_fail()
        rma.with_user(self.agent).action_negotiation_done("return_to_customer")
        self.assertEqual(rma.state, "waiting_return")
        self.assertTrue(rma.delivery_move_ids)
        with self.assertUserError("no negotiation is open"):
            rma.with_user(self.agent).action_negotiation_done("refuse")

    def test_fail_then_refuse(self):
        rma = self._approved()
        self._receive(rma)
        rma.with_user(self.warehouse_user).write({"inspection_note": "超出退货条件"})
        rma.with_user(self.warehouse_user).action_inspect_fail()
        rma.with_user(self.agent).action_negotiation_done("refuse", note="客户接受")
        self.assertEqual(rma.state, "finished")
        self.assertFalse(rma.refund_id)

    def test_cancel_until_receipt(self):
        rma = self._approved()
        self._receive(rma)
        with self.assertUserError("already received"):
            rma.with_user(self.agent).action_cancel()
        other = self._approved()
        other.with_user(self.agent).action_cancel()
        self.assertEqual(other.state, "cancelled")
        self.assertEqual(other.reception_move_id.state, "cancel")

    def test_non_quality_return_charges_shipping(self):
        service = self.env["product.product"].create({"name": "退货运费", "type": "service", "list_price": 12.0})
        rule = self.env["cs.fee.rule"].create({"name": "退货运费（非质量问题）", "product_id": service.id})
        self.policy.shipping_fee_rule_id = rule
        quality = self._approved()
        self.assertFalse(quality.fee_ids)
        rma = self._approved(reason_id=self.env.ref("cs_aftersales.reason_changed_mind").id)
        self.assertEqual(rma.reason_type, "non_quality")
        self.assertEqual(rma.fee_ids.rule_id, rule)
        self.assertEqual(rma.fee_ids.partner_id, self.customer)
        self.assertEqual(rma.fee_ids.price_unit, 12.0)
        self.policy.non_quality_shipping_bearer = "company"
        self.assertFalse(self._approved(reason_type="non_quality").fee_ids)

    def test_tracking_number_after_approval(self):
        rma = self._request(self.order)
        with self.assertUserError("once the request is approved"):
            rma.action_cs_set_tracking("SF123")
        rma = self._approved()
        with self.assertUserError("Enter the tracking number"):
            rma.action_cs_set_tracking("  ")
        rma.action_cs_set_tracking(" SF1234567890 ")
        self.assertEqual(rma.customer_tracking_ref, "SF1234567890")
