from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CsTicket(models.Model):
    """Parcel inquiries (查件): the ticket's sale order, its deliveries, carriers and tracking references."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    cs_sale_order_id = fields.Many2one(
        "sale.order", string="Sale Order", index="btree_not_null", check_company=True, tracking=True
    )
    cs_parcel_reference = fields.Char(
        string="Order or Tracking Number", help="Order number or parcel tracking number given by the customer."
    )
    cs_picking_ids = fields.Many2many(
        "stock.picking", string="Deliveries", compute="_compute_cs_picking_ids", search="_search_cs_picking_ids"
    )
    cs_delivery_status = fields.Selection(related="cs_sale_order_id.delivery_status", string="Delivery Status")

    @api.depends("cs_sale_order_id.picking_ids")
    def _compute_cs_picking_ids(self):
        for ticket in self:
            ticket.cs_picking_ids = ticket.cs_sale_order_id.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing"
            )

    def _search_cs_picking_ids(self, operator, value):
        return [("cs_sale_order_id.picking_ids", operator, value)]

    @api.constrains("cs_sale_order_id", "partner_id")
    def _check_cs_sale_order_partner(self):
        for ticket in self.filtered(lambda t: t.cs_sale_order_id and t.partner_id):
            if ticket.cs_sale_order_id.partner_id.commercial_partner_id != ticket.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s is not an order of %(customer)s.",
                        order=ticket.cs_sale_order_id.name,
                        customer=ticket.partner_id.display_name,
                    )
                )

    def action_cs_find_parcel(self):
        """Find the order from the number the customer gives: an order number or a tracking number."""
        for ticket in self:
            reference = (ticket.cs_parcel_reference or "").strip()
            if not reference:
                raise UserError(self.env._("Enter the order or tracking number given by the customer."))
            company = [("company_id", "=", ticket.company_id.id)]
            orders = self.env["sale.order"].search(
                ["|", ("name", "=ilike", reference), ("client_order_ref", "=ilike", reference), *company]
            )
            if not orders:
                pickings = self.env["stock.picking"].search([("carrier_tracking_ref", "=", reference), *company])
                orders = pickings.sale_id
            if not orders:
                raise UserError(self.env._("No order or parcel has the number “%(reference)s”.", reference=reference))
            if ticket.partner_id:
                orders = orders.filtered(
                    lambda o, t=ticket: o.partner_id.commercial_partner_id == t.partner_id.commercial_partner_id
                )
                if not orders:
                    raise UserError(
                        self.env._(
                            "“%(reference)s” is not an order or parcel of %(customer)s.",
                            reference=reference,
                            customer=ticket.partner_id.display_name,
                        )
                    )
            values = {"cs_sale_order_id": orders[:1].id}
            if not ticket.partner_id:
                values["partner_id"] = orders[:1].partner_id.id
            ticket.write(values)
        return True
