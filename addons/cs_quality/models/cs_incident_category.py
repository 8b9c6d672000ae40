from odoo import fields, models


class CsIncidentCategory(models.Model):
    _name = "cs.incident.category"
    _description = "Incident Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    plan_ids = fields.Many2many(
        "cs.emergency.plan", "cs_emergency_plan_category_rel", "category_id", "plan_id", string="Emergency Plans"
    )
