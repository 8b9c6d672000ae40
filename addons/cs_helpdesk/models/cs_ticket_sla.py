from collections import defaultdict

from markupsafe import Markup, escape
from odoo import api, fields, models

from .cs_selections import ESCALATION_LEVELS

SLA_KINDS = [("first_response", "First Response"), ("resolution", "Resolution"), ("answer", "Call Answer")]
SLA_STATUSES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("failed", "Failed"),
    ("not_applicable", "Not Applicable"),
]


class CsTicketSla(models.Model):
    """One SLA target applied to one ticket, with its clock and escalation state."""

    _name = "cs.ticket.sla"
    _inherit = ["cs.batch.cron.mixin"]
    _description = "Ticket SLA"
    _order = "deadline, id"

    ticket_id = fields.Many2one("cs.ticket", required=True, ondelete="cascade", index=True)
    policy_id = fields.Many2one("cs.sla.policy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    kind = fields.Selection(SLA_KINDS, required=True)
    cycle = fields.Integer(
        string="Handling",
        default=0,
        readonly=True,
        help="0 for the first handling; a reopened ticket gets a new resolution target for each reopening.",
    )
    status = fields.Selection(SLA_STATUSES, required=True, default="running", index=True)
    deadline = fields.Datetime(index=True)
    reached_date = fields.Datetime(string="Reached On", help="When the target was reached, late or not.")
    remaining_hours = fields.Float(help="Target time left when the clock was paused.")
    escalation_level = fields.Selection(ESCALATION_LEVELS, string="Escalated To", readonly=True)
    next_check = fields.Datetime(
        index="btree_not_null", help="When the escalation cron must look at this line again; empty when done."
    )

    _sql_constraints = [
        (
            "ticket_policy_kind_uniq",
            "unique (ticket_id, policy_id, kind, cycle)",
            "A ticket has one line per SLA target and handling.",
        )
    ]

    # ------------------------------------------------------------------ clock
    def _update_next_check(self):
        """Next moment the cron must act: a pending escalation or the deadline."""
        for line in self:
            if line.status in ("met", "paused", "not_applicable") or line.reached_date or not line.deadline:
                line.next_check = False
                continue
            moments = [line.deadline] if line.status == "running" else []
            done = line.escalation_level or "0"
            for escalation in line.policy_id.escalation_ids:
                if escalation.level > done:
                    moments.append(escalation._fire_time(line.deadline))
            line.next_check = min(moments) if moments else False

    def _reach(self, when):
        """The target was reached at ``when``: met if in time, failed otherwise.

        A paused clock is stopped: reached while paused is in time when target time was left at the pause.
        """
        results = defaultdict(lambda: self.env["cs.ticket.sla"])
        for line in self.filtered(lambda sla: not sla.reached_date):
            if line.status == "paused":
                met = line.remaining_hours > 0
            else:
                met = line.status != "failed" and (not line.deadline or when <= line.deadline)
            results["met" if met else "failed"] |= line
        for status, lines in results.items():
            lines.write({"reached_date": when, "status": status, "next_check": False})

    def _close_unreached(self, now, status):
        """The ticket ended before these targets were reached: ``failed`` (not met) or ``not_applicable``.

        Never met: closing a ticket is not answering its customer. A line already failed keeps its breach.
        """
        lines = self.filtered(lambda sla: not sla.reached_date and sla.status in ("running", "paused"))
        lines.write({"status": status, "reached_date": now, "next_check": False})

    def _pause(self, now):
        """Stop the clock; a line already past its deadline is a breach, not a pause."""
        running = self.filtered(lambda sla: sla.status == "running" and sla.deadline)
        overdue = running.filtered(lambda sla: sla.deadline <= now)
        overdue.write({"status": "failed"})  # next_check is kept: the cron fires the breach escalations
        # lines of one batch share policy, calendar and deadline: compute and write once per group
        groups = defaultdict(lambda: self.browse())
        for line in running - overdue:
            groups[line.policy_id, line.ticket_id._sla_calendar(), line.deadline] |= line
        for (policy, calendar, deadline), lines in groups.items():
            remaining = policy._remaining_hours(now, deadline, calendar)
            lines.write({"status": "paused", "remaining_hours": remaining, "next_check": False})

    def _resume(self, now):
        paused = self.filtered(lambda sla: sla.status == "paused")
        groups = defaultdict(lambda: self.browse())
        for line in paused:
            groups[line.policy_id, line.ticket_id._sla_calendar(), line.remaining_hours] |= line
        for (policy, calendar, remaining), lines in groups.items():
            deadline = policy._resume_deadline(remaining, now, calendar)
            lines.write({"status": "running", "deadline": deadline, "remaining_hours": 0.0})
        paused._update_next_check()

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_process_sla(self, batch_size=5000):
        """Mark breaches and fire escalations of the lines that are due, one batch per call.

        A full batch reports its progress and re-triggers the cron, so a backlog is worked
        off in short transactions instead of one long run.
        """
        now = fields.Datetime.now()
        domain = [("next_check", "<=", now), ("ticket_id.active", "=", True)]  # archived tickets wait
        return self._cs_run_batch(
            domain,
            lambda due: due._process_due(now),
            "cs_helpdesk.ir_cron_cs_ticket_sla",
            batch_size=batch_size,
            order="next_check, id",
        )

    def _process_due(self, now):
        breached = self.filtered(lambda sla: sla.status == "running" and sla.deadline and sla.deadline <= now)
        breached.write({"status": "failed"})
        fired = defaultdict(lambda: self.env["cs.ticket.sla"])  # escalation -> lines
        new_level = {}
        for line in self.filtered("deadline"):
            done = line.escalation_level or "0"
            for escalation in line.policy_id.escalation_ids:
                if escalation.level > done and escalation._fire_time(line.deadline) <= now:
                    fired[escalation] |= line
                    new_level[line.id] = max(new_level.get(line.id, "0"), escalation.level)
        logs = defaultdict(list)
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for line in breached:
            policy, target = line.policy_id.name, kinds[line.kind]
            body = self.env._("SLA failed: %(policy)s (%(target)s).", policy=policy, target=target)
            logs[line.ticket_id.id].append(escape(body))
        for escalation, lines in fired.items():
            for ticket_id, bodies in escalation._apply(lines).items():
                logs[ticket_id].extend(bodies)
        if logs:
            bodies = {ticket_id: Markup("<br/>").join(lines) for ticket_id, lines in logs.items()}
            failed_ids = set(breached.ticket_id.ids)
            # one message per ticket and run; a breach notifies who follows "SLA Failed" (a leader via the team)
            Ticket = self.env["cs.ticket"]
            failed = {ticket_id: body for ticket_id, body in bodies.items() if ticket_id in failed_ids}
            Ticket.browse(failed_ids)._cs_log_batch(failed, "mt_ticket_sla_failed")
            others = {ticket_id: body for ticket_id, body in bodies.items() if ticket_id not in failed_ids}
            if others:
                Ticket.browse(others)._message_log_batch(others)
        by_level = defaultdict(list)
        for line_id, level in new_level.items():
            by_level[level].append(line_id)
        for level, ids in by_level.items():
            self.browse(ids).write({"escalation_level": level})
        self._update_next_check()
