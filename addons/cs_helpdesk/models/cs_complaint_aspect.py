from odoo import fields, models


class CsComplaintAspect(models.Model):
    """What the customer is dissatisfied with (服务态度, 响应速度, 商品质量, 物流, 退换货, ...)."""

    _name = "cs.complaint.aspect"
    _description = "Complaint Aspect"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True, help="Which complaints belong to this aspect, for consistent reporting.")
