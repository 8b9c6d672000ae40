from odoo import api, fields, models

REPAIR_READERS = "cs_helpdesk.group_agent,stock.group_stock_user"


class CsTicket(models.Model):
    """Repairs and installations requested in a ticket (ticket ⇄ repair order)."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    # repair orders are for agents and the warehouse: analysts read tickets without them
    cs_repair_ids = fields.One2many(
        "repair.order", "cs_ticket_id", string="Repairs / Installations", groups=REPAIR_READERS
    )
    cs_repair_count = fields.Integer(string="Repair Count", compute="_compute_cs_repair_count", groups=REPAIR_READERS)

    @api.depends("cs_repair_ids")
    def _compute_cs_repair_count(self):
        groups = self.env["repair.order"]._read_group([("cs_ticket_id", "in", self.ids)], ["cs_ticket_id"], ["__count"])
        counts = {ticket.id: count for ticket, count in groups}
        for ticket in self:
            ticket.cs_repair_count = counts.get(ticket.id, 0)

    def action_cs_create_repair(self):
        """Open a new repair (or installation, ``cs_service_type`` in the context) order for this ticket."""
        self.ensure_one()
        self.check_access("write")
        service_type = self.env.context.get("cs_service_type") or "repair"
        warranty = self.cs_warranty_id
        context = {
            "default_cs_ticket_id": self.id,
            "default_cs_service_type": service_type,
            "default_partner_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
            "default_priority": "1" if self.priority == "3" else "0",
            "default_internal_notes": self.description or False,
        }
        if warranty:
            context.update(default_product_id=warranty.product_id.id, default_lot_id=warranty.lot_id.id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "repair.order",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    def action_cs_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("cs_ticket_id", "=", self.id)]
        action["context"] = {"default_cs_ticket_id": self.id, "default_partner_id": self.partner_id.id}
        return action

    def _cs_resolved_stage(self):
        """The first resolved (not closed) stage of the ticket's team, else a shared one."""
        self.ensure_one()
        teams = ["|", ("team_ids", "=", False), ("team_ids", "in", self.team_id.ids)]
        stages = self.env["cs.ticket.stage"].search(
            [("is_resolved", "=", True), ("is_closed", "=", False), ("is_cancelled", "=", False), *teams],
            order="sequence, id",
        )
        return stages[:1]
