from odoo import fields, models

# Kinds of after-sales request of the seeds (§3.2-3.4); each is an RMA operation.
KINDS = [
    ("return", "Return"),
    ("exchange", "Exchange"),
    ("repair", "Repair"),
    ("warranty", "Warranty Claim"),
    ("reship", "Reship / Missing Part"),
]


class RmaOperation(models.Model):
    _inherit = "rma.operation"

    kind = fields.Selection(
        KINDS,
        string="After-sales Kind",
        help="Kind of after-sales request this operation stands for. Requests with a kind follow the "
        "after-sales policy (windows, fees, inspection); operations without one behave as plain RMA.",
    )
