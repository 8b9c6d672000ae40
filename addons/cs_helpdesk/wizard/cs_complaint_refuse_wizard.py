from odoo import fields, models


class CsComplaintRefuseWizard(models.TransientModel):
    """A manager refuses the resolution of one or more complaints, with the reason the handler will read."""

    _name = "cs.complaint.refuse.wizard"
    _description = "Refuse a Complaint Resolution"

    ticket_ids = fields.Many2many("cs.ticket", string="Complaints", required=True)
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.ticket_ids._complaint_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
