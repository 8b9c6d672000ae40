from datetime import UTC, datetime

from odoo import api, fields, models
from odoo.tools import format_datetime

from .cs_inbound_integration import OPEN_TICKET_DOMAIN, CsInboundError
from .cs_settings import tz_name

CALL_EVENT_TYPES = ("ring", "answer", "transfer", "hangup", "voicemail", "survey")
# a caller hanging up before anybody answered gave up waiting (abandoned); any other reason is a miss
ABANDON_REASONS = ("caller", "abandoned")


def parse_event_time(env, value):
    """A naive UTC datetime from a Unix time or an ISO 8601 string (with offset, else UTC)."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError, OverflowError, OSError):
        raise CsInboundError(
            400, env._("Event time %(value)r is neither a Unix time nor an ISO 8601 date.", value=value)
        ) from None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def validate_call_event(env, event):
    """Check one telephony event before anything is saved; returns it with ``time`` parsed."""
    if not isinstance(event, dict):
        raise CsInboundError(400, env._("Each event must be a JSON object."))
    missing = [key for key in ("id", "type", "call_id", "time") if event.get(key) in (None, "")]
    if missing:
        raise CsInboundError(400, env._("Event without %(fields)s.", fields=", ".join(missing)))
    if event["type"] not in CALL_EVENT_TYPES:
        raise CsInboundError(
            422,
            env._(
                "Unknown event type %(type)r: expected one of %(types)s.",
                type=event["type"],
                types=", ".join(CALL_EVENT_TYPES),
            ),
        )
    if event["type"] == "ring" and not event.get("caller"):
        raise CsInboundError(400, env._("A ring event needs the caller's number (caller)."))
    if event["type"] == "survey" and not isinstance(event.get("score"), int):
        raise CsInboundError(400, env._("A survey event needs an integer score."))
    if event["type"] == "hangup" and not isinstance(event.get("hold_seconds", 0), int | float):
        raise CsInboundError(400, env._("hold_seconds must be a number of seconds."))
    return dict(event, id=str(event["id"]), call_id=str(event["call_id"]), time=parse_event_time(env, event["time"]))


class CsCall(models.Model):
    """What each telephony event does to its call (and the call to its ticket)."""

    _inherit = "cs.call"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cs_process_event(self, integration, event, cache):
        """Apply one validated, new event; ``cache`` lives for one request (routes, agents, calls)."""
        call = self._cs_call_for(integration, event, cache)
        getattr(call, f"_cs_on_{event['type']}")(event, cache)
        return {"call_id": call.id}

    @api.model
    def _cs_prefetch(self, integration, events, cache):
        """Read the known calls of a batch at once (one query instead of one per event)."""
        calls = self.search(
            [("integration_id", "=", integration.id), ("external_call_id", "in", [e["call_id"] for e in events])]
        )
        for call in calls:
            cache[("call", integration.id, call.external_call_id)] = call

    # ------------------------------------------------------------------ lookups
    @api.model
    def _cs_agent(self, code, cache):
        """The agent an event names, by agent number (工号) or login."""
        if not code:
            return self.env["res.users"]
        key = ("agent", str(code))
        if key not in cache:
            cache[key] = self.env["res.users"].search(
                ["|", ("cs_agent_number", "=", str(code)), ("login", "=", str(code)), ("share", "=", False)], limit=1
            )
        return cache[key]

    @api.model
    def _cs_queue(self, integration, code, cache):
        key = ("queue", integration.id, code)
        if key not in cache:
            cache[key] = integration._cs_route(code).team_id or integration.team_id
        return cache[key]

    @api.model
    def _cs_call_for(self, integration, event, cache):
        key = ("call", integration.id, event["call_id"])
        call = cache.get(key) or self.search(
            [("integration_id", "=", integration.id), ("external_call_id", "=", event["call_id"])], limit=1
        )
        if not call:
            # events may arrive out of order: the first one received opens the call
            call = self._cs_open_call(integration, event, cache)
        cache[key] = call
        return call

    @api.model
    def _cs_open_call(self, integration, event, cache):
        number = (event.get("caller") or "").strip()
        partner = self.env["res.partner"]._cs_find_by_phone(number, integration.company_id) if number else None
        call = self.create(
            {
                "integration_id": integration.id,
                "company_id": integration.company_id.id,
                "external_call_id": event["call_id"],
                "direction": "outbound" if event.get("direction") == "outbound" else "inbound",
                "caller_number": number,
                "queue_code": event.get("queue"),
                "team_id": self._cs_queue(integration, event.get("queue"), cache).id,
                "agent_id": self._cs_agent(event.get("agent"), cache).id,
                "ring_date": event["time"],
                "partner_id": partner.id if partner else False,
            }
        )
        call.ticket_id = call._cs_open_ticket()
        return call

    def _cs_open_ticket(self):
        """The open call ticket of the same customer (or, for an unknown caller, of the same number),
        so a customer calling back about it finds it again."""
        self.ensure_one()
        Ticket = self.env["cs.ticket"]
        if self.partner_id:
            return Ticket.search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("is_closed", "=", False),
                    ("is_resolved", "=", False),
                    ("channel_id.channel_type", "=", "phone"),
                ],
                order="id desc",
                limit=1,
            )
        if not self.caller_number:
            return Ticket
        previous = self.search(
            [
                ("caller_number", "=", self.caller_number),
                ("id", "!=", self.id),
                *OPEN_TICKET_DOMAIN,
            ],
            order="id desc",
            limit=1,
        )
        return previous.ticket_id

    # ------------------------------------------------------------------ events
    def _cs_on_ring(self, event, cache):
        agent = self._cs_agent(event.get("agent"), cache)
        if agent and agent != self.agent_id:
            self.agent_id = agent
        if self.agent_id and self.state == "ringing":
            self._cs_screen_pop()

    def _cs_on_answer(self, event, cache):
        values = {"state": "talking"}
        if not self.answer_date:
            values["answer_date"] = event["time"]
        agent = self._cs_agent(event.get("agent"), cache)
        if agent:
            values["agent_id"] = agent.id
        self.write(values)
        self._cs_fill_ticket_answer()

    def _cs_on_transfer(self, event, cache):
        values = {"transfer_count": self.transfer_count + 1}
        agent = self._cs_agent(event.get("agent"), cache)
        if agent:
            values["agent_id"] = agent.id
        if event.get("queue"):
            values.update(
                queue_code=event["queue"], team_id=self._cs_queue(self.integration_id, event["queue"], cache).id
            )
        self.write(values)
        if agent:
            self._cs_screen_pop()

    def _cs_on_hangup(self, event, cache):
        values = {"state": "done", "hold_seconds": int(event.get("hold_seconds") or 0)}
        if not self.hangup_date:
            values["hangup_date"] = event["time"]
        if not self.result:
            values["result"] = self._cs_result(event.get("reason"))
        self.write(values)
        self._cs_add_recording(event.get("recording_url"), "call")
        self._cs_after_end()

    def _cs_on_voicemail(self, event, cache):
        values = {"voicemail": True, "state": "done"}
        if not self.hangup_date:
            values["hangup_date"] = event["time"]
        if not self.answer_date:
            values["result"] = "voicemail"
        self.write(values)
        self._cs_add_recording(event.get("recording_url"), "voicemail")
        self._cs_after_end()

    def _cs_on_survey(self, event, cache):
        scale = self.integration_id.survey_scale
        if not 1 <= event["score"] <= scale:
            raise CsInboundError(
                422, self.env._("Survey score %(score)s is outside 1 to %(scale)s.", score=event["score"], scale=scale)
            )
        self.survey_score = event["score"]

    # ------------------------------------------------------------------ outcome
    def _cs_result(self, reason):
        if self.answer_date:
            return "answered"
        if self.voicemail:
            return "voicemail"
        return "abandoned" if reason in ABANDON_REASONS else "missed"

    def _cs_add_recording(self, url, kind):
        if url and isinstance(url, str):
            self.env["cs.call.recording"].sudo().create({"call_id": self.id, "url": url, "kind": kind})

    def _cs_after_end(self):
        self.ensure_one()
        if self.result in ("missed", "voicemail") or (
            self.result == "abandoned" and self.integration_id.callback_abandoned
        ):
            self._cs_schedule_callback()
        elif self.result == "answered" and not self.ticket_id and self.integration_id.create_answered_tickets:
            self._cs_create_ticket(self._cs_call_title())
            self._cs_fill_ticket_answer()

    def _cs_schedule_callback(self):
        """留言通知: a missed call or a voicemail (or an abandoned call, when so set) becomes a ticket (or
        joins the customer's open call ticket) with a call-back activity for its agent, else the team leader."""
        if self.callback_scheduled:
            return
        title = self._cs_call_title()
        ticket = self.ticket_id if self.ticket_id and not self.ticket_id.is_closed else self._cs_create_ticket(title)
        if ticket != self.ticket_id:
            self.ticket_id = ticket
        ticket.message_post(body=title, subtype_xmlid="mail.mt_note")
        user = ticket.user_id or ticket.team_id.leader_id or self.agent_id
        ticket.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=fields.Date.context_today(ticket),
            summary=self.env._("Call back"),
            note=self.env._(
                "%(title)s at %(time)s: call the customer back.",
                title=title,
                time=format_datetime(
                    self.env, self.hangup_date or self.ring_date, tz=tz_name(self.env, user=user or None)
                ),
            ),
            user_id=(user or self.env.user).id,
        )
        self.callback_scheduled = True
