from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CsTicket(models.Model):
    """Warranty lookup by serial number from a ticket (保修查询)."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    cs_serial_lookup = fields.Char(string="Serial Number", help="Serial number given by the customer.")
    cs_warranty_id = fields.Many2one("cs.warranty", string="Warranty", check_company=True, tracking=True)
    cs_warranty_state = fields.Selection(related="cs_warranty_id.state", string="Warranty Status")
    cs_warranty_end = fields.Date(related="cs_warranty_id.date_end", string="Warranty Ends On")

    @api.constrains("cs_warranty_id", "partner_id")
    def _check_cs_warranty_partner(self):
        for ticket in self.filtered("cs_warranty_id"):
            if ticket.cs_warranty_id.partner_id != ticket.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The warranty %(warranty)s belongs to another customer than %(customer)s.",
                        warranty=ticket.cs_warranty_id.display_name,
                        customer=ticket.partner_id.display_name or self.env._("this ticket's customer"),
                    )
                )

    def action_cs_lookup_warranty(self):
        """Find the warranty of the serial number the customer gave; a serial not sold to them is refused."""
        for ticket in self:
            warranty = self.env["cs.warranty"]._lookup_serial(
                ticket.cs_serial_lookup, ticket.partner_id, ticket.company_id
            )
            ticket.cs_warranty_id = warranty
        return True
