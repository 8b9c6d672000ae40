from markupsafe import Markup
from odoo import api, fields, models
from odoo.tools import plaintext2html

from .cs_call_event import parse_event_time
from .cs_inbound_integration import OPEN_TICKET_DOMAIN, CsInboundError
from .cs_ticket import PHONE_RE

MESSAGE_KINDS = [
    ("shop_message", "Shop Back-Office Message"),
    ("comment", "Comment"),
    ("private_message", "Private Message"),
    ("sms", "SMS Reply"),
    ("other", "Other"),
]
# the subject of a new ticket is the start of the customer's text
SUBJECT_LENGTH = 60


def validate_message_event(env, event):
    if not isinstance(event, dict):
        raise CsInboundError(400, env._("Each event must be a JSON object."))
    missing = [key for key in ("id", "platform", "external_id", "text") if event.get(key) in (None, "")]
    if missing:
        raise CsInboundError(400, env._("Event without %(fields)s.", fields=", ".join(missing)))
    kind = event.get("kind") or "other"
    if kind not in dict(MESSAGE_KINDS):
        raise CsInboundError(
            422,
            env._(
                "Unknown message kind %(kind)r: expected one of %(kinds)s.",
                kind=kind,
                kinds=", ".join(dict(MESSAGE_KINDS)),
            ),
        )
    link = event.get("link") or ""
    if link and not link.startswith(("https://", "http://")):
        raise CsInboundError(400, env._("The link must be an http(s) address."))
    return dict(
        event,
        id=str(event["id"]),
        type=kind,
        kind=kind,
        external_id=str(event["external_id"]),
        conversation_id=str(event.get("conversation_id") or event["external_id"]),
        time=parse_event_time(env, event["time"]) if event.get("time") else fields.Datetime.now(),
    )


class CsInboundMessage(models.Model):
    """A message from the shop back office (店铺后台), social media (微博 comments and private messages)
    or an SMS reply. The first of a conversation opens a ticket on the platform's team and channel; the
    next ones are posted on that ticket while it is open."""

    _name = "cs.inbound.message"
    _description = "Inbound Message"
    _order = "id desc"
    _rec_name = "external_id"
    _check_company_auto = True

    integration_id = fields.Many2one("cs.inbound.integration", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    platform = fields.Char(required=True, readonly=True)
    kind = fields.Selection(MESSAGE_KINDS, required=True, default="other", readonly=True)
    external_id = fields.Char(string="External ID", required=True, readonly=True)
    conversation_id = fields.Char(string="Conversation", required=True, readonly=True)
    # what the customer wrote and who they are on the platform: contact data
    author_handle = fields.Char(readonly=True, groups="cs_helpdesk.group_agent")
    body = fields.Text(string="Text", readonly=True, groups="cs_helpdesk.group_agent")
    link = fields.Char(readonly=True, groups="cs_helpdesk.group_agent")
    date = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, check_company=True)
    ticket_id = fields.Many2one("cs.ticket", string="Ticket", readonly=True, index="btree_not_null")

    _sql_constraints = [
        (
            "message_uniq",
            "unique (integration_id, platform, external_id)",
            "This message was already received from this platform.",
        )
    ]

    @api.model
    def _cs_prefetch(self, integration, events, cache):
        """Nothing to read ahead: each message is looked up by its conversation."""

    @api.model
    def _cs_process_event(self, integration, event, cache):
        route = integration._cs_route(event["platform"])
        if not route and not integration.team_id:
            raise CsInboundError(
                422,
                self.env._(
                    "Platform %(platform)r has no route on this integration: add it (team and channel) first.",
                    platform=event["platform"],
                ),
            )
        author = str(event.get("author") or "").strip()
        partner = self.env["res.partner"]
        if event["kind"] == "sms" and author:
            partner = partner._cs_find_by_phone(author, integration.company_id)
        message = self.create(
            {
                "integration_id": integration.id,
                "company_id": integration.company_id.id,
                "platform": event["platform"],
                "kind": event["kind"],
                "external_id": event["external_id"],
                "conversation_id": event["conversation_id"],
                "author_handle": author,
                "body": event["text"],
                "link": event.get("link") or False,
                "date": event["time"],
                "partner_id": partner.id,
            }
        )
        ticket = message._cs_open_ticket()
        if ticket:
            message.ticket_id = ticket
            author_values = {"author_id": partner.id} if partner else {"email_from": author or event["platform"]}
            ticket.message_post(
                body=message._cs_html(), message_type="comment", subtype_xmlid="mail.mt_comment", **author_values
            )
        else:
            message._cs_create_ticket(route)
        return {"message_id": message.id}

    def _cs_open_ticket(self):
        """The open ticket of the same conversation on the same platform."""
        self.ensure_one()
        previous = self.search(
            [
                ("integration_id", "=", self.integration_id.id),
                ("platform", "=", self.platform),
                ("conversation_id", "=", self.conversation_id),
                ("ticket_id", "!=", False),
                ("id", "!=", self.id),
                *OPEN_TICKET_DOMAIN,
            ],
            order="id desc",
            limit=1,
        )
        return previous.ticket_id

    def _cs_html(self):
        self.ensure_one()
        html = plaintext2html(self.body)
        if self.link:
            html += Markup('<p><a href="%s" target="_blank">%s</a></p>') % (self.link, self.link)
        return html

    def _cs_create_ticket(self, route):
        self.ensure_one()
        integration = self.integration_id
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        text = " ".join(self.body.split())
        values = {
            "name": text[:SUBJECT_LENGTH] or kinds[self.kind],
            "company_id": self.company_id.id,
            "channel_id": (route.channel_id or integration.channel_id).id,
            "team_id": (route.team_id or integration.team_id).id,
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_id.name or self.author_handle,
            "description": Markup("<p>%s</p>%s")
            % (
                self.env._(
                    "%(kind)s on %(platform)s from %(author)s:",
                    kind=kinds[self.kind],
                    platform=route.name or self.platform,
                    author=self.author_handle or "?",
                ),
                self._cs_html(),
            ),
        }
        Ticket = self.env["cs.ticket"]
        if self.kind == "sms" and not self.partner_id and PHONE_RE.match(self.author_handle or ""):
            values["partner_phone"] = self.author_handle
        elif not self.partner_id:
            Ticket = Ticket.with_context(cs_sender_unknown=True)  # a platform handle is not a contact
        self.ticket_id = Ticket.create(values)
