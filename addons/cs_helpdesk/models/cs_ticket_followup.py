from datetime import timedelta

from odoo import api, fields, models

FOLLOWUP_STATUS = [
    ("none", "None"),
    ("planned", "Planned"),
    ("satisfied", "Satisfied"),
    ("unsatisfied", "Not Satisfied"),
    ("unreachable", "Stopped: Unreachable"),
]
FOLLOWUP_DONE = ("satisfied", "unreachable")
FOLLOWUP_DONE = ("satisfied", "unreachable")


class CsTicket(models.Model):
    """Return visits (回访) planned when tickets are resolved."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ return visits
    followup_ids = fields.One2many("cs.followup", "ticket_id", string="Return Visits")
    followup_count = fields.Integer(string="Return Visit Count", compute="_compute_followup_count")
    followup_status = fields.Selection(
        FOLLOWUP_STATUS,
        string="Return Visit",
        compute="_compute_followup_status",
        store=True,
        index="btree_not_null",
        copy=False,
    )

    # ------------------------------------------------------------------ computes
    def _compute_followup_count(self):
        groups = self.env["cs.followup"]._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        counts = {ticket.id: count for ticket, count in groups}
        for ticket in self:
            ticket.followup_count = counts.get(ticket.id, 0)

    @api.depends("followup_ids.state", "followup_ids.result", "followup_ids.date_done")
    def _compute_followup_status(self):
        for ticket in self:
            visits = ticket.followup_ids.filtered(lambda v: v.state != "cancelled")
            if not visits:
                ticket.followup_status = "none"
            elif "planned" in visits.mapped("state"):
                ticket.followup_status = "planned"
            else:
                last = visits.sorted(lambda v: (v.date_done or v.date_planned, v.id))[-1]
                ticket.followup_status = last.result

    # ------------------------------------------------------------------ return visits
    def _followup_plan(self, now):
        """Plan a return visit for resolved complaints (always) and tickets of teams that want one.

        A visit already planned (after a not-satisfied visit reopened the ticket) is kept and
        moved after this new resolution instead of being doubled.
        """
        tickets = self.filtered(lambda t: t.complaint_state or t.team_id.followup_on_resolve)
        if not tickets:
            return
        Followup = self.env["cs.followup"].sudo()
        planned = Followup.search([("ticket_id", "in", tickets.ids), ("state", "=", "planned")]).grouped("ticket_id")
        to_create = []
        for ticket in tickets:
            date = now + timedelta(days=ticket.team_id.followup_delay_days)
            visits = planned.get(ticket)
            if visits:
                visits.filtered(lambda v, d=date: v.date_planned < d).write({"date_planned": date})
                continue
            to_create.append(
                {
                    "ticket_id": ticket.id,
                    "company_id": ticket.company_id.id,
                    "user_id": (ticket.user_id or ticket.team_id.leader_id).id,
                    "method": ticket.team_id.followup_method or "phone",
                    "date_planned": date,
                }
            )
        Followup.create(to_create)

    def action_view_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_followup_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "search_default_planned": 0}
        return action

    def action_plan_followup(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan a Return Visit"),
            "res_model": "cs.followup",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id, "default_user_id": (self.user_id or self.env.user).id},
        }
