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

    def action_cs_create_rma(self):
        """Open a new after-sales request for this ticket; the ticket takes the after-sales type and the
        return/exchange category when it has none, so the 1-working-day reply SLA applies."""
        self.ensure_one()
        defaults = {}
        for field, xmlid in (
            ("type_id", "cs_helpdesk.type_aftersales"),
            ("category_id", "cs_helpdesk.category_return_exchange"),
        ):
            if not self[field]:
                defaults[field] = self.env.ref(xmlid).id
        if defaults:
            self.write(defaults)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("After-sales Request"),
            "res_model": "rma",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_ticket_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_company_id": self.company_id.id,
                "default_operation_id": self.env.ref("cs_aftersales.rma_operation_return").id,
            },
        }

    def action_view_rmas(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rma.rma_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "default_partner_id": self.partner_id.id}
        return action
