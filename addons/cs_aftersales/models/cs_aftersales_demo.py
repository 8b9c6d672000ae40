from datetime import timedelta

from odoo import Command, api, fields, models


class CsAftersalesDemo(models.AbstractModel):
    """Demo documents that need the stock and accounting flows (deliveries, invoices, requests)."""

    _name = "cs.aftersales.demo"
    _description = "After-sales Demo Data"

    @api.model
    def _create_demo(self):
        ref = self.env.ref
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        products = ref("cs_aftersales.product_kettle_demo") | ref("cs_aftersales.product_earphone_demo")
        products |= ref("cs_aftersales.product_shirt_demo")
        for product in products:
            self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 50)
        now = fields.Datetime.now()
        cases = [
            # (customer, product, qty, days since delivery, kind, reason, state to reach)
            ("cs_helpdesk.partner_1_demo", products[0], 2, 2, "return", "reason_defect", "received"),
            ("cs_helpdesk.partner_2_demo", products[2], 1, 3, "exchange", "reason_size", "confirmed"),
            ("cs_helpdesk.partner_3_demo", products[1], 1, 12, "return", "reason_changed_mind", "draft"),
            ("cs_helpdesk.partner_1_demo", products[1], 1, 1, "reship", "reason_wrong_item", "draft"),
            ("cs_helpdesk.partner_2_demo", products[0], 1, 4, "return", "reason_changed_mind", "refunded"),
        ]
        for partner_xmlid, product, qty, days, kind, reason, state in cases:
            partner = ref(partner_xmlid)
            order = self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
                }
            )
            order.action_confirm()
            picking = order.picking_ids
            picking.move_ids.quantity = qty
            picking.move_ids.picked = True
            picking._action_done()
            picking.date_done = now - timedelta(days=days)
            order._create_invoices().action_post()
            move = picking.move_ids
            rma = self.env["rma"].create(
                {
                    "partner_id": partner.id,
                    "order_id": order.id,
                    "picking_id": picking.id,
                    "move_id": move.id,
                    "product_id": product.id,
                    "product_uom_qty": 1,
                    "operation_id": ref(f"cs_aftersales.rma_operation_{kind}").id,
                    "reason_id": ref(f"cs_aftersales.{reason}").id,
                    "location_id": warehouse.rma_loc_id.id,
                    "user_id": ref("cs_aftersales.user_aftersales_demo").id,
                }
            )
            rma._cs_open_ticket()
            if state == "draft":
                continue
            rma.evidence_attachment_ids = self.env["ir.attachment"].create(
                {"name": "照片.png", "raw": b"demo", "res_model": "rma", "res_id": rma.id}
            )
            rma.action_confirm()
            if state == "confirmed":
                rma.customer_tracking_ref = "SF1300000001"
                continue
            reception = rma.reception_move_id
            reception.quantity = reception.product_uom_qty
            reception.picked = True
            reception.picking_id._action_done()
            if state == "refunded":
                rma.inspection_note = "外观完好，配件齐全"
                rma.action_inspect_pass()
