from collections import defaultdict

from odoo import api, fields, models


class CsTicket(models.Model):
    """Which SLA policies apply to a ticket, and the SLA lines they create on it."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sla_fields(self):
        return {
            "team_id",
            "type_id",
            "channel_id",
            "category_id",
            "priority",
            "partner_id",
            "company_id",
            "answer_seconds",
        }

    def _sla_calendar(self):
        self.ensure_one()
        return self.team_id.resource_calendar_id or self.company_id.resource_calendar_id

    def _sla_apply(self, creating=False):
        """Create the SLA lines of matching policies; drop running lines that no longer apply.

        A line created later (priority raised, type changed, ticket reopened) counts from the change,
        not from the ticket's creation, and starts paused when the ticket waits on the customer.
        A reopened ticket (二次处理) gets a new resolution line per reopening (``cycle``); the first
        response is answered once. SLA lines are the engine's bookkeeping: agents read them, only the
        engine writes them. Reached and failed lines are history: they stay whatever the ticket becomes.
        """
        self = self.sudo()
        policies = self.env["cs.sla.policy"].search([("company_id", "in", self.company_id.ids)])
        if not policies and not self.sla_ids:
            return
        now = fields.Datetime.now()
        cache = {}
        Sla = self.env["cs.ticket.sla"]
        to_create, to_drop, answered = [], Sla, defaultdict(lambda: Sla)
        for ticket in self:
            if ticket.is_closed:
                continue
            matching = policies.filtered(lambda p, t=ticket: p._matches(t))
            wanted = [(policy, kind) for policy in matching for kind in ticket._sla_kinds(policy)]
            keys = {(policy.id, kind) for policy, kind in wanted}
            existing = {
                (sla.policy_id.id, sla.kind): sla for sla in ticket.sla_ids if sla.cycle == ticket._sla_cycle(sla.kind)
            }
            for key, sla in existing.items():
                if key not in keys and sla.status in ("running", "paused"):
                    to_drop |= sla
                elif sla.kind == "answer" and not sla.reached_date and key in keys:
                    # the answer time was recorded after the contact was logged
                    values = ticket._sla_line_values(sla.policy_id, "answer", now, None, cache)
                    if values.get("reached_date"):
                        answered[values["status"]] |= sla
            start = (ticket.create_date or now) if creating else now
            calendar = ticket._sla_calendar()
            for policy, kind in wanted:
                if (policy.id, kind) not in existing:
                    to_create.append(ticket._sla_line_values(policy, kind, start, calendar, cache))
        to_drop.unlink()
        for status, lines in answered.items():
            lines.write({"status": status, "reached_date": now})
        if to_create:
            lines = Sla.create(to_create).filtered(lambda s: s.status == "running")
            lines._update_next_check()
            # a target added while the ticket waits on the customer starts with a stopped clock
            lines.filtered(lambda s: s.ticket_id.stage_id in s.policy_id.pause_stage_ids)._pause(now)

    def _sla_cycle(self, kind):
        """The handling a new line of ``kind`` belongs to: resolution is measured again after each reopening."""
        return self.reopen_count if kind == "resolution" else 0

    def _sla_kinds(self, policy):
        kinds = []
        if policy.first_response_time:
            kinds.append("first_response")
        if policy.resolution_time:
            kinds.append("resolution")
        if policy.answer_seconds and self.channel_type in ("phone", "chat"):
            kinds.append("answer")
        return kinds

    def _sla_line_values(self, policy, kind, start, calendar, cache):
        values = {"ticket_id": self.id, "policy_id": policy.id, "kind": kind, "cycle": self._sla_cycle(kind)}
        if kind == "answer":
            # only an answer time actually entered counts: nobody answers in 0 seconds
            if self.answer_seconds > 0:
                met = self.answer_seconds <= policy.answer_seconds
                values.update(status="met" if met else "failed", reached_date=start)
            return values
        values["deadline"] = policy._deadline(kind, start, calendar, cache)
        reached = self.first_response_date if kind == "first_response" else self.resolved_date
        if reached:
            values.update(status="met" if reached <= values["deadline"] else "failed", reached_date=reached)
        return values
