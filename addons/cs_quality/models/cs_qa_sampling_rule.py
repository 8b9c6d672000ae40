import math
import random
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import tz_name, utc_day_start
from odoo.exceptions import ValidationError
from odoo.tools import date_utils

# The seeds give no sampling rate: 5 % of each agent's closed tickets a week by default, per rule.
DEFAULT_SAMPLE_PERCENT = 5.0
# Ratings use Odoo's 1-5 scale; 1 and 2 ("not satisfied") are always reviewed by default.
DEFAULT_LOW_RATING = 2


class CsQaSamplingRule(models.Model):
    """Which closed tickets QA inspectors review each week, and who reviews them."""

    _name = "cs.qa.sampling.rule"
    _description = "QA Sampling Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    team_ids = fields.Many2many(
        "cs.ticket.team", string="Teams", check_company=True, help="Teams whose tickets are sampled; empty for all."
    )
    percentage = fields.Float(
        string="Sample (%)", default=DEFAULT_SAMPLE_PERCENT, help="Share of each agent's tickets closed in the week."
    )
    include_complaints = fields.Boolean(string="Always Include Complaints", default=True)
    low_rating = fields.Integer(
        string="Always Include Ratings Up To",
        default=DEFAULT_LOW_RATING,
        help="Tickets rated from 1 up to this value (Odoo's 1-5 scale) are always reviewed; 0 to turn off.",
    )
    seed = fields.Char(
        string="Random Seed",
        default="cs-quality",
        required=True,
        help="The draw of a week is reproducible: the same seed, week and tickets give the same sample.",
    )
    inspector_ids = fields.Many2many(
        "res.users",
        string="Inspectors",
        domain=lambda self: [("groups_id", "in", self.env.ref("cs_quality.group_qa_inspector").id)],
        help="Inspectors the reviews are spread over, fewest open reviews first; empty for every QA inspector.",
    )
    scorecard_id = fields.Many2one(
        "cs.qa.scorecard", check_company=True, help="Scorecard of the reviews; empty to pick one per ticket."
    )
    last_week = fields.Date(string="Last Week Drawn", readonly=True, copy=False)

    @api.constrains("percentage", "low_rating")
    def _check_values(self):
        for rule in self:
            if not 0 <= rule.percentage <= 100:
                raise ValidationError(self.env._("The sample must lie between 0 and 100 %."))
            if not 0 <= rule.low_rating <= 5:
                raise ValidationError(self.env._("The low rating threshold must lie between 0 and 5."))

    # ------------------------------------------------------------------ draw
    def _week_bounds(self, week_start):
        """UTC bounds of the local week starting on ``week_start`` (a Monday)."""
        tz = tz_name(self.env)
        return utc_day_start(week_start, tz), utc_day_start(week_start + timedelta(days=7), tz)

    def _candidate_domain(self, week_start):
        start, end = self._week_bounds(week_start)
        domain = [
            ("company_id", "=", self.company_id.id),
            ("is_closed", "=", True),
            ("closed_date", ">=", start),
            ("closed_date", "<", end),
            ("user_id", "!=", False),
            ("qa_review_ids", "=", False),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return domain

    def _draw(self, week_start):
        """Tickets of the week to review: every mandatory one plus a seeded random share per agent."""
        self.ensure_one()
        tickets = self.env["cs.ticket"].search_fetch(
            self._candidate_domain(week_start), ["user_id", "type_code", "rating_last_value"], order="id"
        )
        by_agent = {}
        for ticket in tickets:
            by_agent.setdefault(ticket.user_id.id, []).append(ticket)
        selected = []
        for agent_id, agent_tickets in sorted(by_agent.items()):
            mandatory = [t for t in agent_tickets if self._is_mandatory(t)]
            others = [t for t in agent_tickets if t not in mandatory]
            wanted = math.ceil(len(agent_tickets) * self.percentage / 100.0)
            rng = random.Random(f"{self.seed}:{week_start.isoformat()}:{agent_id}")
            drawn = rng.sample(others, min(len(others), max(wanted - len(mandatory), 0)))
            selected += mandatory + drawn
        return self.env["cs.ticket"].browse(sorted(t.id for t in selected))

    def _is_mandatory(self, ticket):
        if self.include_complaints and ticket.type_code == "complaint":
            return True
        return bool(self.low_rating and 1 <= ticket.rating_last_value <= self.low_rating)

    def _assign(self, tickets):
        """Create draft reviews, each ticket going to the least loaded inspector who is not its agent."""
        self.ensure_one()
        Review = self.env["cs.qa.review"]
        inspectors = self.inspector_ids or self.env["res.users"].search(
            [("groups_id", "in", self.env.ref("cs_quality.group_qa_inspector").id), ("share", "=", False)]
        )
        inspectors = inspectors.filtered(lambda u: self.company_id in u.company_ids)
        load = dict(
            Review._read_group(
                [("state", "=", "draft"), ("inspector_id", "in", inspectors.ids)], ["inspector_id"], ["__count"]
            )
        )
        load = {user.id: load.get(user, 0) for user in inspectors}
        vals_list = []
        # tickets of agents who are inspectors themselves have fewer candidates: place them first
        for ticket in tickets.sorted(lambda t: (t.user_id.id not in load, t.id)):
            available = [uid for uid in load if uid != ticket.user_id.id]
            if not available:
                continue
            inspector = min(available, key=lambda uid: (load[uid], uid))
            load[inspector] += 1
            vals_list.append(
                {
                    "ticket_id": ticket.id,
                    "inspector_id": inspector,
                    "kind": "sample",
                    "scorecard_id": self.scorecard_id.id or False,
                }
            )
        return Review.create(vals_list)

    def action_draw_last_week(self):
        week_start = date_utils.start_of(fields.Date.context_today(self), "week") - timedelta(days=7)
        reviews = self.env["cs.qa.review"]
        for rule in self:
            reviews |= rule._assign(rule._draw(week_start))
            rule.last_week = week_start
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_quality.cs_qa_review_action")
        action["domain"] = [("id", "in", reviews.ids)]
        return action

    @api.model
    def _cron_draw(self):
        week_start = date_utils.start_of(fields.Date.context_today(self), "week") - timedelta(days=7)
        for rule in self.search(["|", ("last_week", "=", False), ("last_week", "<", week_start)]):
            rule._assign(rule._draw(week_start))
            rule.last_week = week_start
