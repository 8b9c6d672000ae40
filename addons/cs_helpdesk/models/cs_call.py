from odoo import api, fields, models

from .cs_ticket import PHONE_RE

CALL_RESULTS = [
    ("answered", "Answered"),
    ("missed", "Missed"),
    ("abandoned", "Abandoned"),
    ("voicemail", "Voicemail"),
]


class CsCall(models.Model):
    """A call reported by the telephony system (呼叫中心): the switch stays external, Odoo keeps what it
    reports (times, queue, agent, result, recording, keypress survey) and links it to the customer and
    the ticket. Written by the event endpoint (cs_call_event.py); agents only link it to tickets."""

    _name = "cs.call"
    _description = "Call"
    _order = "ring_date desc, id desc"
    _rec_name = "external_call_id"
    _check_company_auto = True

    integration_id = fields.Many2one("cs.inbound.integration", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    external_call_id = fields.Char(string="Call ID", required=True, readonly=True)
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")], required=True, default="inbound", readonly=True
    )
    # contact data: readable by the service roles, not by data analysts
    caller_number = fields.Char(readonly=True, groups="cs_helpdesk.group_agent,cs_helpdesk.group_call_recording")
    queue_code = fields.Char(readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Queue", readonly=True, index=True)
    agent_id = fields.Many2one("res.users", string="Agent", readonly=True, index=True)
    transfer_count = fields.Integer(string="Transfers", readonly=True)
    ring_date = fields.Datetime(string="Rang At", readonly=True, index=True)
    answer_date = fields.Datetime(string="Answered At", readonly=True)
    hangup_date = fields.Datetime(string="Hung Up At", readonly=True)
    answer_seconds = fields.Integer(
        string="Answered After (s)",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
        help="Seconds between the first ring and the answer.",
    )
    talk_seconds = fields.Integer(
        string="Talk Time (s)",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
        help="Seconds between the answer and the hang-up, time on hold left out.",
    )
    hold_seconds = fields.Integer(string="Hold Time (s)", readonly=True, aggregator="avg")
    state = fields.Selection(
        [("ringing", "Ringing"), ("talking", "In Progress"), ("done", "Ended")],
        required=True,
        default="ringing",
        readonly=True,
        index=True,
    )
    result = fields.Selection(CALL_RESULTS, readonly=True, index=True)
    voicemail = fields.Boolean(readonly=True)
    recording_ids = fields.One2many("cs.call.recording", "call_id", string="Recordings", readonly=True)
    recording_url = fields.Char(
        string="Recording URL",
        compute="_compute_recording_url",
        help="Only the agents of the call's team and the call recording reviewers (QA) can open it.",
    )
    survey_score = fields.Integer(
        string="Keypress Satisfaction", readonly=True, aggregator="avg", help="Score keyed in after the call."
    )
    partner_id = fields.Many2one("res.partner", string="Customer", index="btree_not_null", check_company=True)
    ticket_id = fields.Many2one("cs.ticket", string="Ticket", index="btree_not_null", check_company=True)
    callback_scheduled = fields.Boolean(readonly=True, copy=False)

    _sql_constraints = [
        (
            "call_uniq",
            "unique (integration_id, external_call_id)",
            "This call is already recorded for this integration.",
        ),
        ("survey_score_positive", "CHECK (survey_score >= 0)", "A survey score cannot be negative."),
    ]

    @api.depends("ring_date", "answer_date", "hangup_date", "hold_seconds")
    def _compute_durations(self):
        def seconds(start, end):
            return max(int((end - start).total_seconds()), 0) if start and end else 0

        for call in self:
            call.answer_seconds = seconds(call.ring_date, call.answer_date)
            call.talk_seconds = max(seconds(call.answer_date, call.hangup_date) - call.hold_seconds, 0)

    def _compute_recording_url(self):
        # the recordings' own access rules decide: another team's agent or an analyst reads nothing
        Recording = self.env["cs.call.recording"]
        urls = {}
        if Recording.has_access("read"):
            for recording in Recording.search([("call_id", "in", self.ids)], order="id"):
                urls[recording.call_id.id] = recording.url
        for call in self:
            call.recording_url = urls.get(call.id, False)

    def _compute_display_name(self):
        for call in self:
            call.display_name = (
                self.env._("Call %(reference)s", reference=call.external_call_id)
                if call.external_call_id
                else self.env._("Call")
            )

    # ------------------------------------------------------------------ tickets
    def _cs_ticket_values(self, name):
        self.ensure_one()
        integration = self.integration_id
        route = integration._cs_route(self.queue_code)
        channel = route.channel_id or integration.channel_id or self.env.ref("cs_helpdesk.channel_phone")
        number = (self.sudo().caller_number or "").strip()
        values = {
            "name": name,
            "company_id": self.company_id.id,
            "channel_id": channel.id,
            "team_id": (self.team_id or route.team_id or integration.team_id).id,
            "partner_id": self.partner_id.id,
        }
        if PHONE_RE.match(number):
            # the number the customer called from is the one to call back (and a contact's stored number
            # in a format the ticket refuses must not lose the call)
            values["partner_phone"] = number
        if self.answer_date:
            values["answer_seconds"] = max(self.answer_seconds, 1)
            values["user_id"] = self.agent_id.id
        return values

    def _cs_create_ticket(self, name, env=None):
        """The call's ticket, created with what the call knows, in ``env`` (the agent's, else the
        endpoint's). A caller without a usable number (withheld, "anonymous") is kept as an unknown
        customer, as the mail gateway keeps an address-less mail: an agent finds the customer."""
        self.ensure_one()
        values = self._cs_ticket_values(name)
        Ticket = (env or self.env)["cs.ticket"]
        if not values["partner_id"] and not values.get("partner_phone"):
            Ticket = Ticket.with_context(cs_sender_unknown=True)
        ticket = Ticket.create(values)
        # sudo: cs.call - calls are written by the endpoint only; linking the ticket is part of creating it
        self.sudo().ticket_id = ticket
        return ticket

    def _cs_call_title(self):
        customer = self.partner_id.name or self.sudo().caller_number or self.env._("an unknown number")
        if self.voicemail:
            return self.env._("Voicemail from %(customer)s", customer=customer)
        if self.result == "missed":
            return self.env._("Missed call from %(customer)s", customer=customer)
        if self.result == "abandoned":
            return self.env._("Abandoned call from %(customer)s", customer=customer)
        return self.env._("Call from %(customer)s", customer=customer)

    def _cs_fill_ticket_answer(self):
        """An answered call gives its ticket the hotline answer time, when the ticket has none yet
        (its 30-second target is then met or failed by the SLA engine)."""
        for call in self.filtered(lambda c: c.answer_date and c.ticket_id and not c.ticket_id.answer_seconds):
            # sudo: cs.ticket - a measured figure, written by the call flow only (KPI protection)
            call.ticket_id.sudo().answer_seconds = max(call.answer_seconds, 1)

    def action_create_ticket(self):
        """Screen pop button: turn the call into a ticket (or open the one it already has)."""
        self.ensure_one()
        self.check_access("read")
        if not self.ticket_id:
            self.sudo()._cs_create_ticket(self._cs_call_title(), env=self.with_context(cs_assign_to_me=True).env)
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.ticket",
            "res_id": self.ticket_id.id,
            "views": [(False, "form")],
            "target": "current",
        }
