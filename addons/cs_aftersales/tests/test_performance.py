from freezegun import freeze_time
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestEligibilityQueries(AftersalesCase):
    def test_eligibility_queries_do_not_grow_per_line(self):
        categories = self.env["product.category"].create([{"name": f"类目{index}"} for index in range(4)])
        products = self.env["product.product"].create(
            [
                {"name": f"商品{index:03d}", "type": "consu", "categ_id": categories[index % 4].id}
                for index in range(200)
            ]
        )
        self.env["cs.aftersales.policy"].create(
            {"name": "类目0", "sequence": 1, "product_categ_ids": categories[0].ids}
        )
        with freeze_time("2026-08-01 02:00:00"):
            order = self._sell(qty=1, products=products, invoice=False)
        moves = order.picking_ids.move_ids
        with freeze_time("2026-08-05 02:00:00"):
            rmas = self.env["rma"].create(
                [
                    {
                        "partner_id": self.customer.id,
                        "order_id": order.id,
                        "picking_id": move.picking_id.id,
                        "move_id": move.id,
                        "product_id": move.product_id.id,
                        "product_uom_qty": 1,
                        "operation_id": self.op_return.id,
                        "reason_type": "quality",
                        "location_id": self.warehouse.rma_loc_id.id,
                    }
                    for move in moves
                ]
            )
        few = rmas[:10].with_user(self.agent)
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        few.mapped("eligibility_note")
        few_count = self.cr.sql_log_count - queries
        self.env.invalidate_all()
        with self.assertQueryCount(few_count):
            notes = rmas.with_user(self.agent).mapped("eligibility_note")
        self.assertEqual(len(notes), 200)
        self.assertTrue(all(rmas.mapped("eligible")))
