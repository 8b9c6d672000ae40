from odoo import fields, models


class CsTicketCategory(models.Model):
    _name = "cs.ticket.category"
    _inherit = ["cs.category.mixin"]
    _description = "Ticket Category"

    parent_id = fields.Many2one("cs.ticket.category", string="Parent Category", ondelete="cascade", index=True)
    child_ids = fields.One2many("cs.ticket.category", "parent_id", string="Subcategories")
