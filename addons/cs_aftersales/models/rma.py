from odoo import fields, models


class Rma(models.Model):
    _inherit = "rma"

    kind = fields.Selection(related="operation_id.kind", store=True, index=True, string="Kind")
    ticket_id = fields.Many2one(
        "cs.ticket", string="Ticket", index="btree_not_null", tracking=True, check_company=True, copy=False
    )
