from odoo import fields, models


class CsTicket(models.Model):
    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    chat_channel_id = fields.Many2one(
        "discuss.channel",
        string="Chat Session",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="cs_helpdesk.group_agent",
        help="The live chat this ticket was made from; its transcript is in the ticket's chatter.",
    )
    chat_page_ids = fields.One2many(
        "cs.ticket.chat.page",
        "ticket_id",
        string="Pages Visited Before the Chat",
        readonly=True,
        groups="cs_helpdesk.group_agent",
    )

    def action_open_chat_session(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "discuss.channel",
            "res_id": self.chat_channel_id.id,
            "view_mode": "form",
            "views": [(self.env.ref("im_livechat.discuss_channel_view_form").id, "form")],
        }

    def _cs_attach_chat(self, channel):
        """The chat's transcript and files as a note, and the visitor's pages, on this new ticket."""
        self.ensure_one()
        # sudo: ir.attachment - the chat's files are copied to the ticket whoever made it (a visitor)
        attachments = channel.sudo().message_ids.attachment_ids
        copies = self.env["ir.attachment"].sudo()
        for attachment in attachments:
            copies |= attachment.copy({"res_model": self._name, "res_id": self.id})
        author = self.env.user.partner_id if self.env.user._is_internal() else self.env.ref("base.partner_root")
        self.sudo().message_post(
            body=channel._cs_transcript(),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachment_ids=copies.ids,
        )
        pages = channel._cs_visitor_pages()
        if pages:
            self.env["cs.ticket.chat.page"].sudo().create([dict(page, ticket_id=self.id) for page in pages])
