from odoo import api, fields, models


class Rma(models.Model):
    """The serial/lot a request is about, checked against what was delivered to the customer.

    OCA's ``rma_lot`` adds the same field, but it pulls ``stock_restrict_lot`` and
    ``stock_picking_return_restricted_qty`` into the whole suite (changing reservations and the core
    return wizard) and offers the lots in our own stock, not those the customer holds. Named ``lot_id``
    like there, so switching to ``rma_lot`` later keeps the column.
    """

    _inherit = "rma"  # pylint: disable=consider-merging-classes-inherited

    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial / Lot",
        domain="[('product_id', '=', product_id)]",
        check_company=True,
        index="btree_not_null",
        tracking=True,
        help="Serial or lot number of the unit concerned; it must have been delivered to this customer.",
    )

    @api.constrains("lot_id", "partner_id", "product_id", "operation_id")
    def _check_cs_lot_delivered(self):
        """A serial/lot not delivered to this customer is refused with the warranty lookup's own check."""
        Warranty = self.env["cs.warranty"]
        for rma in self.filtered(lambda r: r.kind and r.lot_id):
            Warranty._lookup_serial(rma.lot_id.name, rma.partner_id, rma.company_id, product=rma.product_id)
