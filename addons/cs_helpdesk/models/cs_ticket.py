import re
from collections import defaultdict

from markupsafe import Markup
from odoo import Command, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from .res_config_settings import cs_record_param

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,24}$")


class CsTicket(models.Model):
    _name = "cs.ticket"
    _description = "Customer Service Ticket"
    _inherit = ["portal.mixin", "mail.thread.cc", "mail.activity.mixin", "rating.mixin"]
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
    # contact data: readable by the service roles, not by data analysts (seed 004 §9.2)
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
        [("none", "No SLA"), ("running", "On Track"), ("failed", "Failed"), ("met", "Met")],
        string="SLA Status",
        compute="_compute_sla_summary",
        store=True,
        index=True,
    )

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", tracking=True, copy=False, index="btree_not_null", ondelete="set null"
    )
    knowledge_article_ids = fields.One2many("cs.knowledge.article", "source_ticket_id", string="Articles")
    knowledge_article_count = fields.Integer(string="Article Count", compute="_compute_knowledge_article_count")
    feedback_ids = fields.One2many("cs.feedback", "ticket_id", string="Feedback")
    feedback_count = fields.Integer(compute="_compute_feedback_count")

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
            lines = ticket.sla_ids
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
        tickets._sla_apply()
        tickets._subscribe_customers()
        return tickets

    def write(self, vals):
        now = fields.Datetime.now()
        if vals.get("user_id"):
            unassigned = self.filtered(lambda t: not t.assign_date)
            if unassigned and len(unassigned) != len(self):
                unassigned.write({"assign_date": now})
            elif unassigned:
                vals["assign_date"] = now
        if "stage_id" in vals:
            self._before_stage_change(self.env["cs.ticket.stage"].browse(vals["stage_id"]), now)
        res = super().write(vals)
        if "team_id" in vals and "user_id" not in vals:  # an assignee chosen in the same write is kept
            self.filtered(lambda t: not t.user_id or t.user_id not in t.team_id.member_ids)._reassign_on_team_change()
        if set(vals) & self._sla_fields():
            self._sla_apply()
        if "stage_id" in vals:
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
        for team in self.team_id:
            team._assign_tickets(self.filtered(lambda t, tm=team: t.team_id == tm and not t.user_id))
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
                ticket.reopen_count += 1
                ticket.resolved_date = False
                ticket.closed_date = False

    def _after_stage_change(self, now):
        resolved = self.filtered(lambda t: (t.is_resolved or t.is_closed) and not t.resolved_date)
        if resolved:
            resolved.write({"resolved_date": now})
            # a solution given is also the answer to the customer: no clock is left to escalate on
            resolved.sudo().sla_ids.filtered(lambda s: s.kind in ("resolution", "first_response"))._reach(now)
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
        stage = self.team_id[:1]._default_stage() or self._shared_first_stage()
        in_progress = self.env["cs.ticket.stage"].search(
            [("is_resolved", "=", False), ("is_closed", "=", False), ("sequence", ">", stage.sequence)],
            order="sequence",
            limit=1,
        )
        self.write({"stage_id": (in_progress or stage).id})

    def action_take(self):
        self.write({"user_id": self.env.uid})

    # ------------------------------------------------------------------ SLA
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

    def _sla_apply(self):
        """Create the SLA lines of matching policies; drop running lines that no longer apply.

        SLA lines are the engine's bookkeeping: agents read them, only the engine writes them.
        Reached and failed lines are history: they stay whatever the ticket becomes.
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
            existing = {(sla.policy_id.id, sla.kind): sla for sla in ticket.sla_ids}
            for key, sla in existing.items():
                if key not in keys and sla.status in ("running", "paused"):
                    to_drop |= sla
                elif sla.kind == "answer" and not sla.reached_date and key in keys:
                    # the answer time was recorded after the contact was logged
                    values = ticket._sla_line_values(sla.policy_id, "answer", now, None, cache)
                    if values.get("reached_date"):
                        answered[values["status"]] |= sla
            start = ticket.create_date or now
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
        values = {"ticket_id": self.id, "policy_id": policy.id, "kind": kind}
        if kind == "answer":
            if self.answer_seconds or self.answer_seconds == 0 and self.user_id:
                met = self.answer_seconds <= policy.answer_seconds
                values.update(status="met" if met else "failed", reached_date=start)
            return values
        values["deadline"] = policy._deadline(kind, start, calendar, cache)
        reached = self.first_response_date if kind == "first_response" else self.resolved_date
        if reached:
            values.update(status="met" if reached <= values["deadline"] else "failed", reached_date=reached)
        return values

    # ------------------------------------------------------------------ mail
    def _message_post_after_hook(self, message, msg_vals):
        if (
            not self.first_response_date
            and message.message_type == "comment"
            and not message.is_internal
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            now = fields.Datetime.now()
            self.first_response_date = now
            self.sudo().sla_ids.filtered(lambda s: s.kind == "first_response")._reach(now)
        return super()._message_post_after_hook(message, msg_vals)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Mail gateway: a new email becomes a ticket of the alias's team.

        The customer is found by email or created (a contact of the team's company
        or a shared one), so the chatter thread and the portal show the ticket to
        the right person and the email is posted as written by that customer.
        """
        values = dict(custom_values or {})
        team = self.env["cs.ticket.team"].browse(values.get("team_id")).exists()
        if team:
            values.setdefault("company_id", team.company_id.id)
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        email = msg_dict.get("email_from") or msg_dict.get("from")
        partner = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if partner.company_id and partner.company_id != company:
            partner = self.env["res.partner"]
        if not partner and email:
            partner = self._mail_find_partner_from_emails(
                [email], force_create=True, extra_domain=[("company_id", "in", [False, company.id])]
            )[0]
            if not msg_dict.get("author_id"):
                msg_dict["author_id"] = partner.id  # the email is then posted as written by the customer
        email_channel = self.env.ref("cs_helpdesk.channel_email", raise_if_not_found=False)
        if not email_channel:
            email_channel = self.env["cs.ticket.channel"].search([("channel_type", "=", "email")], limit=1)
        values.setdefault("name", msg_dict.get("subject") or self.env._("No Subject"))
        values.setdefault("partner_id", partner.id)
        values.setdefault("email_from", email)
        values.setdefault("channel_id", email_channel.id)
        values.setdefault("description", msg_dict.get("body"))
        # the customer follows the ticket (see create); the user running the gateway does not
        return super().message_new(msg_dict, custom_values=values)

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        if self.partner_id:
            self._message_add_suggested_recipient(recipients, partner=self.partner_id, reason=self.env._("Customer"))
        elif self.email_from:
            self._message_add_suggested_recipient(
                recipients, email=self.email_from, reason=self.env._("Customer Email")
            )
        return recipients

    def _rating_get_partner(self):
        return self.partner_id or super()._rating_get_partner()

    def _compute_knowledge_article_count(self):
        groups = self.env["cs.knowledge.article"]._read_group(
            [("source_ticket_id", "in", self.ids)], ["source_ticket_id"], ["__count"]
        )
        counts = {ticket.id: count for ticket, count in groups}
        for ticket in self:
            ticket.knowledge_article_count = counts.get(ticket.id, 0)

    def _compute_feedback_count(self):
        groups = self.env["cs.feedback"]._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        counts = {ticket.id: count for ticket, count in groups}
        for ticket in self:
            ticket.feedback_count = counts.get(ticket.id, 0)

    # ------------------------------------------------------------------ knowledge
    def action_open_knowledge_insert(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Insert Knowledge Answer"),
            "res_model": "cs.knowledge.insert",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _last_agent_reply(self):
        """Body of the last reply an employee sent the customer (notes excluded)."""
        self.ensure_one()
        comment = self.env.ref("mail.mt_comment")
        for message in self.message_ids:  # newest first
            if (
                message.message_type == "comment"
                and message.subtype_id == comment
                and message.author_id.user_ids.filtered(lambda u: not u.share)
            ):
                return message.body
        return Markup()

    def action_ticket_to_article(self):
        """Capture a solved ticket as a draft Q&A article, linked back to the ticket."""
        self.ensure_one()
        if not self.is_resolved:
            raise UserError(self.env._("Only a resolved ticket can become a knowledge article."))
        Article = self.env["cs.knowledge.article"]
        article = Article.create(Article._values_from_ticket(self, self._last_agent_reply()))
        self.message_post(
            body=self.env._("Knowledge article draft created: %(link)s", link=article._get_html_link()),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.knowledge.article",
            "res_id": article.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_knowledge_articles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_knowledge_article_action")
        action["domain"] = [("source_ticket_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action

    # ------------------------------------------------------------------ CRM
    def _prepare_lead_values(self):
        self.ensure_one()
        team = cs_record_param(self.env, "cs_helpdesk.presales_crm_team_id", "crm.team")
        salesman = self.env.user.has_group("sales_team.group_sale_salesman")
        return {
            "name": self.name,
            "type": "opportunity",
            "partner_id": self.partner_id.id,
            "contact_name": self.partner_name if not self.partner_id else False,
            "email_from": self.email_from,
            "phone": self.partner_phone,
            "description": self.description,
            "team_id": team.id,
            "user_id": self.env.user.id if salesman else False,
            "company_id": self.company_id.id,
            "cs_ticket_id": self.id,
        }

    def action_create_opportunity(self):
        """Hand a pre-sales consultation to sales as an opportunity linked both ways.

        Agents without CRM rights still hand it over: the opportunity is then created as superuser,
        the agent stays its creator and sales picks it up.
        """
        self.ensure_one()
        if self.type_code != "consultation":
            raise UserError(self.env._("Only consultation tickets can become opportunities."))
        if self.lead_id:
            return self.action_view_opportunity()
        self.check_access("write")
        Lead = self.env["crm.lead"]
        if not Lead.has_access("create"):
            Lead = Lead.sudo()
        lead = Lead.create(self._prepare_lead_values())
        self.lead_id = lead
        lead.message_post(
            body=self.env._("Created from pre-sales consultation %(number)s.", number=self.number),
            subtype_xmlid="mail.mt_note",
        )
        if self.env["crm.lead"].has_access("read"):
            return self.action_view_opportunity()
        return True

    def action_view_opportunity(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------ feedback
    def _prepare_feedback_values(self):
        self.ensure_one()
        return {
            "name": self.name,
            "partner_id": self.partner_id.id,
            "ticket_id": self.id,
            "content": self.description,
            "source": "ticket",
            "company_id": self.company_id.id,
        }

    def action_create_feedback(self):
        """Record a customer's suggestion as voice-of-the-customer feedback for the departments."""
        self.ensure_one()
        if self.type_code != "suggestion":
            raise UserError(self.env._("Only suggestion tickets are recorded as feedback from the ticket."))
        feedback = self.env["cs.feedback"].create(self._prepare_feedback_values())
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.feedback",
            "res_id": feedback.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_feedback_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "default_partner_id": self.partner_id.id}
        return action
