from odoo import api, fields, models


class CsTicket(models.Model):
    """Mail of tickets: the mail gateway (an email opens a ticket), replies and suggested recipients."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    def _message_post_after_hook(self, message, msg_vals):
        if (
            not self.first_response_date
            and message.message_type == "comment"
            and not message.is_internal
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            now = fields.Datetime.now()
            self.first_response_date = now
            self.sudo().sla_ids.filtered(lambda s: s.kind == "first_response")._reach(now)
        return super()._message_post_after_hook(message, msg_vals)

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
        values.setdefault("name", msg_dict.get("subject") or self.env._("No Subject"))
        values.setdefault("partner_id", partner.id)
        values.setdefault("email_from", email)
        values.setdefault("channel_id", email_channel.id)
        values.setdefault("description", msg_dict.get("body"))
        # the customer follows the ticket (see create); the user running the gateway does not
        return super().message_new(msg_dict, custom_values=values)

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
