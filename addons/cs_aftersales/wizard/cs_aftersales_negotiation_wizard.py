from odoo import fields, models

from ..models.rma_inspection import NEGOTIATION_OUTCOMES


class CsAftersalesNegotiationWizard(models.TransientModel):
    _name = "cs.aftersales.negotiation.wizard"
    _description = "Record the Negotiation Outcome"

    rma_id = fields.Many2one("rma", string="Request", required=True)
    outcome = fields.Selection(NEGOTIATION_OUTCOMES, required=True)
    amount = fields.Float(string="Agreed Refund", digits="Product Price")
    note = fields.Text()

    def action_confirm(self):
        self.rma_id.action_negotiation_done(self.outcome, amount=self.amount, note=self.note)
        return {"type": "ir.actions.act_window_close"}
