from odoo import fields, models


class CsAftersalesOverrideWizard(models.TransientModel):
    _name = "cs.aftersales.override.wizard"
    _description = "Override the After-sales Policy"

    rma_ids = fields.Many2many("rma", string="Requests", required=True)
    eligibility_note = fields.Char(related="rma_ids.eligibility_note")
    reason = fields.Text(required=True)

    def action_override(self):
        self.rma_ids._cs_override_eligibility(self.reason)
        return {"type": "ir.actions.act_window_close"}
