from odoo import models


class Rma(models.Model):
    """A repair made from an after-sales request (OCA rma_repair) belongs to the request's ticket."""

    _inherit = "rma"  # pylint: disable=consider-merging-classes-inherited

    def _get_repair_order_default_vals(self):
        values = super()._get_repair_order_default_vals()
        if self.ticket_id:
            values["default_cs_ticket_id"] = self.ticket_id.id
        return values
