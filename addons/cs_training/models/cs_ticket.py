from odoo import models
from odoo.tools import format_list


class CsTicket(models.Model):
    _inherit = "cs.ticket"

    def write(self, vals):
        res = super().write(vals)
        if vals.get("complaint_state") == "archived":
            self._incentive_draft_complaint_penalties()
        return res

    def _incentive_draft_complaint_penalties(self):
        """An archived complaint attributed to agents drafts the complaint fine for their employees (N31)."""
        # the person archiving the complaint may have no right on incentives: these drafts are the system's
        Rule = self.env["cs.incentive.rule"].sudo()
        Record = self.env["cs.incentive.record"].sudo()
        for ticket in self.filtered(lambda t: t.complaint_state == "archived" and t.complaint_user_ids):
            rule = Rule.search(
                [("automatic_source", "=", "complaint"), ("company_id", "=", ticket.company_id.id)],
                order="sequence, id",
                limit=1,
            )
            employees = (
                self.env["hr.employee"]
                .sudo()
                .search([("user_id", "in", ticket.complaint_user_ids.ids), ("company_id", "=", ticket.company_id.id)])
            )
            if rule and employees:
                drafts = Record._draft_from_source(
                    rule, employees, ticket, note=self.env._("Complaint %(ticket)s", ticket=ticket.display_name)
                )
                if drafts:
                    ticket._message_log(
                        body=self.env._(
                            "Complaint fine drafted for: %(employees)s.",
                            employees=format_list(self.env, drafts.employee_id.mapped("name")),
                        )
                    )
