from datetime import date

from freezegun import freeze_time
from odoo import Command
from odoo.addons.cs_helpdesk.tests.common import local_dt
from odoo.exceptions import AccessError, UserError, ValidationError

from .repair_common import CsRepairCase


class TestWarranty(CsRepairCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner.tz = "Asia/Shanghai"
        cls.other_customer = cls.env["res.partner"].create({"name": "李四"})
        cls.bulb = cls.env["product.product"].create({"name": "测试灯泡", "is_storable": True, "list_price": 10.0})
        cls.env["stock.quant"]._update_available_quantity(cls.bulb, cls.stock, 100)
        cls.serial_sold = cls.env["stock.lot"].create(
            {"name": "CS-SN-SOLD", "product_id": cls.appliance.id, "company_id": cls.company.id}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.appliance, cls.stock, 1, lot_id=cls.serial_sold)

    def sell_and_deliver(self, when, lines):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty}) for product, qty in lines
                ],
            }
        )
        with self.mock_now(when):
            order.action_confirm()
            picking = order.picking_ids
            picking.action_assign()
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.button_validate()
        self.assertEqual(picking.state, "done")
        return order, picking

    def test_delivery_creates_warranties(self):
        """Serial: one warranty per serial; untracked: one per line; the start is the customer's delivery day."""
        self.env["cs.aftersales.policy"].create(
            {
                "name": "家电保修",
                "sequence": 1,
                "product_categ_ids": [Command.link(self.categ.id)],
                "warranty_months": 6,
            }
        )
        self.env["cs.aftersales.policy"].search([("product_categ_ids", "=", False)]).active = False
        self.env["ir.config_parameter"].sudo().set_param("cs_aftersales.default_warranty_months", "18")
        # 17:30 UTC on 7 March is already 8 March in Shanghai
        order, picking = self.sell_and_deliver(local_dt(2025, 3, 8, 1, 30), [(self.appliance, 1), (self.bulb, 5)])
        warranties = self.env["cs.warranty"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(len(warranties), 2)
        serial = warranties.filtered("lot_id")
        self.assertEqual(serial.lot_id, picking.move_line_ids.lot_id)
        self.assertEqual(serial.partner_id, self.partner)
        self.assertEqual(serial.date_start, date(2025, 3, 8))
        self.assertEqual(serial.warranty_months, 6)
        self.assertEqual(serial.date_end, date(2025, 9, 7))
        bulbs = warranties - serial
        self.assertEqual(bulbs.quantity, 5)
        self.assertEqual(bulbs.warranty_months, 18, "no policy for bulbs: the default setting")
        self.assertEqual(bulbs.sale_line_id.product_id, self.bulb)

    def test_state_and_expiring_soon(self):
        """Expiring soon follows the setting: ends within N days, still active."""
        Warranty = self.env["cs.warranty"]
        with freeze_time("2025-12-20"):
            self.assertTrue(self.warranty_new.expiring_soon, "ends 2026-01-09, within 30 days")
            self.assertIn(self.warranty_new, Warranty.search([("expiring_soon", "=", True)]))
            self.assertNotIn(self.warranty_old, Warranty.search([("expiring_soon", "=", True)]))
            self.assertIn(self.warranty_old, Warranty.search([("state", "=", "expired")]))
            self.env["ir.config_parameter"].sudo().set_param("cs_aftersales.warranty_expiry_days", "10")
            self.warranty_new.invalidate_recordset(["expiring_soon"])
            self.assertFalse(self.warranty_new.expiring_soon)
            self.assertNotIn(self.warranty_new, Warranty.search([("expiring_soon", "=", True)]))
            self.assertIn(self.warranty_new, Warranty.search([("expiring_soon", "=", False)]))
        with freeze_time("2026-01-09"):
            self.warranty_new.invalidate_recordset(["state"])
            self.assertEqual(self.warranty_new.state, "active", "the last day is covered")
        with freeze_time("2026-01-10"):
            self.warranty_new.invalidate_recordset(["state"])
            self.assertEqual(self.warranty_new.state, "expired")
        self.warranty_new.with_user(self.manager).action_void()
        self.assertEqual(self.warranty_new.state, "void")
        self.warranty_new.void_reason = "Returned with RMA0001."
        self.warranty_new.with_user(self.manager).action_unvoid()
        self.assertEqual(self.warranty_new.state, "expired", "no longer void: expired since 2026-01-10")
        self.assertFalse(self.warranty_new.void_reason, "a restored warranty keeps no void reason")

    def test_lookup_by_serial_from_ticket(self):
        with self.mock_now(local_dt(2025, 3, 10, 9)):
            ticket = self.repair_ticket().with_user(self.agent1)
            ticket.cs_serial_lookup = " CS-SN-NEW "
            ticket.action_cs_lookup_warranty()
            self.assertEqual(ticket.cs_warranty_id, self.warranty_new)
            self.assertEqual(ticket.cs_warranty_state, "active")

            other = self.make_ticket(partner_id=self.other_customer.id).with_user(self.agent1)
            other.cs_serial_lookup = "CS-SN-NEW"
            with self.assertRaisesRegex(UserError, "was not sold to 李四"):
                other.action_cs_lookup_warranty()
            other.cs_serial_lookup = "NO-SUCH-SERIAL"
            with self.assertRaisesRegex(UserError, "No delivered product"):
                other.action_cs_lookup_warranty()
            with self.assertRaises(ValidationError):
                other.cs_warranty_id = self.warranty_new
        self.assertFalse(other.cs_warranty_id)

    def test_lookup_error_is_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["cs_aftersales"], ["zh_CN"], overwrite=True)
        ticket = self.make_ticket(partner_id=self.other_customer.id)
        ticket.cs_serial_lookup = "CS-SN-NEW"
        with self.assertRaisesRegex(UserError, "不是售给"):
            ticket.with_context(lang="zh_CN").action_cs_lookup_warranty()
        # a label shared with the request models is translated on the repair order too
        field = self.env["ir.model.fields"]._get("repair.order", "cs_ticket_id")
        self.assertEqual(field.with_context(lang="zh_CN").field_description, "工单")

    def test_agent_reads_but_cannot_edit_warranty(self):
        self.assertEqual(self.warranty_new.with_user(self.agent1).date_end, date(2026, 1, 9))
        with self.assertRaises(AccessError):
            self.warranty_new.with_user(self.agent1).write({"warranty_months": 60})

    def test_other_company_warranties_are_hidden(self):
        other = self.env["res.company"].create({"name": "其他公司"})
        foreign = self.env["cs.warranty"].create(
            {
                "company_id": other.id,
                "partner_id": self.other_customer.id,
                "product_id": self.bulb.id,
                "date_start": date(2025, 1, 1),
                "warranty_months": 12,
            }
        )
        visible = self.env["cs.warranty"].with_user(self.agent1).search([])
        self.assertIn(self.warranty_new, visible)
        self.assertNotIn(foreign, visible)
