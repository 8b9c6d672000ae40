from odoo import fields, models


class CsTicketTag(models.Model):
    _name = "cs.ticket.tag"
    _description = "Ticket Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_uniq", "unique (name)", "A tag with this name already exists.")]
