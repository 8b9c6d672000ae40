from odoo import api, fields, models


class CsTicket(models.Model):
    _inherit = "cs.ticket"

    rma_ids = fields.One2many("rma", "ticket_id", string="After-sales Requests")
    rma_count = fields.Integer(string="After-sales Request Count", compute="_compute_rma_count")

    @api.depends("rma_ids")
    def _compute_rma_count(self):
        counts = dict(self.env["rma"]._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]))
        for ticket in self:
            ticket.rma_count = counts.get(ticket, 0)

    def action_view_rmas(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rma.rma_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "default_partner_id": self.partner_id.id}
        return action
