"""Signed inbound integrations: the telephony system (CTI) and the message sources (shop back office,
social media, SMS) post their events to ``controllers/cs_telephony.py``, which checks them here.

One code path for every source: the HMAC-SHA256 signature of ``<timestamp>.<body>`` with the
integration's secret, the timestamp inside the replay window, and one ``cs.inbound.event`` per event id
(unique per integration), so a repeated delivery changes nothing.
"""

import hashlib
import hmac
import secrets
import time

from odoo import api, fields, models
from odoo.tools import SQL

# The seeds give no replay window: five minutes is the usual tolerance of signed webhooks (clock skew plus
# retries). A manager changes it per integration.
DEFAULT_REPLAY_WINDOW = 300
# a call or message whose ticket is still being handled: the next one of the same customer joins it
OPEN_TICKET_DOMAIN = [("ticket_id.is_closed", "=", False), ("ticket_id.is_resolved", "=", False)]


class CsInboundError(Exception):
    """A request refused before anything is saved: ``status`` is the HTTP status, ``message`` says why."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def _new_secret():
    return secrets.token_hex(32)


def cs_signature(secret, timestamp, body):
    """Hex HMAC-SHA256 of ``<timestamp>.<body>`` (``body`` as bytes), what senders put in ``X-CS-Signature``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class CsInboundIntegration(models.Model):
    _name = "cs.inbound.integration"
    _description = "Inbound Integration"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        copy=False,
        help="Part of the address the system posts to: /cs_helpdesk/inbound/<code>/calls or /messages.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("telephony", "Telephony (Call Center)"), ("messages", "Messages (Shop, Social Media, SMS)")],
        required=True,
        default="telephony",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    secret = fields.Char(
        required=True,
        copy=False,
        default=lambda self: _new_secret(),
        groups="base.group_system",
        help="Shared with the sending system: it signs every request with it (HMAC-SHA256).",
    )
    replay_window = fields.Integer(
        string="Replay Window (s)",
        default=DEFAULT_REPLAY_WINDOW,
        required=True,
        help="A request whose timestamp is further than this from now is refused, so a captured request "
        "cannot be played again later.",
    )
    channel_id = fields.Many2one(
        "cs.ticket.channel",
        string="Default Channel",
        help="Channel of the tickets this integration creates when its route names none.",
    )
    team_id = fields.Many2one(
        "cs.ticket.team",
        string="Default Team",
        check_company=True,
        help="Team (queue) of calls and messages whose queue or platform has no route.",
    )
    route_ids = fields.One2many("cs.inbound.route", "integration_id", string="Routes")
    survey_scale = fields.Integer(
        string="Keypress Survey Scale",
        default=5,
        help="Highest score of the keypress satisfaction survey (the lowest is 1).",
    )
    create_answered_tickets = fields.Boolean(
        string="Ticket for Every Answered Call",
        help="When unticked, the agent turns an answered call into a ticket from the screen pop; missed calls "
        "and voicemails always become tickets with a call-back activity.",
    )
    callback_abandoned = fields.Boolean(
        string="Call Back Abandoned Calls",
        help="A caller who hung up while waiting in the queue gets a ticket with a call-back activity, as a missed "
        "call does. When unticked, abandoned calls are only reported.",
    )
    event_count = fields.Integer(compute="_compute_event_count")

    _sql_constraints = [
        ("code_uniq", "unique (code)", "Another integration already uses this code."),
        ("replay_window_positive", "CHECK (replay_window > 0)", "The replay window must be at least one second."),
        ("survey_scale_positive", "CHECK (survey_scale > 1)", "The survey scale needs at least two scores."),
    ]

    def _compute_event_count(self):
        counts = dict(
            self.env["cs.inbound.event"]._read_group(
                [("integration_id", "in", self.ids)], ["integration_id"], ["__count"]
            )
        )
        for integration in self:
            integration.event_count = counts.get(integration, 0)

    def action_regenerate_secret(self):
        for integration in self:
            integration.secret = _new_secret()
        return True

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_inbound_event_action")
        action["domain"] = [("integration_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------ authentication
    @api.model
    def _cs_find(self, code, kind):
        integration = self.sudo().search([("code", "=", code or ""), ("kind", "=", kind)], limit=1)
        if not integration:
            raise CsInboundError(404, self.env._("No active integration with this code."))
        return integration

    def _cs_authenticate(self, timestamp, signature, body, now=None):
        """Refuse an unsigned, wrongly signed or expired request (CsInboundError), before anything is read."""
        self.ensure_one()
        if not timestamp or not signature:
            raise CsInboundError(
                401, self.env._("Unsigned request: the X-CS-Timestamp and X-CS-Signature headers are required.")
            )
        try:
            moment = int(timestamp)
        except ValueError:
            raise CsInboundError(400, self.env._("X-CS-Timestamp must be a Unix time in seconds.")) from None
        expected = cs_signature(self.sudo().secret, timestamp, body)
        if not hmac.compare_digest(expected, signature.removeprefix("sha256=").lower()):
            raise CsInboundError(401, self.env._("Invalid signature."))
        if abs((now or time.time()) - moment) > self.replay_window:
            raise CsInboundError(
                401,
                self.env._(
                    "Expired request: its timestamp is more than %(seconds)s seconds from the server time.",
                    seconds=self.replay_window,
                ),
            )

    # ------------------------------------------------------------------ idempotency
    def _cs_ingest(self, events, process):
        """Record each event once and hand the new ones to ``process(event)``.

        ``events`` are validated dicts with an ``id`` and a ``type``; ``process`` returns the links the log
        keeps (``call_id`` or ``message_id``). Returns ``[(event id, "processed" | "duplicate")]``. An id
        received before, or twice in the batch, changes nothing. The log rows are claimed first with one
        ``INSERT ... ON CONFLICT DO NOTHING`` (the ORM has no upsert): a concurrent delivery of the same
        event waits for the other transaction and then finds its row, so it is a duplicate, never an error.
        """
        self.ensure_one()
        Event = self.env["cs.inbound.event"]
        Event.flush_model()
        first = {}
        for event in events:
            first.setdefault(event["id"], event["type"])
        uid, now = self.env.uid, self.env.cr.now()
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO cs_inbound_event
                       (integration_id, company_id, external_event_id, event_type,
                        create_uid, create_date, write_uid, write_date)
                SELECT %s, %s, e.id, e.type, %s, %s, %s, %s
                  FROM unnest(%s::varchar[], %s::varchar[]) AS e(id, type)
                ON CONFLICT (integration_id, external_event_id) DO NOTHING
                RETURNING external_event_id, id
                """,
                self.id,
                self.company_id.id,
                uid,
                now,
                uid,
                now,
                list(first),
                list(first.values()),
            )
        )
        claimed = dict(rows)
        results, links = [], []
        for event in events:
            log_id = claimed.pop(event["id"], None)
            if log_id is None:
                results.append((event["id"], "duplicate"))
                continue
            values = process(event) or {}
            links.append((log_id, values.get("call_id"), values.get("message_id")))
            results.append((event["id"], "processed"))
        if links:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE cs_inbound_event e SET call_id = l.call_id, message_id = l.message_id
                      FROM unnest(%s::int[], %s::int[], %s::int[]) AS l(id, call_id, message_id)
                     WHERE e.id = l.id
                    """,
                    [link[0] for link in links],
                    [link[1] for link in links],
                    [link[2] for link in links],
                )
            )
            Event.invalidate_model(["call_id", "message_id"])
        return results

    def _cs_route(self, code):
        """The route of queue or platform ``code``; an empty record when the integration has none."""
        self.ensure_one()
        return self.route_ids.filtered(lambda route: route.code == code)[:1]
