from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape
from odoo import fields, models
from odoo.tools import format_datetime

from .cs_selections import ESCALATION_LEVELS, TOP_PRIORITY
from .cs_settings import recipient_lang, tz_name


class CsSlaEscalation(models.Model):
    """One rung of a policy's escalation ladder: when it fires and what it does."""

    _name = "cs.sla.escalation"
    _description = "SLA Escalation Level"
    _order = "policy_id, level"

    policy_id = fields.Many2one("cs.sla.policy", required=True, ondelete="cascade", index=True)
    level = fields.Selection(ESCALATION_LEVELS, required=True, default="1")
    trigger = fields.Selection(
        [("before", "Before the deadline"), ("after", "After the deadline")],
        required=True,
        default="before",
    )
    offset_hours = fields.Float(
        string="Offset (h)",
        help="Hours before (warning) or after (breach) the deadline at which this level fires.",
    )
    responsible = fields.Selection(
        [("assignee", "Assigned agent"), ("leader", "Team leader"), ("user", "Specific user")],
        required=True,
        default="assignee",
    )
    user_id = fields.Many2one(
        "res.users", string="User", domain="[('share', '=', False)]", help="Complaint handler or manager."
    )
    action_notify = fields.Boolean(string="Notify", default=True)
    action_reassign = fields.Boolean(string="Reassign", help="Give the ticket to the responsible person.")
    action_raise_priority = fields.Boolean(string="Raise Priority")
    activity_type_id = fields.Many2one(
        "mail.activity.type", string="Schedule Activity", help="Activity planned for the responsible person."
    )

    def _responsible_user(self, ticket):
        self.ensure_one()
        if self.responsible == "leader":
            return ticket.team_id.leader_id
        if self.responsible == "user":
            return self.user_id
        return ticket.user_id

    def _fire_time(self, deadline):
        self.ensure_one()
        offset = timedelta(hours=self.offset_hours)
        return deadline - offset if self.trigger == "before" else deadline + offset

    def _apply(self, lines):
        """Run this level's actions on the tickets of ``lines``, batched by target.

        Returns the chatter lines to log, ``{ticket id: [Markup]}``: the caller logs one
        message per ticket for all the levels that fired in the same run.
        """
        self.ensure_one()
        tickets = lines.ticket_id
        by_user = defaultdict(lambda: self.env["cs.ticket"])
        for ticket in tickets:
            by_user[self._responsible_user(ticket)] |= ticket
        if self.action_raise_priority:
            # one step up per ticket: group by the priority each ticket had before any write
            raised = defaultdict(lambda: self.env["cs.ticket"])
            for ticket in tickets.filtered(lambda t: (t.priority or "0") < TOP_PRIORITY):
                raised[str(int(ticket.priority or "0") + 1)] |= ticket
            for priority, raised_tickets in raised.items():
                raised_tickets.write({"priority": priority})
        for user, user_tickets in by_user.items():
            if self.action_reassign and user:
                user_tickets.filtered(lambda t, u=user: t.user_id != u).write({"user_id": user.id})
            if self.activity_type_id and user:
                self._schedule_activities(user_tickets, user)
        bodies = defaultdict(list)
        templates = {}
        for line in lines:
            # the note reads in the language of the person this level is for (the cron runs as OdooBot)
            ticket = line.ticket_id
            lang = recipient_lang(self.env, self._responsible_user(ticket), ticket.user_id)
            if lang not in templates:
                level = self.with_context(lang=lang)
                templates[lang] = escape(
                    level.env._(
                        "SLA escalation %(level)s (%(policy)s): deadline %(when)s.",
                        level=level._level_label(),
                        policy=level.policy_id.name,
                        when="{deadline}",
                    )
                )
            # in the team's time zone: agents read their local 10:00, not 02:00 UTC
            tz = tz_name(self.env, calendar=ticket._sla_calendar())
            deadline = f"{format_datetime(self.env, line.deadline, tz=tz, dt_format='yyyy-MM-dd HH:mm')} ({tz})"
            bodies[ticket.id].append(templates[lang].replace("{deadline}", deadline))
        if self.action_notify:
            self._notify_users(by_user)
        return bodies

    def _level_label(self):
        return dict(self._fields["level"]._description_selection(self.env))[self.level]

    def _schedule_activities(self, tickets, user):
        model_id = self.env["ir.model"]._get_id("cs.ticket")
        deadline = fields.Date.context_today(self)
        env = self.with_context(lang=recipient_lang(self.env, user)).env
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": self.activity_type_id.id,
                    "user_id": user.id,
                    "date_deadline": deadline,
                    "summary": env._("SLA escalation: %(ticket)s", ticket=ticket.display_name),
                }
                for ticket in tickets
            ]
        )

    def _notify_users(self, by_user):
        """One inbox digest per person instead of one ping per ticket, in that person's language."""
        for user, tickets in by_user.items():
            if not user:
                continue
            level = self.with_context(lang=recipient_lang(self.env, user))
            env = level.env
            items = Markup("").join(
                Markup('<li><a href="/odoo/cs.ticket/%s">%s</a></li>') % (t.id, t.display_name) for t in tickets[:200]
            )
            more = len(tickets) - 200
            if more > 0:
                items += Markup("<li>%s</li>") % env._("… and %(count)s more", count=more)
            user.partner_id.sudo().message_notify(
                partner_ids=user.partner_id.ids,
                subject=env._(
                    "SLA escalation %(level)s: %(count)s ticket(s)", level=level._level_label(), count=len(tickets)
                ),
                body=Markup("<ul>%s</ul>") % items,
                model_description=env._("Ticket"),
            )
