from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    cs_ticket_ids = fields.One2many("cs.ticket", "partner_id", string="Tickets")
    cs_ticket_count = fields.Integer(string="Ticket Count", compute="_compute_cs_ticket_count")

    def _compute_cs_ticket_count(self):
        groups = self.env["cs.ticket"]._read_group(
            [("partner_id", "child_of", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.cs_ticket_count = sum(
                count for pid, count in counts.items() if pid in (partner | partner.child_ids).ids
            )

    def action_view_cs_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_ticket_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
