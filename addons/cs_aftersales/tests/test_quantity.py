import psycopg2.errors
from freezegun import freeze_time
from odoo import api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestQuantity(AftersalesCase):
    def test_partial_and_repeated_returns(self):
        with freeze_time("2026-04-01 08:00:00"):
            order = self._sell(qty=3)
            first = self._request(order, qty=2)
            with self.assertUserError("at most 1.0 Units can still be returned"):
                self._request(order, qty=2)
            second = self._request(order, qty=1)
            with self.assertRaises(UserError):
                second.with_user(self.agent).product_uom_qty = 2
            first.with_user(self.agent).action_cancel()
            second.with_user(self.agent).product_uom_qty = 3
            with self.assertRaises(UserError):
                first.with_user(self.agent).action_draft()
        self.assertEqual(first.state, "cancelled")

    def test_repairs_may_come_again(self):
        """A repaired unit goes back to the customer: repair requests do not use up the returnable quantity."""
        order = self._sell(qty=1)
        repair = self.env.ref("cs_aftersales.rma_operation_repair")
        self._request(order, operation_id=repair.id)
        self._request(order, operation_id=repair.id)
        self._request(order, qty=1)
        with self.assertUserError("at most 0.0"):
            self._request(order, qty=1)

    def test_plain_return_counts(self):
        """A return made with the core wizard outside RMA also takes the quantity back."""
        order = self._sell(qty=2)
        picking = order.picking_ids
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.quantity = 2
        wizard.action_create_returns()
        with self.assertUserError("at most 0.0"):
            self._request(order, qty=1)


@tagged("post_install", "-at_install")
class TestQuantityConcurrency(BaseCase):
    """Two agents on the same delivery at once, in two real transactions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
            partner = env["res.partner"].create({"name": "并发测试客户"})
            product = env["product.product"].create({"name": "并发测试商品", "type": "consu"})
            picking = env["stock.picking"].create(
                {
                    "partner_id": partner.id,
                    "picking_type_id": warehouse.out_type_id.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": env.ref("stock.stock_location_customers").id,
                    "move_ids": [
                        (0, 0, {"name": product.name, "product_id": product.id, "product_uom_qty": 3,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": env.ref("stock.stock_location_customers").id})
                    ],
                }
            )  # fmt: skip
            picking.action_confirm()
            picking.move_ids.quantity = 3
            picking.move_ids.picked = True
            picking._action_done()
            cls.reship_operation_id = env.ref("cs_aftersales.rma_operation_reship").id
            cls.ids = {"partner": partner.id, "product": product.id, "picking": picking.id, "move": picking.move_ids.id}
            cls.vals = {
                "partner_id": partner.id,
                "picking_id": picking.id,
                "move_id": picking.move_ids.id,
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": 2,
                "operation_id": env.ref("cs_aftersales.rma_operation_return").id,
                "reason_type": "quality",
                "location_id": warehouse.rma_loc_id.id,
            }
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["rma"].search([("move_id", "=", cls.ids["move"])]).unlink()
            for table, column, value in (
                ("stock_valuation_layer", "product_id", cls.ids["product"]),
                ("stock_move_line", "product_id", cls.ids["product"]),
                ("stock_move", "product_id", cls.ids["product"]),
                ("stock_quant", "product_id", cls.ids["product"]),
                ("stock_picking", "id", cls.ids["picking"]),
            ):
                cr.execute(SQL("DELETE FROM %s WHERE %s = %s", SQL.identifier(table), SQL.identifier(column), value))
            env["product.product"].browse(cls.ids["product"]).product_tmpl_id.unlink()
            env["res.partner"].browse(cls.ids["partner"]).unlink()

    def test_two_agents_cannot_exceed(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, api.SUPERUSER_ID, {})
            env2 = api.Environment(cr2, api.SUPERUSER_ID, {})
            env2["rma"].search_count([])  # the second transaction's snapshot starts before the first commits
            env1["rma"].create(dict(self.vals))  # agent 1 holds the delivery line until commit
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.LockNotAvailable):
                env2["rma"].create(dict(self.vals))
            cr2.rollback()
            cr1.commit()
            # Odoo retries the request of agent 2: now it sees agent 1's request and refuses the excess.
            with self.assertRaisesRegex(UserError, "at most 1.0"):
                env2["rma"].create(dict(self.vals))
            cr2.rollback()
            env2["rma"].create(dict(self.vals, product_uom_qty=1))
            cr2.commit()
        with self.registry.cursor() as cr:
            rmas = api.Environment(cr, api.SUPERUSER_ID, {})["rma"].search([("move_id", "=", self.ids["move"])])
            self.assertEqual(sorted(rmas.mapped("product_uom_qty")), [1.0, 2.0])

    def test_two_reships_cannot_exceed(self):
        """Reships (补发) are capped under the same row lock: at most what was delivered, across agents."""
        reship = dict(self.vals, operation_id=self.reship_operation_id)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, api.SUPERUSER_ID, {})
            env2 = api.Environment(cr2, api.SUPERUSER_ID, {})
            env2["rma"].search_count([])
            env1["rma"].create(dict(reship))
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.LockNotAvailable):
                env2["rma"].create(dict(reship))
            cr2.rollback()
            cr1.commit()
            with self.assertRaisesRegex(UserError, "at most 1.0 Units can still be reshipped"):
                env2["rma"].create(dict(reship))
            cr2.rollback()
        with self.registry.cursor() as cr:
            api.Environment(cr, api.SUPERUSER_ID, {})["rma"].search([("move_id", "=", self.ids["move"])]).unlink()

    def test_stale_snapshot_is_retried(self):
        """Agent 2 read before agent 1 committed: serialization failure (retried), never a stale sum."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, api.SUPERUSER_ID, {})
            env2 = api.Environment(cr2, api.SUPERUSER_ID, {})
            env2["rma"].search_count([])
            env1["rma"].create(dict(self.vals))
            cr1.commit()
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.SerializationFailure):
                env2["rma"].create(dict(self.vals))
            cr2.rollback()
        with self.registry.cursor() as cr:
            api.Environment(cr, api.SUPERUSER_ID, {})["rma"].search([("move_id", "=", self.ids["move"])]).unlink()
