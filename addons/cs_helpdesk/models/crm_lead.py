from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    cs_ticket_id = fields.Many2one(
        "cs.ticket",
        string="Consultation Ticket",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="Pre-sales consultation this opportunity comes from.",
    )

    def action_view_cs_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.ticket",
            "res_id": self.cs_ticket_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
