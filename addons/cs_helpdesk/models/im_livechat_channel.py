from odoo import fields, models


class ImLivechatChannel(models.Model):
    _inherit = "im_livechat.channel"

    cs_team_id = fields.Many2one(
        "cs.ticket.team",
        string="Service Team",
        help="Team of the tickets made from this channel's chats; chat statistics are grouped by it.",
    )
    cs_ticket_channel_id = fields.Many2one(
        "cs.ticket.channel",
        string="Ticket Channel",
        domain="[('channel_type', '=', 'chat')]",
        default=lambda self: self.env.ref("cs_helpdesk.channel_chat", raise_if_not_found=False),
        help="Contact channel given to the tickets made from this channel's chats.",
    )
