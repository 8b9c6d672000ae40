from odoo import fields, models

from .cs_ticket_chat_page import CHAT_PAGE_RETENTION_PARAM, DEFAULT_CHAT_PAGE_RETENTION_DAYS
from .discuss_channel import CHAT_PAGE_LIMIT_PARAM, DEFAULT_CHAT_PAGE_LIMIT


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    cs_chat_page_retention_days = fields.Integer(
        string="Keep Visited Pages (days)",
        config_parameter=CHAT_PAGE_RETENTION_PARAM,
        default=DEFAULT_CHAT_PAGE_RETENTION_DAYS,
        help="Pages a visitor browsed before a chat are deleted from the tickets after this many days.",
    )
    cs_chat_page_limit = fields.Integer(
        string="Visited Pages per Ticket",
        config_parameter=CHAT_PAGE_LIMIT_PARAM,
        default=DEFAULT_CHAT_PAGE_LIMIT,
        help="How many of the last pages the visitor browsed before the chat a ticket keeps.",
    )
