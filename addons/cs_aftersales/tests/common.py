from contextlib import contextmanager

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user


class AftersalesCase(TransactionCase):
    """A sold, delivered and invoiced order, and a user per after-sales role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        env["cs.aftersales.policy"].search([]).active = False
        cls.policy = env["cs.aftersales.policy"].create({"name": "Test policy", "return_days": 7, "exchange_days": 7})
        cls.customer = env["res.partner"].create({"name": "李四", "email": "lisi@example.com", "tz": "Asia/Shanghai"})
        cls.product = env["product.product"].create(
            {"name": "电水壶", "type": "consu", "is_storable": True, "list_price": 199.0, "invoice_policy": "delivery"}
        )
        env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 100)
        cls.op_return = env.ref("cs_aftersales.rma_operation_return")
        cls.op_exchange = env.ref("cs_aftersales.rma_operation_exchange")
        cls.agent = new_test_user(
            env,
            "as_agent",
            groups="cs_helpdesk.group_agent,rma.rma_group_user_all,sales_team.group_sale_salesman_all_leads",
            email="agent@example.com",
        )
        cls.warehouse_user = new_test_user(env, "as_stock", groups="stock.group_stock_user,rma.rma_group_user_all")
        cls.finance = new_test_user(env, "as_finance", groups="account.group_account_invoice,rma.rma_group_user_own")
        cls.manager = new_test_user(env, "as_manager", groups="cs_helpdesk.group_agent,rma.rma_group_manager")

    @contextmanager
    def assertUserError(self, regex):
        """assertRaisesRegex without Odoo's savepoint would keep what the failed call wrote."""
        with self.assertRaises(UserError) as catcher:
            yield
        self.assertRegex(str(catcher.exception), regex)

    @classmethod
    def _sell(cls, qty=2, price=100.0, partner=None, deliver=True, invoice=True, products=None):
        products = products or cls.product
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": qty, "price_unit": price}) for p in products
                ],
            }
        )
        order.action_confirm()
        if deliver:
            picking = order.picking_ids
            picking.move_ids.quantity = qty
            picking.move_ids.picked = True
            picking._action_done()
        if deliver and invoice:
            order._create_invoices().action_post()
        return order

    def _request(self, order, kind="return", qty=1, user=None, **vals):
        move = self._delivery(order).move_ids[:1]
        values = {
            "partner_id": order.partner_id.id,
            "order_id": order.id,
            "picking_id": move.picking_id.id,
            "move_id": move.id,
            "product_id": move.product_id.id,
            "product_uom_qty": qty,
            "product_uom": move.product_uom.id,
            "operation_id": (self.op_return if kind == "return" else self.op_exchange).id,
            "reason_type": "quality",
            "location_id": self.warehouse.rma_loc_id.id,
        }
        if "reason_id" in vals:
            values.pop("reason_type")
        values.update(vals)
        rma = self.env["rma"].with_user(user or self.agent).create(values)
        return rma

    @staticmethod
    def _receive(rma):
        move = rma.sudo().reception_move_id
        move.quantity = move.product_uom_qty
        move.picked = True
        move.picking_id._action_done()

    @staticmethod
    def _delivery(order):
        """The order's outgoing delivery, never a return picking (they may sort before it by scheduled date)."""
        return order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")

    @classmethod
    def _set_delivery_date(cls, order, when):
        cls._delivery(order).write({"date_done": fields.Datetime.to_datetime(when)})
