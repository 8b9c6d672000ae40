import re

from odoo import Command, api, fields, models, tools
from odoo.exceptions import ValidationError

from .cs_selections import PRIORITIES, SLA_STATUSES

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,24}$")


class CsTicket(models.Model):
    _name = "cs.ticket"
    _description = "Customer Service Ticket"
    _inherit = [
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "rating.mixin",
        "mail.tracking.duration.mixin",
    ]
    _order = "priority desc, id desc"
    _primary_email = "email_from"
    _check_company_auto = True
    # not email_from: analysts may not read contact fields, and a name search must not need them
    _rec_names_search = ["number", "name", "partner_name"]
    _track_duration_field = "stage_id"

    def _default_team_id(self):
        team_id = self.env.context.get("default_team_id")
        if team_id:
            return self.env["cs.ticket.team"].browse(team_id)
        return self.env["cs.ticket.team"].search(
            [("member_ids", "in", self.env.uid), ("company_id", "in", self.env.companies.ids)], limit=1
        )

    number = fields.Char(string="Ticket Number", readonly=True, copy=False, index=True, default="/")
    name = fields.Char(string="Subject", required=True, tracking=True, index="trigram")
    description = fields.Html()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    color = fields.Integer()
    # customer
    partner_id = fields.Many2one("res.partner", string="Customer", tracking=True, index=True, check_company=True)
    partner_name = fields.Char(string="Customer Name", compute="_compute_partner_info", store=True, readonly=False)
    # contact data: readable by the service roles, not by data analysts (readme/CONFIGURE.md, security groups)
    email_from = fields.Char(
        string="Email",
        compute="_compute_partner_info",
        store=True,
        readonly=False,
        index="trigram",
        groups="cs_helpdesk.group_agent",
    )
    partner_phone = fields.Char(
        string="Phone", compute="_compute_partner_info", store=True, readonly=False, groups="cs_helpdesk.group_agent"
    )
    # classification
    type_id = fields.Many2one("cs.ticket.type", string="Type", tracking=True, index=True)
    type_code = fields.Selection(related="type_id.code")
    category_id = fields.Many2one("cs.ticket.category", string="Category", tracking=True, index=True)
    channel_id = fields.Many2one("cs.ticket.channel", string="Channel", tracking=True, index=True)
    channel_type = fields.Selection(related="channel_id.channel_type")
    tag_ids = fields.Many2many("cs.ticket.tag", string="Tags")
    priority = fields.Selection(PRIORITIES, default="1", tracking=True, index=True)
    # routing
    team_id = fields.Many2one(
        "cs.ticket.team", string="Team", tracking=True, index=True, default=_default_team_id, check_company=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        tracking=True,
        index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    stage_id = fields.Many2one(
        "cs.ticket.stage",
        string="Stage",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        copy=False,
        group_expand="_read_group_expand_stage_ids",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    is_resolved = fields.Boolean(related="stage_id.is_resolved", store=True)
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    fold = fields.Boolean(related="stage_id.fold")
    # timestamps for reports
    assign_date = fields.Datetime(string="Assigned On", readonly=True, copy=False)
    first_response_date = fields.Datetime(string="First Response On", readonly=True, copy=False)
    resolved_date = fields.Datetime(string="Resolved On", readonly=True, copy=False, index=True)
    closed_date = fields.Datetime(string="Closed On", readonly=True, copy=False)
    reopen_count = fields.Integer(readonly=True, copy=False)
    first_response_hours = fields.Float(
        compute="_compute_durations", store=True, aggregator="avg", help="Elapsed hours to the first reply."
    )
    resolution_hours = fields.Float(
        compute="_compute_durations", store=True, aggregator="avg", help="Elapsed hours to resolution."
    )
    answer_seconds = fields.Integer(
        string="Answered After (s)", help="Phone and chat: seconds the customer waited before an agent answered."
    )
    # SLA
    sla_ids = fields.One2many("cs.ticket.sla", "ticket_id", string="SLAs", copy=False)
    sla_deadline = fields.Datetime(
        string="SLA Deadline", compute="_compute_sla_summary", store=True, index=True, help="Nearest running deadline."
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        compute="_compute_sla_summary",
        store=True,
        index=True,
    )

    _sql_constraints = [
        ("answer_seconds_positive", "CHECK (answer_seconds >= 0)", "The answer time cannot be negative.")
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id")
    def _compute_partner_info(self):
        for ticket in self.filtered("partner_id"):
            ticket.partner_name = ticket.partner_id.name
            ticket.email_from = ticket.partner_id.email or ticket.email_from
            ticket.partner_phone = ticket.partner_id.phone or ticket.partner_id.mobile or ticket.partner_phone

    @api.depends("team_id")
    def _compute_stage_id(self):
        stages = {}
        for ticket in self:
            if ticket.stage_id and (not ticket.stage_id.team_ids or ticket.team_id in ticket.stage_id.team_ids):
                continue
            if ticket.team_id.id not in stages:
                stages[ticket.team_id.id] = (
                    ticket.team_id._default_stage() if ticket.team_id else self._shared_first_stage()
                )
            ticket.stage_id = stages[ticket.team_id.id]

    def _shared_first_stage(self):
        return self.env["cs.ticket.stage"].search([("team_ids", "=", False)], order="sequence, id", limit=1)

    @api.depends("create_date", "first_response_date", "resolved_date")
    def _compute_durations(self):
        def hours_since_creation(ticket, moment):
            return (moment - ticket.create_date).total_seconds() / 3600 if ticket.create_date and moment else 0.0

        for ticket in self:
            ticket.first_response_hours = hours_since_creation(ticket, ticket.first_response_date)
            ticket.resolution_hours = hours_since_creation(ticket, ticket.resolved_date)

    @api.depends("sla_ids.status", "sla_ids.deadline")
    def _compute_sla_summary(self):
        for ticket in self:
            # a target that did not apply (cancelled, spam, never measured) counts neither way
            lines = ticket.sla_ids.filtered(lambda sla: sla.status != "not_applicable")
            running = lines.filtered(lambda sla: sla.status == "running" and sla.deadline)
            ticket.sla_deadline = min(running.mapped("deadline")) if running else False
            if not lines:
                ticket.sla_status = "none"
            elif "failed" in lines.mapped("status"):
                ticket.sla_status = "failed"
            elif "running" in lines.mapped("status") or "paused" in lines.mapped("status"):
                ticket.sla_status = "running"
            else:
                ticket.sla_status = "met"

    def _compute_access_url(self):
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    def _read_group_expand_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        search_domain = [("team_ids", "=", False)]
        if team_id:
            search_domain = ["|", ("team_ids", "in", team_id)] + search_domain
        return stages.search(search_domain, order=stages._order) | stages

    # ------------------------------------------------------------------ constraints
    @api.constrains("email_from")
    def _check_email_from(self):
        for ticket in self.filtered("email_from"):
            if not tools.email_normalize(ticket.email_from):
                raise ValidationError(self.env._("“%(email)s” is not a valid email address.", email=ticket.email_from))

    @api.constrains("partner_phone")
    def _check_partner_phone(self):
        for ticket in self.filtered("partner_phone"):
            if not PHONE_RE.match(ticket.partner_phone.strip()):
                raise ValidationError(
                    self.env._(
                        "“%(phone)s” is not a valid phone number: use digits, spaces, dashes and an optional +.",
                        phone=ticket.partner_phone,
                    )
                )

    @api.constrains("partner_id", "email_from", "partner_phone")
    def _check_customer(self):
        if self.env.context.get("cs_sender_unknown"):
            return  # a mail without sender address: the ticket keeps the mail, an agent finds the customer
        for ticket in self:
            if not (ticket.partner_id or ticket.email_from or ticket.partner_phone):
                raise ValidationError(
                    self.env._(
                        "Ticket “%(name)s” needs a customer: choose a contact or give an email or phone.",
                        name=ticket.name,
                    )
                )

    @api.constrains("team_id")
    def _check_team_active(self):
        for ticket in self:
            if ticket.team_id and not ticket.team_id.active:
                raise ValidationError(
                    self.env._("Team “%(team)s” is archived: choose an active team.", team=ticket.team_id.name)
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        channels = self.env["cs.ticket.channel"].browse(
            {vals["channel_id"] for vals in vals_list if vals.get("channel_id")}
        )
        default_team = {channel.id: channel.team_id.id for channel in channels}
        sequences = {}
        for vals in vals_list:
            company_id = vals.get("company_id") or self.env.company.id
            if vals.get("number", "/") == "/":
                if company_id not in sequences:
                    sequences[company_id] = self._number_sequence(company_id)
                vals["number"] = sequences[company_id]._next() if sequences[company_id] else "/"
            if not vals.get("team_id") and default_team.get(vals.get("channel_id")):
                vals["team_id"] = default_team[vals["channel_id"]]
            if not vals.get("user_id") and self.env.context.get("cs_assign_to_me"):
                vals["user_id"] = self.env.uid  # an agent logging their own call or chat
            if vals.get("user_id"):
                vals["assign_date"] = now
        tickets = super().create(vals_list)
        tickets._auto_assign()
        tickets._sla_apply(creating=True)
        tickets._subscribe_customers()
        return tickets

    def write(self, vals):
        if "team_id" in vals and "stage_id" not in vals:
            # a stage of the old team is left through the stage hooks (SLA pause/resume, reopening), as a stage change
            team = self.env["cs.ticket.team"].browse(vals["team_id"])
            moving = self.filtered(lambda t: t.stage_id.team_ids and team not in t.stage_id.team_ids)
            if moving:
                stage = team._default_stage() if team else self._shared_first_stage()
                if moving != self:  # a mixed batch: each part goes through the whole write
                    (self - moving).write(vals)
                    return moving.write(dict(vals, stage_id=stage.id))
                vals = dict(vals, stage_id=stage.id)
        now = fields.Datetime.now()
        if vals.get("user_id"):
            unassigned = self.filtered(lambda t: not t.assign_date)
            if unassigned and len(unassigned) != len(self):
                unassigned.write({"assign_date": now})
            elif unassigned:
                vals["assign_date"] = now
        finished = self.browse()
        if "stage_id" in vals:
            finished = self.filtered(lambda t: t.is_resolved or t.is_closed)
            self._before_stage_change(self.env["cs.ticket.stage"].browse(vals["stage_id"]), now)
        res = super().write(vals)
        if "team_id" in vals and "user_id" not in vals:  # an assignee chosen in the same write is kept
            self.filtered(lambda t: not t.user_id or t.user_id not in t.team_id.member_ids)._reassign_on_team_change()
        if set(vals) & self._sla_fields():
            self._sla_apply()
        if "stage_id" in vals:
            # 二次处理: the reopened tickets get a new resolution target counted from now
            finished.filtered(lambda t: not (t.is_resolved or t.is_closed))._sla_apply()
            self._after_stage_change(now)
        if "partner_id" in vals:
            self._subscribe_customers()
        return res

    @api.model
    def _number_sequence(self, company_id):
        """The company's ticket sequence, else the shared one, as ``next_by_code`` picks it.

        Looked up once per batch rather than once per ticket as ``next_by_code`` would.
        """
        return (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", "cs.ticket"), ("company_id", "in", [company_id, False])], order="company_id", limit=1
            )
        )

    # ------------------------------------------------------------------ assignment
    def _auto_assign(self):
        ordered = self._cs_queue_sorted()  # higher-priority queues first, then priority, then age
        for team in ordered.team_id.sorted(lambda t: t._cs_queue_key()):
            team._assign_tickets(ordered.filtered(lambda t, tm=team: t.team_id == tm and not t.user_id))
        assigned = self.filtered(lambda t: t.user_id and not t.assign_date)
        if assigned:
            assigned.write({"assign_date": fields.Datetime.now()})

    def _reassign_on_team_change(self):
        """Hand the moved tickets to the new team's assignment; a ticket left without team keeps its assignee.

        As superuser: the agent who transfers a ticket to another team may no longer see it afterwards.
        """
        tickets = self.sudo().filtered("team_id")
        tickets.write({"user_id": False})
        tickets._auto_assign()

    def _subscribe_customers(self):
        """Make each ticket's customer a follower, so replies reach them and the portal shows the ticket.

        A batch form of ``message_subscribe``, which subscribes one set of partners to every
        record: here each ticket has its own customer, and a gateway or import batch creates
        thousands at once, so followers are inserted with one query instead of five per ticket.
        """
        tickets = self.filtered("partner_id")
        if not tickets:
            return
        Followers = self.env["mail.followers"].sudo()
        existing = set(
            Followers.search_fetch(
                [("res_model", "=", self._name), ("res_id", "in", tickets.ids)], ["res_id", "partner_id"]
            ).mapped(lambda f: (f.res_id, f.partner_id.id))
        )
        default, _internal, external = self.env["mail.message.subtype"].default_subtypes(self._name)
        customers = set(tickets.partner_id.filtered("partner_share").ids)
        Followers.create(
            [
                {
                    "res_model": self._name,
                    "res_id": ticket.id,
                    "partner_id": ticket.partner_id.id,
                    "subtype_ids": [Command.set((external if ticket.partner_id.id in customers else default).ids)],
                }
                for ticket in tickets
                if (ticket.id, ticket.partner_id.id) not in existing
            ]
        )

    # ------------------------------------------------------------------ stages
    def _before_stage_change(self, stage, now):
        for ticket in self:
            reopened = (ticket.is_resolved or ticket.is_closed) and not (stage.is_resolved or stage.is_closed)
            if reopened:
                # the outcome of the previous handling stays on the ticket, its lines stay as history
                ticket.previous_sla_status = ticket.sla_status
                ticket.previous_resolved_date = ticket.resolved_date or ticket.closed_date
                ticket.reopen_count += 1
                ticket.resolved_date = False
                ticket.closed_date = False

    def _after_stage_change(self, now):
        cancelled = self.filtered(lambda t: t.stage_id.is_cancelled and not t.closed_date)
        resolved = self.filtered(lambda t: (t.is_resolved or t.is_closed) and not t.resolved_date) - cancelled
        if resolved:
            resolved.write({"resolved_date": now})
            lines = resolved.sudo().sla_ids
            lines.filtered(lambda s: s.kind == "resolution")._reach(now)
            # closing is not answering: a first response never given is not met, an answer time never
            # entered is not measured
            lines.filtered(lambda s: s.kind == "first_response")._close_unreached(now, "failed")
            lines.filtered(lambda s: s.kind == "answer")._close_unreached(now, "not_applicable")
        if cancelled:
            cancelled.sudo().sla_ids._close_unreached(now, "not_applicable")
        closed = self.filtered(lambda t: t.is_closed and not t.closed_date)
        if closed:
            closed.write({"closed_date": now})
        lines = self.sudo().sla_ids
        pausing = lines.filtered(lambda s: s.ticket_id.stage_id in s.policy_id.pause_stage_ids)
        pausing._pause(now)
        (lines - pausing)._resume(now)

    def _track_template(self, changes):
        res = super()._track_template(changes)
        ticket = self[0]
        if "stage_id" in changes and ticket.stage_id.template_id:
            res["stage_id"] = (
                ticket.stage_id.template_id,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def action_reopen(self):
        for team, tickets in self.grouped("team_id").items():
            tickets.write({"stage_id": self._in_progress_stage(team).id})

    @api.model
    def _in_progress_stage(self, team):
        """Where a ticket of ``team`` is worked on: its last open stage that is not waiting on the customer."""
        teams = ["|", ("team_ids", "=", False), ("team_ids", "in", team.ids)] if team else [("team_ids", "=", False)]
        stage = self.env["cs.ticket.stage"].search(
            [("is_resolved", "=", False), ("is_closed", "=", False), ("is_waiting", "=", False), *teams],
            order="sequence desc, id desc",
            limit=1,
        )
        return stage or (team._default_stage() if team else self._shared_first_stage())

    def action_take(self):
        self.write({"user_id": self.env.uid})
