from odoo import models


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _cs_has_customer_data(self):
        """The sender address of a message is a customer's unless an internal user wrote it."""
        # sudo: mail.message - only the authors are looked at, to decide what the reader may see
        return any(not message.author_id or message.author_id.partner_share for message in self.sudo())

    def _author_to_store(self, store):
        """The chatter (read by mail with sudo) without a customer's sender address for data analysts."""
        result = super()._author_to_store(store)
        if self._cs_contact_read_restricted(even_sudo=True):
            for message in self:
                if message._cs_has_customer_data():
                    store.add(message, {"email_from": False})
        return result

    def _to_store(self, store, /, **kwargs):
        """Read the contacts notified of these messages together with their authors, once, with sudo.

        Why: mail filters each message's notifications as the reader (``_filtered_for_web_client``),
        so it reads the notified contacts with the reader's record rules: a chatter whose replies were
        emailed then checks the contacts' rules (a company ``parent_of`` search) and fetches them apart
        from the authors, and fails for a contact of another company following the ticket. What mail
        reads of them (customer or colleague, name) is shown to that reader anyway, as mail shows a
        message's recipients and authors, which it reads with sudo.
        """
        if self.env.user._is_internal():  # mail shows notifications to internal users only
            # sudo: res.partner - the authors and notified contacts of messages the reader is shown
            messages = self.sudo()
            (messages.author_id | messages.notification_ids.res_partner_id).mapped("name")  # prefetches them all
        return super()._to_store(store, **kwargs)
