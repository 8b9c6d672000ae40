from odoo import models


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    def _cs_has_customer_data(self):
        # sudo: mail.followers - only the followers' kind of partner is looked at
        return any(follower.partner_id.partner_share for follower in self.sudo())

    def _to_store(self, store, fields=None):
        """The chatter's follower list, without the followers' addresses for data analysts."""
        if fields is None and self._cs_contact_read_restricted(even_sudo=True):
            fields = {
                "display_name": True,
                "is_active": True,
                "name": True,
                "partner_id": True,
                "partner": None,
                "thread": [],
            }
        return super()._to_store(store, fields=fields)
