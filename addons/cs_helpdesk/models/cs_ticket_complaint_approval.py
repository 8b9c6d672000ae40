from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

from .cs_selections import ESCALATION_LEVELS

APPROVAL_STATES = [
    ("none", "Not Requested"),
    ("pending", "Waiting for Approval"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
APPROVAL_FIELDS = {
    "complaint_approver_id",
    "complaint_approval_date",
    "complaint_approved_amount",
    "complaint_refusal_reason",
}


class CsTicket(models.Model):
    """Escalation of complaints and the manager's approval of their resolution (compensation)."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ complaint: escalation and approval
    complaint_escalation_level = fields.Selection(
        ESCALATION_LEVELS, string="Escalation Level", readonly=True, copy=False, tracking=True
    )
    complaint_escalation_date = fields.Datetime(string="Escalated On", readonly=True, copy=False)
    complaint_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    complaint_compensation = fields.Monetary(
        string="Compensation", currency_field="complaint_currency_id", tracking=True, copy=False
    )
    complaint_needs_approval = fields.Boolean(
        string="Needs Approval",
        tracking=True,
        copy=False,
        help="The resolution needs a manager's approval whatever the compensation.",
    )
    complaint_approval_required = fields.Boolean(
        string="Approval Required", compute="_compute_complaint_approval_required"
    )
    complaint_approval_state = fields.Selection(
        APPROVAL_STATES, string="Approval", default="none", readonly=True, copy=False, tracking=True
    )
    complaint_approver_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    complaint_approval_date = fields.Datetime(string="Decided On", readonly=True, copy=False)
    complaint_approved_amount = fields.Monetary(
        string="Approved Compensation", currency_field="complaint_currency_id", readonly=True, copy=False
    )
    complaint_refusal_reason = fields.Text(string="Refusal Reason", readonly=True, copy=False)

    # ------------------------------------------------------------------ computes
    @api.depends("complaint_state", "complaint_needs_approval", "complaint_compensation", "team_id")
    def _compute_complaint_approval_required(self):
        for ticket in self:
            threshold = ticket.team_id.complaint_approval_amount
            ticket.complaint_approval_required = bool(ticket.complaint_state) and (
                ticket.complaint_needs_approval
                or ticket.complaint_currency_id.compare_amounts(ticket.complaint_compensation, threshold) > 0
            )

    # ------------------------------------------------------------------ approval
    def action_complaint_request_approval(self):
        self._complaint_check_state("reviewed", "investigating")
        not_needed = self.filtered(lambda t: not t.complaint_approval_required)
        if not_needed:
            raise UserError(
                self.env._(
                    "Complaint %(ticket)s needs no approval: tick “Needs Approval” or enter a compensation above "
                    "the team's limit.",
                    ticket=not_needed[0].display_name,
                )
            )
        if any(t.complaint_approval_state in ("pending", "approved") for t in self):
            raise UserError(self.env._("The approval of this resolution is already requested or given."))
        self.write({"complaint_approval_state": "pending"})
        managers = self.env.ref("cs_helpdesk.group_manager").sudo().users.filtered(lambda u: u.active and not u.share)
        for ticket in self:
            recipients = managers.filtered(lambda u, c=ticket.company_id: c in u.company_ids)
            ticket.message_post(
                body=self.env._(
                    "Approval requested for the resolution of this complaint (compensation: %(amount)s).",
                    amount=ticket._complaint_format_amount(ticket.complaint_compensation),
                ),
                partner_ids=recipients.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_complaint_approve(self):
        self._complaint_check_manager()
        pending = self.filtered(lambda t: t.complaint_approval_state == "pending")
        if pending != self:
            raise UserError(self.env._("Only complaints waiting for approval can be approved."))
        for ticket in self:
            ticket.write(
                {
                    "complaint_approval_state": "approved",
                    "complaint_approver_id": self.env.uid,
                    "complaint_approval_date": fields.Datetime.now(),
                    "complaint_approved_amount": ticket.complaint_compensation,
                    "complaint_refusal_reason": False,
                }
            )
        return True

    def action_complaint_refuse(self):
        self._complaint_check_manager()
        if any(t.complaint_approval_state != "pending" for t in self):
            raise UserError(self.env._("Only complaints waiting for approval can be refused."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse the Resolution"),
            "res_model": "cs.complaint.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_ids": self.ids},
        }

    def _complaint_refuse(self, reason):
        self._complaint_check_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the refusal."))
        self.write(
            {
                "complaint_approval_state": "refused",
                "complaint_approver_id": self.env.uid,
                "complaint_approval_date": fields.Datetime.now(),
                "complaint_refusal_reason": reason,
            }
        )
        for ticket in self:
            ticket.message_post(
                body=self.env._("Resolution refused: %(reason)s", reason=reason),
                partner_ids=ticket.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )

    def _complaint_check_manager(self):
        if not (self.env.su or self.env.user.has_group("cs_helpdesk.group_manager")):
            raise AccessError(
                self.env._("Only a customer service manager can approve or refuse a complaint resolution.")
            )

    def _complaint_format_amount(self, amount):
        self.ensure_one()
        return format_amount(self.env, amount, self.complaint_currency_id)
