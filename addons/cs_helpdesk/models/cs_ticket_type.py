from odoo import fields, models


class CsTicketType(models.Model):
    _name = "cs.ticket.type"
    _description = "Ticket Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    code = fields.Selection(
        [
            ("consultation", "Consultation"),
            ("complaint", "Complaint"),
            ("suggestion", "Suggestion"),
            ("aftersales", "After-sales"),
            ("parcel", "Parcel Inquiry"),
            ("other", "Other"),
        ],
        default="other",
        required=True,
        help="Behaviour shared by the types of one kind, e.g. the complaint handling steps.",
    )
    description = fields.Text(translate=True)
