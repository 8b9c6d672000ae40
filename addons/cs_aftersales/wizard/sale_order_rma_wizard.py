from odoo import fields, models

from ..models.cs_aftersales_reason import REASON_TYPES


class SaleOrderRmaWizard(models.TransientModel):
    _inherit = "sale.order.rma.wizard"

    def create_rma(self, from_portal=False):
        """Customers may only ask within the policy: the portal refuses what an agent would refuse, and
        each portal request opens an after-sales ticket so the reply SLA (1 working day) runs."""
        rmas = super().create_rma(from_portal=from_portal)
        if from_portal:
            rmas._cs_check_eligibility()
            rmas._cs_open_ticket()
        return rmas


class SaleOrderLineRmaWizard(models.TransientModel):
    _inherit = "sale.order.line.rma.wizard"

    reason_type = fields.Selection(REASON_TYPES)
    lot_id = fields.Many2one("stock.lot", string="Serial / Lot", domain="[('product_id', '=', product_id)]")

    def _prepare_rma_values(self):
        vals = super()._prepare_rma_values()
        if self.reason_type:
            vals["reason_type"] = self.reason_type
        if self.lot_id:
            vals["lot_id"] = self.lot_id.id
        return vals
