from odoo import fields, models


class CsQaAppealWizard(models.TransientModel):
    _name = "cs.qa.appeal.wizard"
    _description = "Appeal a QA Review"

    review_id = fields.Many2one("cs.qa.review", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_appeal(self):
        self.ensure_one()
        self.review_id.action_appeal(self.reason)
        return {"type": "ir.actions.act_window_close"}
