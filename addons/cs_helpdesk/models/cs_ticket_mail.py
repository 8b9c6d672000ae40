import json

from markupsafe import Markup
from odoo import api, fields, models, tools
from odoo.http import request
from odoo.tools import SQL

from .cs_settings import get_bool_param


class CsTicket(models.Model):
    """Mail of tickets: the mail gateway (an email opens a ticket), replies and suggested recipients."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    def _detect_loop_sender_domain(self, email_from_normalized):
        # a sender without an address cannot be an auto-replier looping back to the alias; without this, every
        # recent ticket without an email (phone, chat, web) would count as "created by that sender"
        if not email_from_normalized:
            return []
        return super()._detect_loop_sender_domain(email_from_normalized)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Mail gateway: a new email becomes a ticket of the alias's team.

        The customer is found by email or created (a contact of the team's company
        or a shared one), so the chatter thread and the portal show the ticket to
        the right person and the email is posted as written by that customer.
        """
        values = dict(custom_values or {})
        team = self.env["cs.ticket.team"].browse(values.get("team_id")).exists()
        if team:
            values.setdefault("company_id", team.company_id.id)
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        email = msg_dict.get("email_from") or msg_dict.get("from")
        if email and not tools.email_normalize(email):
            # a From without address (a name only): keep the mail as a ticket of an unknown sender, lose nothing
            values.setdefault("partner_name", email.strip())
            email = False
            self = self.with_context(cs_sender_unknown=True)
        partner = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if partner.company_id and partner.company_id != company:
            partner = self.env["res.partner"]
        if not partner and email:
            partner = self._mail_find_partner_from_emails(
                [email], force_create=True, extra_domain=[("company_id", "in", [False, company.id])]
            )[0]
            if not msg_dict.get("author_id"):
                msg_dict["author_id"] = partner.id  # the email is then posted as written by the customer
        email_channel = self.env.ref("cs_helpdesk.channel_email", raise_if_not_found=False)
        if not email_channel:
            email_channel = self.env["cs.ticket.channel"].search([("channel_type", "=", "email")], limit=1)
        values.setdefault("name", (msg_dict.get("subject") or "").strip() or self.env._("No Subject"))
        values.setdefault("partner_id", partner.id)
        values.setdefault("email_from", email)
        values.setdefault("channel_id", email_channel.id)
        values.setdefault("description", msg_dict.get("body"))
        # the customer follows the ticket (see create); the user running the gateway does not
        Ticket = super(CsTicket, self.with_context(cs_log_creation=True))
        if email:
            return Ticket.message_new(msg_dict, custom_values=values)
        # mail.thread copies the sender into the email field; without address the message keeps it alone
        return Ticket.message_new(dict(msg_dict, email_from=False), custom_values=values)

    def _notify_thread_by_email(self, message, recipients_data, msg_vals=False, **kwargs):
        """Nobody waits for the emails of ticket messages (an agent's reply to the customer, a customer's
        reply to the team).

        Posted in the web client or the portal, the emails are not even rendered within the request:
        Odoo's queue of scheduled notifications (``mail.message.schedule``, for messages posted with a
        ``scheduled_date``) takes the message and its cron, woken at once, notifies it as Odoo does,
        skipping the colleagues already notified in their inbox here. Rendering a notification email (the
        layout, the customer's access link, the references) is a third of an agent's reply.

        Elsewhere (that cron, other crons, the mail gateway) the emails are queued and the email queue's
        cron is woken to send them: Odoo would send them within the posting transaction, after its commit,
        waiting for the mail server (often a second or more, a time-out when it is down), or leave them
        to the queue's hourly run when a cron posted them. The cron retries failures, and the chatter
        shows each email's status as usual.
        """
        emailed = any(recipient["notif"] == "email" for recipient in recipients_data)
        if emailed and request:
            try:
                parameters = json.dumps(kwargs)
            except TypeError:
                parameters = None  # a caller's parameter the schedule cannot keep: notified now
            if parameters is not None:
                # what mail.message.schedule's create does (a row, its cron triggered), in one statement
                now = fields.Datetime.now()
                schedule = SQL(
                    """INSERT INTO mail_message_schedule (mail_message_id, scheduled_datetime,
                           notification_parameters, create_uid, create_date, write_uid, write_date)
                       VALUES (%s, %s, %s, %s, %s, %s, %s)""",
                    message.id,
                    now,
                    parameters,
                    self.env.uid,
                    now,
                    self.env.uid,
                    now,
                )
                self.env["ir.cron"]._cs_trigger_now("mail.ir_cron_send_scheduled_message", schedule)
                return True
        queued = self.with_context(mail_notify_force_send=False)
        result = super(CsTicket, queued)._notify_thread_by_email(
            message, recipients_data, msg_vals=msg_vals, **dict(kwargs, force_send=False)
        )
        if emailed:
            self.env["ir.cron"]._cs_trigger_now("mail.ir_cron_mail_scheduler_action")
        return result

    def _notify_by_email_prepare_rendering_context(self, message, msg_vals=False, **kwargs):
        """With the setting on, a reply signed by an agent ends with the agent number (工号)."""
        context = super()._notify_by_email_prepare_rendering_context(message, msg_vals=msg_vals, **kwargs)
        if context.get("email_add_signature") and get_bool_param(self.env, "cs_helpdesk.signature_agent_number"):
            author = message.author_id.sudo().user_ids.filtered(lambda user: not user.share)[:1]
            if author.cs_agent_number:
                number = self.env._("Agent No. %(number)s", number=author.cs_agent_number)
                context["signature"] = Markup("%s<p>%s</p>") % (context.get("signature") or "", number)
        return context

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        if self.partner_id:
            self._message_add_suggested_recipient(recipients, partner=self.partner_id, reason=self.env._("Customer"))
        elif self.email_from:
            self._message_add_suggested_recipient(
                recipients, email=self.email_from, reason=self.env._("Customer Email")
            )
        return recipients

    def _rating_get_partner(self):
        return self.partner_id or super()._rating_get_partner()
