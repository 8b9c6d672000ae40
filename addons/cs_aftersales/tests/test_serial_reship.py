from datetime import date

from freezegun import freeze_time
from odoo.tests import tagged

from .common import AftersalesCase


class SerialCase(AftersalesCase):
    """A serial-tracked product sold and delivered with serial TV-A; TV-B stays in our stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tv = cls.env["product.product"].create(
            {"name": "测试电视", "is_storable": True, "tracking": "serial", "list_price": 2999.0}
        )
        Lot = cls.env["stock.lot"]
        cls.sn_a = Lot.create({"name": "TV-A", "product_id": cls.tv.id, "company_id": cls.company.id})
        cls.sn_b = Lot.create({"name": "TV-B", "product_id": cls.tv.id, "company_id": cls.company.id})
        cls.env["stock.quant"]._update_available_quantity(cls.tv, cls.warehouse.lot_stock_id, 1, lot_id=cls.sn_a)
        with freeze_time("2026-05-01 02:00:00"):
            cls.tv_order = cls._sell(qty=1, price=2999.0, products=cls.tv)
        cls.env["stock.quant"]._update_available_quantity(cls.tv, cls.warehouse.lot_stock_id, 1, lot_id=cls.sn_b)
        cls.other = cls.env["res.partner"].create({"name": "王五", "tz": "Asia/Shanghai"})

    def _tv_request(self, kind="return", lot=None, **vals):
        with freeze_time("2026-05-03 02:00:00"):
            return self._request(self.tv_order, kind=kind, lot_id=(lot or self.sn_a).id, **vals)

    @staticmethod
    def _receive(rma):
        """The parcel sent back, received with the request's serial."""
        move = rma.sudo().reception_move_id
        move.quantity = move.product_uom_qty
        if rma.lot_id:
            move.move_line_ids.lot_id = rma.lot_id
        move.picked = True
        move.picking_id._action_done()


@tagged("post_install", "-at_install")
class TestSerialDelivered(SerialCase):
    def test_delivered_serial_is_accepted(self):
        self.assertEqual(self._delivery(self.tv_order).move_line_ids.lot_id, self.sn_a)
        rma = self._tv_request()
        self.assertEqual(rma.lot_id, self.sn_a)

    def test_serial_of_another_customer_or_never_delivered_is_refused(self):
        with self.assertUserError("was not sold to 王五"):
            self.env["rma"].with_user(self.agent).create(
                {
                    "partner_id": self.other.id,
                    "product_id": self.tv.id,
                    "lot_id": self.sn_a.id,
                    "operation_id": self.op_return.id,
                    "reason_type": "quality",
                    "location_id": self.warehouse.rma_loc_id.id,
                }
            )
        with self.assertUserError("No delivered product has the serial number “TV-B”"):
            self._tv_request(lot=self.sn_b)
        rma = self._tv_request()
        with self.assertUserError("No delivered product"):
            rma.with_user(self.agent).lot_id = self.sn_b
        self.assertEqual(rma.lot_id, self.sn_a)

    def test_plain_rma_operation_is_unchanged(self):
        """OCA's own flows (operations without an after-sales kind) keep accepting any lot."""
        plain = self.env["rma.operation"].create({"name": "Plain OCA operation"})
        rma = self._tv_request(lot=self.sn_b, operation_id=plain.id)
        self.assertFalse(rma.kind)
        self.assertEqual(rma.lot_id, self.sn_b)

    def test_portal_request_with_foreign_serial_is_refused(self):
        """The portal posts the wizard lines as the controller does (sudo): a serial not sold is refused."""
        action = self.tv_order.action_create_rma()
        wizard = self.env["sale.order.rma.wizard"].sudo().browse(action["res_id"])
        wizard.line_ids.write({"operation_id": self.op_return.id, "quantity": 1, "lot_id": self.sn_b.id})
        with freeze_time("2026-05-03 02:00:00"), self.assertUserError("No delivered product"):
            wizard.create_rma(from_portal=True)
        self.assertFalse(self.env["rma"].search([("order_id", "=", self.tv_order.id)]))
        wizard.line_ids.lot_id = self.sn_a
        with freeze_time("2026-05-03 02:00:00"):
            rmas = wizard.create_rma(from_portal=True)
        self.assertEqual(rmas.lot_id, self.sn_a)

    def test_error_is_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["cs_aftersales"], ["zh_CN"], overwrite=True)
        rma = self._tv_request()
        with self.assertUserError("没有已发货的产品使用序列号“TV-B”"):
            rma.with_user(self.agent).with_context(lang="zh_CN").lot_id = self.sn_b


@tagged("post_install", "-at_install")
class TestReship(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.op_reship = cls.env.ref("cs_aftersales.rma_operation_reship")
        cls.order = cls._sell(qty=2)
        # 16:30 UTC is 00:30 the next day in Shanghai: the customer received it on 2 March.
        cls._set_delivery_date(cls.order, "2026-03-01 16:30:00")

    def _reship(self, qty=1):
        return self._request(self.order, qty=qty, operation_id=self.op_reship.id)

    def test_reship_window_from_policy(self):
        self.assertEqual(self.policy.reship_days, 7, "the documented default: the return window")
        with freeze_time("2026-03-09 15:59:00"):  # 23:59 on 9 March in Shanghai: day 7
            rma = self._reship()
        self.assertEqual(rma.eligibility_note, "Day 7 after receipt, within the 7-day reship window")
        rma.with_user(self.agent).action_confirm()
        self.assertEqual(rma.state, "confirmed")
        with freeze_time("2026-03-09 16:00:00"):  # midnight in Shanghai: day 8
            late = self._reship()
        with self.assertUserError("beyond the 7-day reship window"):
            late.with_user(self.agent).action_confirm()
        self.policy.reship_days = 15
        late.invalidate_recordset(["eligible", "eligibility_note"])
        self.assertEqual(late.eligibility_note, "Day 8 after receipt, within the 15-day reship window")

    def test_window_note_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["cs_aftersales"], ["zh_CN"], overwrite=True)
        with freeze_time("2026-03-09 16:00:00"):
            late = self._reship()
            ontime = self._request(self.order)
        self.policy.return_days = 8
        (late | ontime).invalidate_recordset(["eligibility_note"])
        self.assertEqual(late.with_context(lang="zh_CN").eligibility_note, "收货后第 8 天，超出 7 天补发期")
        self.assertEqual(ontime.with_context(lang="zh_CN").eligibility_note, "收货后第 8 天，在 8 天退货期内")

    def test_reship_quantity_cap(self):
        with freeze_time("2026-03-03 02:00:00"):
            first = self._reship(qty=1)
            with self.assertUserError("1.0 already reshipped by earlier requests; at most 1.0 Units can still be"):
                self._reship(qty=2)
            second = self._reship(qty=1)
            with self.assertUserError("at most 0.0 Units can still be reshipped"):
                self._reship(qty=1)
            with self.assertUserError("can still be reshipped"):
                second.with_user(self.agent).product_uom_qty = 2
            # reships and returns use up separate quantities: both units may still come back
            self._request(self.order, qty=2)
            first.with_user(self.agent).action_cancel()
            self._reship(qty=1)


@tagged("post_install", "-at_install")
class TestWarrantyVoid(SerialCase):
    def _pass(self, rma):
        rma.with_user(self.agent).action_confirm()
        self._receive(rma)
        rma.with_user(self.warehouse_user).action_inspect_pass()

    def test_partial_return_voids_the_returned_units(self):
        with freeze_time("2026-05-01 02:00:00"):
            order = self._sell(qty=3)
        warranty = self.env["cs.warranty"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(warranty.quantity, 3)
        with freeze_time("2026-05-03 02:00:00"):
            rma = self._request(order, qty=2)
            self._pass(rma)
        self.assertEqual(rma.state, "refunded")
        warranties = self.env["cs.warranty"].search([("sale_order_id", "=", order.id)])
        ended = warranties.filtered("voided")
        self.assertEqual(warranty.state, "active")
        self.assertEqual(warranty.quantity, 1)
        self.assertEqual(ended.quantity, 2)
        self.assertEqual(ended.state, "void")
        self.assertEqual(ended.void_rma_id, rma)
        self.assertEqual(ended.void_reason, f"Returned with {rma.name}.")

    def test_failed_inspection_keeps_the_warranty(self):
        rma = self._tv_request()
        rma.with_user(self.agent).action_confirm()
        self._receive(rma)
        rma.with_user(self.warehouse_user).write({"inspection_note": "人为损坏"})
        rma.with_user(self.warehouse_user).action_inspect_fail()
        warranty = self.env["cs.warranty"].search([("lot_id", "=", self.sn_a.id)])
        self.assertEqual(warranty.state, "active")

    def test_exchange_replacement_takes_over_the_rest(self):
        original = self.env["cs.warranty"].search([("lot_id", "=", self.sn_a.id)])
        self.assertEqual(original.date_start, date(2026, 5, 1))
        rma = self._tv_request(kind="exchange")
        with freeze_time("2026-05-04 02:00:00"):
            self._pass(rma)
        self.assertEqual(original.state, "void")
        self.assertEqual(original.void_rma_id, rma)
        self.assertIn("the replacement takes over the rest", original.void_reason)
        picking = rma.delivery_move_ids.picking_id
        with freeze_time("2026-05-06 02:00:00"):
            picking.action_assign()
            picking.move_line_ids.write({"lot_id": self.sn_b.id, "quantity": 1})
            picking.move_ids.picked = True
            picking._action_done()
        replacement = self.env["cs.warranty"].search([("lot_id", "=", self.sn_b.id)])
        self.assertEqual(replacement.partner_id, self.customer)
        self.assertEqual(replacement.date_start, date(2026, 5, 1), "not a new full period")
        self.assertEqual(replacement.date_end, original.date_end)
        self.assertEqual(replacement.state, "active")
        # the warranty lookup now finds the replacement serial for this customer
        self.assertEqual(self.env["cs.warranty"]._lookup_serial("TV-B", self.customer, self.company), replacement)
