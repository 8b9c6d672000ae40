from odoo import api, fields, models


class CsVipLevel(models.Model):
    """VIP level of a customer (VIP 买家群): names, thresholds and benefits are configured.

    Levels are ordered from the lowest to the highest by sequence.
    """

    _name = "cs.vip.level"
    _description = "VIP Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Lower levels first, the highest last.")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    min_order_count = fields.Integer(
        string="Minimum Orders", help="Purchases needed to reach this level when levels are upgraded automatically."
    )
    min_amount = fields.Monetary(
        string="Minimum Amount", help="Purchase total needed to reach this level when upgraded automatically."
    )
    benefits = fields.Html(translate=True, help="Offers and services of this level, for agents to quote.")
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    _sql_constraints = [
        (
            "thresholds_positive",
            "CHECK (min_order_count >= 0 AND min_amount >= 0)",
            "VIP thresholds cannot be negative.",
        )
    ]

    def _compute_partner_count(self):
        groups = self.env["res.partner"]._read_group(
            [("cs_vip_level_id", "in", self.ids)], ["cs_vip_level_id"], ["__count"]
        )
        counts = {level.id: count for level, count in groups}
        for level in self:
            level.partner_count = counts.get(level.id, 0)

    @api.model
    def _best_for(self, order_count, amount, levels=None):
        """Highest active level whose thresholds ``order_count`` and ``amount`` both meet."""
        levels = self.search([]) if levels is None else levels
        reached = levels.filtered(lambda lv: order_count >= lv.min_order_count and amount >= lv.min_amount)
        return reached[-1:] if reached else self.browse()

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.res_partner_action_cs_customers")
        action["domain"] = [("cs_vip_level_id", "=", self.id)]
        action["context"] = {"default_cs_vip_level_id": self.id}
        return action
