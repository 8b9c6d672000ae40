from odoo import fields, models


class CsEmergencyDrill(models.Model):
    _name = "cs.emergency.drill"
    _description = "Emergency Drill"
    _order = "date desc, id desc"
    _check_company_auto = True

    plan_id = fields.Many2one("cs.emergency.plan", required=True, ondelete="cascade", index=True, check_company=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    participant_ids = fields.Many2many("res.users", string="Participants")
    findings = fields.Text()
    improvement_id = fields.Many2one("cs.improvement.action", string="Improvement Action", check_company=True)
