from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    cs_review_ids = fields.One2many("cs.order.review", "sale_order_id", string="Reviews")
    cs_review_count = fields.Integer(string="Review Count", compute="_compute_cs_review_count", compute_sudo=True)

    def _compute_cs_review_count(self):
        groups = self.env["cs.order.review"]._read_group(
            [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
        )
        counts = {order.id: count for order, count in groups}
        for order in self:
            order.cs_review_count = counts.get(order.id, 0)

    def action_cs_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_aftersales.cs_order_review_action")
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"default_sale_order_id": self.id}
        return action
