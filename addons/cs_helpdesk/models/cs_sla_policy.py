from datetime import timedelta

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
        help="Working time follows the team's working hours and public holidays.",
    )
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
        hours = amount * (calendar.hours_per_day or 8) if self.time_unit == "working_days" else amount
        key = (calendar.id, start, hours)
        if cache is None or key not in cache:
            deadline = self._round_to_second(
                calendar.plan_hours(hours, start, compute_leaves=True) or start + timedelta(hours=hours)
            )
            if cache is None:
                return deadline
            cache[key] = deadline
        return cache[key]

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
