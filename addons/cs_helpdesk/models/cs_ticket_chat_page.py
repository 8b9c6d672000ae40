from datetime import timedelta

from odoo import api, fields, models

from .cs_settings import get_int_param

# documented in readme/CONFIGURE.md; Settings > Customer Service changes it
DEFAULT_CHAT_PAGE_RETENTION_DAYS = 30
CHAT_PAGE_RETENTION_PARAM = "cs_helpdesk.chat_page_retention_days"


class CsTicketChatPage(models.Model):
    """A page the visitor browsed before a live chat (访客轨迹), kept on the ticket made from the chat.

    Browsing history is personal data: only service roles read it (analysts do not), and the scheduled
    action deletes it once older than the retention period of the settings.
    """

    _name = "cs.ticket.chat.page"
    _description = "Page Visited Before a Chat"
    _inherit = ["cs.batch.cron.mixin"]
    _order = "visit_datetime desc, id desc"

    ticket_id = fields.Many2one("cs.ticket", required=True, ondelete="cascade", index=True, readonly=True)
    name = fields.Char(string="Page", readonly=True)
    url = fields.Char(string="URL", readonly=True)
    visit_datetime = fields.Datetime(string="Visited On", required=True, readonly=True, index=True)

    @api.model
    def _retention_days(self):
        return get_int_param(self.env, CHAT_PAGE_RETENTION_PARAM, DEFAULT_CHAT_PAGE_RETENTION_DAYS)

    @api.model
    def _cron_purge(self):
        limit = fields.Datetime.now() - timedelta(days=self._retention_days())
        return self._cs_run_batch(
            [("visit_datetime", "<", limit)],
            lambda pages: pages.unlink(),
            "cs_helpdesk.ir_cron_cs_ticket_chat_page_purge",
        )
