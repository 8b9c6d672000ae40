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
