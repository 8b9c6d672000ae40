from odoo import fields, models


class CsToolFeedback(models.Model):
    """Opinions of staff and customers on a customer-service tool (seed 004 §8)."""

    _name = "cs.tool.feedback"
    _description = "Tool Feedback"
    _order = "date desc, id desc"

    equipment_id = fields.Many2one(
        "maintenance.equipment", string="Tool", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="equipment_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    source = fields.Selection([("staff", "Staff"), ("customer", "Customer")], required=True, default="staff")
    user_id = fields.Many2one("res.users", string="Given By", default=lambda self: self.env.user)
    partner_id = fields.Many2one("res.partner", string="Customer")
    content = fields.Text(required=True)
    improvement_id = fields.Many2one("cs.improvement.action", string="Improvement Action", readonly=True)

    def action_create_improvement(self):
        self.ensure_one()
        if not self.improvement_id:
            # staff who give feedback may not edit it afterwards: the link is written as the system
            self.sudo().improvement_id = self.env["cs.improvement.action"].create(
                {
                    "name": self.env._("Tool improvement: %s", self.equipment_id.name),
                    "source": "tool",
                    "equipment_id": self.equipment_id.id,
                    "problem": self.content,
                }
            )
        return self.improvement_id._open_form()
