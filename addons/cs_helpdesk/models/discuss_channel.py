from markupsafe import Markup
from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from .cs_settings import get_int_param, tz_name

TICKET_COMMAND = "/ticket"
# documented in readme/CONFIGURE.md: how many of the visitor's last pages a ticket keeps
DEFAULT_CHAT_PAGE_LIMIT = 20
CHAT_PAGE_LIMIT_PARAM = "cs_helpdesk.chat_page_limit"


class DiscussChannel(models.Model):
    """Live chat sessions become tickets: ``/ticket`` or the session's button for the agent, a chatbot step or
    an unanswered session for a visitor who writes while nobody is available (离线留言)."""

    _inherit = "discuss.channel"

    cs_ticket_count = fields.Integer(
        string="Tickets", compute="_compute_cs_ticket_count", groups="cs_helpdesk.group_agent"
    )

    def _compute_cs_ticket_count(self):
        # sudo: cs.ticket - the count of the chat's tickets, also those moved to another team since
        groups = (
            self.env["cs.ticket"]
            .sudo()
            ._read_group([("chat_channel_id", "in", self.ids)], ["chat_channel_id"], ["__count"])
        )
        counts = {channel.id: count for channel, count in groups}
        for channel in self:
            channel.cs_ticket_count = counts.get(channel.id, 0)

    # ------------------------------------------------------------------ agent side
    def execute_command_ticket(self, **kwargs):
        """``/ticket <subject>`` typed by the agent in a live chat makes a ticket of the conversation."""
        self.ensure_one()
        self._cs_check_agent_on_chat()
        text = html2plaintext(kwargs.get("body") or "").strip()
        subject = text[len(TICKET_COMMAND) :].strip() if text.startswith(TICKET_COMMAND) else text
        ticket = self._cs_make_ticket(subject=subject)
        self.env.user._bus_send_transient_message(
            self, self.env._("Created ticket %(ticket)s.", ticket=ticket._get_html_link(title=ticket.display_name))
        )
        return ticket

    def action_cs_make_ticket(self):
        """Button of the chat session form: the ticket of the conversation, made now if there is none."""
        self.ensure_one()
        self._cs_check_agent_on_chat()
        ticket = self.env["cs.ticket"].search([("chat_channel_id", "=", self.id)], limit=1) or self._cs_make_ticket()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_cs_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_ticket_action")
        action["domain"] = [("chat_channel_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _cs_check_agent_on_chat(self):
        if not self.env.user.has_group("cs_helpdesk.group_agent"):
            raise AccessError(self.env._("Only customer service agents can turn a chat into a ticket."))
        if self.channel_type != "livechat":
            raise UserError(self.env._("Only a live chat conversation can become a ticket."))

    # ------------------------------------------------------------------ offline messages
    def _close_livechat_session(self, **kwargs):
        """A visitor who wrote and left before any agent answered gets a ticket: their message is not lost."""
        unanswered = self.filtered(lambda channel: channel.livechat_active and channel._cs_is_unanswered())
        res = super()._close_livechat_session(**kwargs)
        for channel in unanswered:
            # sudo: discuss.channel - the visitor's own session; the ticket is made for them
            channel.sudo()._cs_make_ticket(automatic=True)
        return res

    def _cs_is_unanswered(self):
        """The visitor wrote, a human operator was given the chat and never replied (chatbots excluded)."""
        self.ensure_one()
        # sudo: discuss.channel - whoever closes the session (often the visitor) checks who wrote
        channel = self.sudo()
        operator = channel.livechat_operator_id
        if not operator.user_ids or any(user.share for user in operator.user_ids):
            return False
        comments = channel.message_ids.filtered(lambda m: m.message_type == "comment")
        if any(message.author_id == operator for message in comments):
            return False
        visitor_wrote = any(message.author_id != operator for message in comments)
        return visitor_wrote and not self.env["cs.ticket"].sudo().search_count([("chat_channel_id", "=", self.id)])

    # ------------------------------------------------------------------ the ticket
    def _cs_make_ticket(self, subject=None, team=None, customer=None, automatic=False):
        """A ticket of this chat with its transcript, the visitor's contact and the pages they browsed.

        :param customer: dict with ``email``/``phone`` the visitor gave (chatbot questions), if any
        :param automatic: made without an agent (offline message): the ticket waits for assignment
        """
        self.ensure_one()
        livechat = self.livechat_channel_id
        partner = self._cs_visitor_partner()
        customer = customer or {}
        values = {
            "name": subject or self._cs_default_ticket_subject(automatic),
            "partner_id": partner.id,
            "partner_name": partner.name or self.anonymous_name,
            "channel_id": livechat.cs_ticket_channel_id.id or self.env.ref("cs_helpdesk.channel_chat").id,
            "team_id": (team or livechat.cs_team_id).id,
            "company_id": (team or livechat.cs_team_id).company_id.id or self.env.company.id,
            "chat_channel_id": self.id,
        }
        answer_seconds = self._cs_first_reply_seconds()
        if answer_seconds is not None:
            values["answer_seconds"] = answer_seconds  # the chat's answer time counts for the answer target
        if not partner:
            values.update(email_from=customer.get("email") or False, partner_phone=customer.get("phone") or False)
        if not automatic and self.env.user._is_internal() and self.env.user.has_group("cs_helpdesk.group_agent"):
            values["user_id"] = self.env.user.id  # the agent who had the conversation keeps the case
        # an anonymous visitor who gave no contact: the ticket keeps the chat, an agent finds the customer
        Ticket = self.env["cs.ticket"].with_context(cs_sender_unknown=not (partner or customer))
        ticket = Ticket.create(values)
        ticket._cs_attach_chat(self)
        return ticket

    def _cs_default_ticket_subject(self, automatic):
        visitor = self._cs_visitor_partner().name or self.anonymous_name or self.env._("Visitor")
        if automatic:
            return self.env._("Offline message from %(visitor)s", visitor=visitor)
        return self.env._("Live chat with %(visitor)s", visitor=visitor)

    def _cs_visitor_partner(self):
        """The customer of the chat: a contact other than the operators, unless the visitor is anonymous."""
        self.ensure_one()
        # sudo: discuss.channel.member - the members of the chat the current user takes part in or runs
        members = self.sudo().with_context(active_test=False).channel_member_ids.partner_id
        customers = members.filtered(
            lambda partner: partner.partner_share and partner != self.livechat_operator_id and not partner.is_public
        )
        # sudo: chatbot.script - a bot that handed the chat over stays a member, it is no customer
        bots = self.env["chatbot.script"].sudo().search([("operator_partner_id", "in", customers.ids)])
        return (customers - bots.operator_partner_id)[:1]

    def _cs_first_reply_seconds(self):
        """Seconds from the visitor's first message to the operator's first reply after it, None if unanswered."""
        # sudo: mail.message - the chat's messages, whoever makes the ticket (a visitor leaving a message)
        comments = self.sudo().message_ids.filtered(lambda m: m.message_type == "comment").sorted("date")
        operator = self.livechat_operator_id
        first = next((m.date for m in comments if m.author_id != operator), None)
        reply = first and next((m.date for m in comments if m.author_id == operator and m.date >= first), None)
        return int((reply - first).total_seconds()) if reply else None

    def _cs_transcript(self):
        """The conversation as HTML, one line per message with its time (in the team's time zone) and author."""
        team = self.livechat_channel_id.cs_team_id
        local = self.with_context(tz=tz_name(self.env, calendar=team.resource_calendar_id))
        lines = Markup("").join(
            Markup("<li>%(date)s %(author)s: %(text)s</li>")
            % {
                "date": fields.Datetime.context_timestamp(local, message.date).strftime("%Y-%m-%d %H:%M"),
                "author": message.author_id.name or message.author_guest_id.name or self.anonymous_name or "",
                "text": html2plaintext(message.body or ""),
            }
            for message in self.message_ids.sorted("id")
            if message.message_type == "comment"
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Live chat transcript"), lines)

    def _cs_visitor_pages(self):
        """Pages the visitor browsed before the chat, read from ``website_livechat`` when it is installed.

        cs_helpdesk does not depend on ``website``: the models are looked up by name, not imported.
        """
        self.ensure_one()
        if "livechat_visitor_id" not in self._fields or "website.track" not in self.env:
            return []
        # sudo: website.visitor - agents read the visitor's trail without rights on the website app
        visitor = self.sudo().livechat_visitor_id
        if not visitor:
            return []
        tracks = (
            self.env["website.track"]
            .sudo()
            .search(
                [("visitor_id", "=", visitor.id), ("visit_datetime", "<=", self.create_date)],
                order="visit_datetime desc, id desc",
                limit=get_int_param(self.env, CHAT_PAGE_LIMIT_PARAM, DEFAULT_CHAT_PAGE_LIMIT, minimum=1),
            )
        )
        return [
            {"name": track.page_id.name or track.url, "url": track.url, "visit_datetime": track.visit_datetime}
            for track in tracks
        ]
