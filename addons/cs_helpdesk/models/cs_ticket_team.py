from ast import literal_eval
from collections import defaultdict

from odoo import api, fields, models
from odoo.addons.rating.models import rating_data

from .cs_followup import DEFAULT_MAX_ATTEMPTS
from .cs_selections import CONTACT_METHODS


class CsTicketTeam(models.Model):
    _name = "cs.ticket.team"
    _description = "Customer Service Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    member_ids = fields.Many2many(
        "res.users",
        "cs_ticket_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        check_company=True,
        help="Working time used to compute SLA deadlines of this team's tickets.",
    )
    assignment_method = fields.Selection(
        [
            ("manual", "Manual"),
            ("round_robin", "Round-robin"),
            ("balanced", "Balanced (fewest open tickets)"),
            ("skill", "Skill-based"),
        ],
        default="balanced",
        required=True,
        tracking=True,
        help="How new tickets are given to members: manual leaves them unassigned; round-robin takes "
        "members in turn; balanced picks the member with the fewest open tickets; skill-based keeps "
        "members whose skills match the ticket's category or tags, then balances.",
    )
    last_assigned_user_id = fields.Many2one("res.users", readonly=True, copy=False)
    stage_ids = fields.Many2many("cs.ticket.stage", string="Stages")
    ticket_ids = fields.One2many("cs.ticket", "team_id", string="Tickets")
    open_ticket_count = fields.Integer(compute="_compute_open_ticket_count")
    unassigned_ticket_count = fields.Integer(compute="_compute_open_ticket_count")

    # return visits
    followup_on_resolve = fields.Boolean(
        string="Return Visit on Resolution",
        help="Plan a return visit when a ticket of this team is resolved. Complaints always get one.",
    )
    followup_method = fields.Selection(CONTACT_METHODS, string="Return Visit Method", default="phone", required=True)
    followup_delay_days = fields.Integer(
        string="Return Visit After (days)",
        default=1,
        help="Days between the resolution (or a not-satisfied visit) and the planned return visit.",
    )
    followup_max_attempts = fields.Integer(
        string="Attempts When Unreachable",
        default=DEFAULT_MAX_ATTEMPTS,
        help="Tries to reach the customer before the return visits stop with a note.",
    )
    followup_retry_days = fields.Integer(
        string="Retry After (days)", default=1, help="Days between two tries to reach the customer."
    )
    reopen_days = fields.Integer(
        string="Reopen Within (days)",
        default=7,
        help="A customer reply within this many days of the resolution reopens the ticket; a later reply, or "
        "any reply to a closed ticket, opens a new ticket linked to it.",
    )
    max_open_tickets = fields.Integer(
        string="Open Tickets per Agent",
        default=0,
        help="Automatic assignment gives an agent no more open tickets than this (across all teams); the rest "
        "waits in the queue until an agent has room. 0 means no limit.",
    )
    # satisfaction
    rating_on_resolve = fields.Boolean(
        string="Rating Request on Resolution",
        default=True,
        help="Email the customer a satisfaction rating request when a ticket of this team is resolved.",
    )
    # complaints
    currency_id = fields.Many2one(related="company_id.currency_id")
    complaint_approval_amount = fields.Monetary(
        string="Compensation Approval Above",
        help="Complaint compensations above this amount need a manager's approval before the feedback to the "
        "customer. With 0, every compensation needs approval.",
    )
    # ratings of the team's tickets
    ticket_rating_count = fields.Integer(string="Ticket Ratings", compute="_compute_ticket_rating_stats")
    ticket_rating_avg = fields.Float(string="Average Rating", compute="_compute_ticket_rating_stats")
    ticket_rating_satisfaction = fields.Integer(
        string="Satisfaction (%)", compute="_compute_ticket_rating_stats", help="Share of happy ratings."
    )

    _sql_constraints = [
        (
            "followup_numbers_positive",
            "CHECK (COALESCE(followup_delay_days, 0) >= 0 AND COALESCE(followup_retry_days, 0) >= 0 "
            "AND COALESCE(followup_max_attempts, 1) >= 1)",
            "Return visit delays cannot be negative and at least one attempt is needed.",
        ),
        (
            "max_open_tickets_positive",
            "CHECK (COALESCE(max_open_tickets, 0) >= 0)",
            "The number of open tickets per agent cannot be negative.",
        ),
        (
            "reopen_days_positive",
            "CHECK (COALESCE(reopen_days, 0) >= 0)",
            "The reopening period cannot be negative.",
        ),
        (
            "complaint_approval_amount_positive",
            "CHECK (COALESCE(complaint_approval_amount, 0) >= 0)",
            "The compensation approval amount cannot be negative.",
        ),
    ]

    def _compute_open_ticket_count(self):
        groups = self.env["cs.ticket"]._read_group(
            [("team_id", "in", self.ids), ("is_closed", "=", False)],
            ["team_id", "user_id"],
            ["__count"],
        )
        open_counts, unassigned = {}, {}
        for team, user, count in groups:
            open_counts[team.id] = open_counts.get(team.id, 0) + count
            if not user:
                unassigned[team.id] = count
        for team in self:
            team.open_ticket_count = open_counts.get(team.id, 0)
            team.unassigned_ticket_count = unassigned.get(team.id, 0)

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("cs.ticket")
        if self.id:
            defaults = literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            values["alias_defaults"] = defaults
        return values

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._subscribe_leaders()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if "leader_id" in vals:
            self._subscribe_leaders()
        return res

    def _subscribe_leaders(self):
        for team in self.filtered("leader_id"):
            team.message_subscribe(partner_ids=team.leader_id.partner_id.ids)

    def _default_stage(self):
        """First stage of the pipeline for this team (or the shared one)."""
        self.ensure_one()
        return self.env["cs.ticket.stage"].search(
            ["|", ("team_ids", "=", False), ("team_ids", "in", self.ids)], order="sequence, id", limit=1
        )

    # ------------------------------------------------------------------ assignment
    def _assignable_members(self):
        """The members who may receive tickets now: the single filter of every assignment method.

        Extend it (super() then filter) to add a condition, e.g. agents off shift.
        """
        self.ensure_one()
        return self.member_ids.filtered(
            lambda user: user.active and not user.share and user.cs_availability == "available"
        )

    def _assign_tickets(self, tickets):
        """Give each ticket of ``tickets`` (all of this team, unassigned) to a member.

        Runs for whoever creates or moves the ticket: an agent may neither write on
        the team (round-robin turn) nor read every ticket that counts as workload,
        so the bookkeeping is done as superuser.
        """
        self.ensure_one()
        members = self._assignable_members()
        if self.assignment_method == "manual" or not members or not tickets:
            return
        cap = self.max_open_tickets
        loads = self._open_ticket_loads(members) if cap or self.assignment_method != "round_robin" else None

        def has_room(user):
            return not cap or loads[user.id] < cap

        by_user = defaultdict(list)
        if self.assignment_method == "round_robin":
            ordered = members.sorted("id")
            last = self.sudo().last_assigned_user_id
            # the member after the last one served, even if that one has left the team since
            turn = next((index for index, user in enumerate(ordered) if user.id > last.id), 0) if last else 0
            served = None
            for ticket in tickets:
                for _attempt in range(len(ordered)):  # the next member in turn who has room
                    user = ordered[turn % len(ordered)]
                    turn += 1
                    if has_room(user):
                        break
                else:
                    break  # every agent is full: the rest waits in the queue
                by_user[user].append(ticket.id)
                if loads is not None:
                    loads[user.id] += 1
                served = user
            if served:
                self.sudo().last_assigned_user_id = served
        else:
            for ticket in tickets:
                candidates = members.filtered(has_room)
                if not candidates:
                    break  # every agent is full: the rest waits in the queue
                if self.assignment_method == "skill":
                    candidates = candidates.filtered(lambda user, t=ticket: user._cs_has_skill_for(t)) or candidates
                user = min(candidates, key=lambda u: (loads[u.id], u.id))
                by_user[user].append(ticket.id)
                loads[user.id] += 1
        # The assignee follows the ticket but gets no "assigned to you" email per ticket: at
        # thousands of tickets a day that is noise, the agent works from the My Tickets queue.
        # A person assigning a ticket by hand still notifies the assignee.
        quiet = tickets.with_context(mail_auto_subscribe_no_notify=True)
        for user, ticket_ids in by_user.items():
            quiet.browse(ticket_ids).write({"user_id": user.id})

    def _open_ticket_loads(self, users):
        """Open tickets per user, across all teams and whatever the current user may read."""
        groups = (
            self.env["cs.ticket"]
            .sudo()
            ._read_group([("user_id", "in", users.ids), ("is_closed", "=", False)], ["user_id"], ["__count"])
        )
        loads = dict.fromkeys(users.ids, 0)
        loads.update({user.id: count for user, count in groups})
        return loads

    # ------------------------------------------------------------------ actions
    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_ticket_action")
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action

    def _compute_ticket_rating_stats(self):
        groups = (
            self.env["rating.rating"]
            .sudo()
            ._read_group(
                [
                    ("parent_res_model", "=", self._name),
                    ("parent_res_id", "in", self.ids),
                    ("res_model", "=", "cs.ticket"),
                    ("consumed", "=", True),
                    ("rating", ">=", rating_data.RATING_LIMIT_MIN),
                ],
                ["parent_res_id", "rating"],
                ["__count"],
            )
        )
        stats = {}
        for team_id, rating, count in groups:
            total, happy, score = stats.get(team_id, (0, 0, 0.0))
            great = rating_data._rating_to_grade(rating) == "great"
            stats[team_id] = (total + count, happy + (count if great else 0), score + rating * count)
        for team in self:
            total, happy, score = stats.get(team.id, (0, 0, 0.0))
            team.ticket_rating_count = total
            team.ticket_rating_avg = score / total if total else 0.0
            team.ticket_rating_satisfaction = round(happy * 100 / total) if total else 0

    def action_view_ticket_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.rating_rating_action_cs_ticket")
        action["domain"] = [
            ("res_model", "=", "cs.ticket"),
            ("parent_res_model", "=", self._name),
            ("parent_res_id", "=", self.id),
        ]
        return action
