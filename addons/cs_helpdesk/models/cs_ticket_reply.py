from datetime import timedelta

from odoo import api, fields, models

from .cs_selections import SLA_STATUSES

DEFAULT_REOPEN_DAYS = 7  # a customer reply within this many days reopens a resolved ticket (team setting)


class CsTicket(models.Model):
    """Conversations: what a customer's reply does to a ticket, and the first response of an agent."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    user_agent_number = fields.Char(related="user_id.cs_agent_number", string="Agent Number")
    origin_ticket_id = fields.Many2one(
        "cs.ticket",
        string="Follow-up Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The closed ticket the customer wrote to again: the new request is handled in this ticket.",
    )
    previous_sla_status = fields.Selection(
        SLA_STATUSES,
        string="Previous SLA Outcome",
        readonly=True,
        copy=False,
        help="SLA status of the ticket when it was last reopened.",
    )
    previous_resolved_date = fields.Datetime(
        string="Previously Resolved On",
        readonly=True,
        copy=False,
        help="When the ticket was resolved before its last reopening.",
    )

    # ------------------------------------------------------------------ messages
    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if len(self) == 1 and message.message_type in ("comment", "email") and not message.is_internal:
            if message.subtype_id == self.env.ref("mail.mt_comment"):
                staff = self._cs_staff_users(message.author_id)
                if staff:
                    if staff.filtered("active") and message.author_id != self.partner_id:
                        self._cs_first_response(message)
                elif not self.env.context.get("cs_customer_closing"):
                    self._cs_customer_replied(message)
        return res

    @api.model
    def _cs_staff_users(self, author):
        """Internal users of ``author``, archived ones included (OdooBot, automated posts): not customers.

        An active one replying counts as an agent's reply, from the chatter or by email from the agent's
        address, unless the ticket is their own (web form or email sent by an employee as a customer).
        """
        return author.with_context(active_test=False).user_ids.filtered(lambda user: not user.share)

    def _cs_first_response(self, message):
        if self.first_response_date:
            return
        when = fields.Datetime.now()  # when it reached the ticket, whatever the Date header of an email says
        self.sudo().first_response_date = when
        self.sudo().sla_ids.filtered(lambda s: s.kind == "first_response")._reach(when)

    def _cs_customer_replied(self, message):
        """A customer wrote: resume a waiting ticket, reopen a recently resolved one, else open a follow-up.

        As superuser: the customer writes from the portal or by email and may not edit the ticket.
        """
        ticket = self.sudo()
        if ticket.is_closed:
            ticket._cs_open_follow_up(message)
        elif ticket.is_resolved:
            days = ticket.team_id.reopen_days if ticket.team_id else DEFAULT_REOPEN_DAYS
            now = fields.Datetime.now()
            if now - (ticket.resolved_date or now) <= timedelta(days=days):
                ticket.action_reopen()
            else:
                ticket._cs_open_follow_up(message)
        elif ticket.stage_id.is_waiting:
            ticket.write({"stage_id": self._in_progress_stage(ticket.team_id).id})

    def _cs_open_follow_up(self, message):
        """A new ticket for the customer's new ``message``, linked to this one (which stays as it is)."""
        self.ensure_one()
        follow_up = self.create(
            {
                "name": self.name,
                "partner_id": self.partner_id.id,
                "email_from": self.email_from,
                "partner_phone": self.partner_phone,
                "company_id": self.company_id.id,
                "team_id": self.team_id.id,
                "type_id": self.type_id.id,
                "category_id": self.category_id.id,
                "channel_id": self.channel_id.id,
                "priority": self.priority,
                "origin_ticket_id": self.id,
                "description": message.body,
            }
        )
        attachments = message.attachment_ids
        follow_up.message_post(
            body=message.body,
            author_id=message.author_id.id,
            email_from=message.email_from,
            message_type=message.message_type,
            subtype_xmlid="mail.mt_comment",
            attachment_ids=[attachment.copy({"res_id": follow_up.id}).id for attachment in attachments],
        )
        self._message_log(
            body=self.env._("The customer wrote again: follow-up ticket %(ticket)s.", ticket=follow_up.display_name)
        )
        return follow_up
