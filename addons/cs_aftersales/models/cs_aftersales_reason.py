from odoo import fields, models

REASON_TYPES = [("quality", "Quality Problem"), ("non_quality", "Non-quality (Personal Reason)")]


class CsAftersalesReason(models.Model):
    _name = "cs.aftersales.reason"
    _description = "After-sales Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    reason_type = fields.Selection(REASON_TYPES, required=True, default="quality")
    evidence_required = fields.Boolean(
        string="Photos Required", help="The request cannot be approved without at least one evidence photo."
    )

    _sql_constraints = [("code_uniq", "unique(code)", "The reason code must be unique.")]
