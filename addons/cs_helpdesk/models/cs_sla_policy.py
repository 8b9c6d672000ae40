from datetime import datetime, timedelta

import pytz
from odoo import api, fields, models

from .cs_selections import PRIORITIES


class CsSlaPolicy(models.Model):
    """Service-level commitment: which tickets it covers and the targets it sets.

    Every matching policy gives a ticket its own ``cs.ticket.sla`` lines, so a
    VIP complaint can be held to the complaint target and the VIP target at once.
    """

    _name = "cs.sla.policy"
    _description = "SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    # matching criteria: an empty criterion matches everything
    team_ids = fields.Many2many("cs.ticket.team", string="Teams", check_company=True)
    type_ids = fields.Many2many("cs.ticket.type", string="Ticket Types")
    channel_ids = fields.Many2many("cs.ticket.channel", string="Channels")
    category_ids = fields.Many2many("cs.ticket.category", string="Categories")
    priority = fields.Selection(PRIORITIES, string="Minimum Priority")
    partner_category_ids = fields.Many2many(
        "res.partner.category", string="Customer Tags", help="Only customers with one of these tags, e.g. VIP."
    )
    # targets
    time_unit = fields.Selection(
        [
            ("hours", "Hours (round the clock)"),
            ("working_hours", "Working hours"),
            ("working_days", "Working days"),
        ],
        default="working_hours",
        required=True,
        help="Working time follows the team's working hours (else the company's) and public holidays. "
        "A working day ends at the same working time on the next working day.",
    )
    calendar_warning = fields.Char(compute="_compute_calendar_warning")
    first_response_time = fields.Float(help="Time to the first public reply of an agent; 0 for no target.")
    resolution_time = fields.Float(help="Time to a resolved stage; 0 for no target.")
    answer_seconds = fields.Integer(
        string="Answer Target (s)", help="Live contacts (hotline): seconds within which an agent must answer."
    )
    pause_stage_ids = fields.Many2many(
        "cs.ticket.stage",
        string="Pausing Stages",
        help="The clock stops while the ticket is in one of these stages, e.g. waiting for the customer.",
    )
    escalation_ids = fields.One2many("cs.sla.escalation", "policy_id", string="Escalation Levels", copy=True)

    @api.constrains("first_response_time", "resolution_time", "answer_seconds")
    def _check_targets(self):
        for policy in self:
            if min(policy.first_response_time, policy.resolution_time, policy.answer_seconds) < 0:
                raise models.ValidationError(self.env._("SLA targets cannot be negative."))
            if not (policy.first_response_time or policy.resolution_time or policy.answer_seconds):
                raise models.ValidationError(
                    self.env._("SLA policy “%(name)s” needs at least one target.", name=policy.name)
                )

    @api.depends("time_unit", "team_ids.resource_calendar_id", "company_id.resource_calendar_id")
    def _compute_calendar_warning(self):
        for policy in self:
            policy.calendar_warning = False
            if policy.time_unit == "hours" or policy.company_id.resource_calendar_id:
                continue
            teams = policy.team_ids or self.env["cs.ticket.team"].search([("company_id", "=", policy.company_id.id)])
            missing = teams.filtered(lambda team: not team.resource_calendar_id)
            if missing or not teams:
                policy.calendar_warning = self.env._(
                    "No working hours for %(teams)s: their tickets are counted round the clock, weekends and "
                    "holidays included. Set working hours on the team or the company.",
                    teams=", ".join(missing.mapped("name")) or policy.company_id.name,
                )

    # ------------------------------------------------------------------ matching
    def _matches(self, ticket):
        self.ensure_one()
        return (
            self.company_id == ticket.company_id
            and (not self.team_ids or ticket.team_id in self.team_ids)
            and (not self.type_ids or ticket.type_id in self.type_ids)
            and (not self.channel_ids or ticket.channel_id in self.channel_ids)
            and (not self.category_ids or ticket.category_id in self.category_ids)
            and (not self.priority or (ticket.priority or "0") >= self.priority)
            and (
                not self.partner_category_ids
                or bool(
                    self.partner_category_ids
                    & (ticket.partner_id.category_id | ticket.partner_id.commercial_partner_id.category_id)
                )
            )
        )

    def _target_hours(self, kind):
        self.ensure_one()
        return self.first_response_time if kind == "first_response" else self.resolution_time

    @api.model
    def _round_to_second(self, moment):
        """Datetime fields keep whole seconds: round, so 15:59:59.9999 (float hours) is stored as 16:00:00."""
        return (moment + timedelta(microseconds=500000)).replace(microsecond=0) if moment else moment

    def _deadline(self, kind, start, calendar, cache=None):
        """Deadline of the ``kind`` target counted from ``start`` (naive UTC).

        ``cache`` memoises (calendar, start, hours): a batch of tickets created
        together shares one start time, so the calendar is walked once.
        """
        self.ensure_one()
        amount = self._target_hours(kind)
        if self.time_unit == "hours" or not calendar:
            factor = 24 if self.time_unit == "working_days" else 1
            return self._round_to_second(start + timedelta(hours=amount * factor))
        key = (calendar.id, start, self.time_unit, amount)
        if cache is None or key not in cache:
            if self.time_unit == "working_days":
                deadline = self._working_days_deadline(amount, start, calendar)
            else:
                deadline = calendar.plan_hours(amount, start, compute_leaves=True) or start + timedelta(hours=amount)
            deadline = self._round_to_second(deadline)
            if cache is None:
                return deadline
            cache[key] = deadline
        return cache[key]

    @api.model
    def _working_days_deadline(self, days, start, calendar):
        """``days`` working days from ``start``: the same working time on the n-th next working day.

        Working days are the days of ``calendar`` with working time, public holidays excluded. A start
        outside working time counts from the next working moment; a fraction of a day is added in hours.
        """
        whole = int(days)
        utc_start = pytz.utc.localize(start)
        horizon = utc_start + timedelta(days=whole * 2 + 31)
        intervals = list(calendar._work_intervals_batch(utc_start, horizon, compute_leaves=True)[False])
        intervals = [(begin, end) for begin, end, _meta in intervals if end > begin]
        if not intervals:
            return calendar.plan_hours(days * (calendar.hours_per_day or 8), start, compute_leaves=True) or start
        first = intervals[0][0]
        by_date = {}
        for begin, end in intervals:
            by_date.setdefault(begin.date(), []).append((begin, end))
        dates = [date for date in sorted(by_date) if date > first.date()]
        if whole and len(dates) < whole:
            return calendar.plan_hours(days * (calendar.hours_per_day or 8), start, compute_leaves=True) or start
        moment = first
        if whole:
            day_intervals = by_date[dates[whole - 1]]
            tz = pytz.timezone(calendar.tz or "UTC")
            target = tz.localize(datetime.combine(dates[whole - 1], first.time()))
            moment = next(
                (max(begin, target) for begin, end in day_intervals if target < end),
                day_intervals[-1][1],
            )
        deadline = moment.astimezone(pytz.utc).replace(tzinfo=None)
        fraction = days - whole
        if fraction:
            deadline = calendar.plan_hours(fraction * (calendar.hours_per_day or 8), deadline, compute_leaves=True)
        return deadline

    def _remaining_hours(self, start, deadline, calendar):
        """Target time left between ``start`` and ``deadline``, in this policy's clock."""
        self.ensure_one()
        if self.time_unit == "hours" or not calendar:
            return max((deadline - start).total_seconds() / 3600, 0.0)
        return calendar.get_work_hours_count(start, deadline, compute_leaves=True) if deadline > start else 0.0

    def _resume_deadline(self, remaining_hours, start, calendar):
        self.ensure_one()
        if self.time_unit == "hours" or not calendar:
            return self._round_to_second(start + timedelta(hours=remaining_hours))
        return self._round_to_second(calendar.plan_hours(remaining_hours, start, compute_leaves=True) or start)
