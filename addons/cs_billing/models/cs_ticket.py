from odoo import api, fields, models

from .res_partner import AGENT


class CsTicket(models.Model):
    _inherit = "cs.ticket"

    cs_fee_ids = fields.One2many("cs.fee", "ticket_id", string="Service Fees")
    cs_fee_count = fields.Integer(string="Fee Count", compute="_compute_cs_fee_count")
    cs_fee_total = fields.Monetary(
        string="Fees Total", compute="_compute_cs_fee_count", currency_field="cs_currency_id"
    )
    cs_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    # what the agent on the phone needs from billing, read from the customer (amounts only)
    cs_open_invoice_count = fields.Integer(related="partner_id.cs_open_invoice_count", groups=AGENT)
    cs_overdue_amount = fields.Monetary(
        related="partner_id.cs_overdue_amount", groups=AGENT, currency_field="cs_currency_id"
    )
    cs_dunning_level = fields.Integer(related="partner_id.cs_dunning_level", groups=AGENT)
    cs_service_status = fields.Selection(
        related="partner_id.commercial_partner_id.cs_service_status", string="Service Status"
    )

    @api.depends("cs_fee_ids.price_total", "cs_fee_ids.state")
    def _compute_cs_fee_count(self):
        data = {
            ticket: (count, total)
            for ticket, count, total in self.env["cs.fee"]._read_group(
                [("ticket_id", "in", self.ids), ("state", "not in", ("cancelled", "waived"))],
                ["ticket_id"],
                ["__count", "price_total:sum"],
            )
        }
        for ticket in self:
            ticket.cs_fee_count, ticket.cs_fee_total = data.get(ticket, (0, 0.0))

    def write(self, vals):
        resolved_before = self.filtered("is_resolved") if "stage_id" in vals else self
        res = super().write(vals)
        if "stage_id" in vals:
            (self.filtered("is_resolved") - resolved_before)._cs_apply_auto_fees()
        return res

    def _cs_apply_auto_fees(self):
        """Draft fees of the automatic fee standards, once per ticket and standard."""
        Fee = self.env["cs.fee"].sudo()
        existing = set(Fee.search([("ticket_id", "in", self.ids)]).mapped(lambda f: (f.ticket_id.id, f.rule_id.id)))
        vals_list = []
        for ticket in self.filtered("partner_id"):
            for rule in self.env["cs.fee.rule"].sudo()._match(ticket=ticket).filtered("auto_apply"):
                if (ticket.id, rule.id) not in existing:
                    vals_list.append(
                        {
                            "ticket_id": ticket.id,
                            "partner_id": ticket.partner_id.id,
                            "rule_id": rule.id,
                            "company_id": ticket.company_id.id,
                            "user_id": ticket.user_id.id,
                        }
                    )
        return Fee.create(vals_list)

    def action_cs_add_fee(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Add Fee"),
            "res_model": "cs.fee",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_ticket_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_company_id": self.company_id.id,
            },
        }

    def action_cs_view_fees(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_billing.cs_fee_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "default_partner_id": self.partner_id.id}
        return action
