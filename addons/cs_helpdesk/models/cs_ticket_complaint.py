from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount, format_datetime, format_list, is_html_empty

from .cs_complaint_escalation import SEVERITIES
from .cs_followup import CONTACT_METHODS, FOLLOWUP_RESULTS
from .cs_sla_escalation import ESCALATION_LEVELS

COMPLAINT_STATES = [
    ("registered", "Registered"),
    ("reviewed", "Reviewed"),
    ("investigating", "Investigating"),
    ("feedback", "Feedback Given"),
    ("return_visit", "Return Visit"),
    ("archived", "Archived"),
]
# the handling steps (002 §3.2; 001-E9 L697-711): each step only from the previous one; a reopened
# complaint (二次处理) goes back to the investigation, a resolved one waits for its return visit
COMPLAINT_TRANSITIONS = {
    "registered": {"reviewed"},
    "reviewed": {"investigating"},
    "investigating": {"feedback"},
    "feedback": {"return_visit", "investigating"},
    "return_visit": {"archived", "investigating"},
    "archived": {"return_visit", "investigating"},
}
FEEDBACK_GIVEN = ("feedback", "return_visit", "archived")
REVIEWED = ("reviewed", "investigating", *FEEDBACK_GIVEN)
REASONABLENESS = [("reasonable", "Reasonable"), ("partly", "Partly Reasonable"), ("unreasonable", "Unreasonable")]
APPROVAL_STATES = [
    ("none", "Not Requested"),
    ("pending", "Waiting for Approval"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
FOLLOWUP_STATUS = [
    ("none", "None"),
    ("planned", "Planned"),
    ("satisfied", "Satisfied"),
    ("unsatisfied", "Not Satisfied"),
    ("unreachable", "Stopped: Unreachable"),
]
FOLLOWUP_DONE = ("satisfied", "unreachable")
APPROVAL_FIELDS = {
    "complaint_approver_id",
    "complaint_approval_date",
    "complaint_approved_amount",
    "complaint_refusal_reason",
}
RATING_DIMENSIONS = ("cs_attitude_score", "cs_efficiency_score", "cs_solving_score")


class CsTicket(models.Model):
    """Complaint handling (投诉), return visits (回访) and satisfaction ratings of tickets."""

    _inherit = "cs.ticket"

    # ------------------------------------------------------------------ complaint: registration and review
    complaint_state = fields.Selection(
        COMPLAINT_STATES,
        string="Complaint Step",
        compute="_compute_complaint_state",
        store=True,
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="Handling step of a complaint: registered, reviewed by a complaint handler, investigated, feedback "
        "given to the customer, return visit, archived.",
    )
    complaint_severity = fields.Selection(SEVERITIES, string="Severity", tracking=True, index="btree_not_null")
    complaint_aspect_id = fields.Many2one(
        "cs.complaint.aspect",
        string="Aspect",
        tracking=True,
        index="btree_not_null",
        help="What the customer is dissatisfied with.",
    )
    complaint_reasonableness = fields.Selection(REASONABLENESS, string="Request Is", tracking=True)
    complaint_department_id = fields.Many2one(
        "cs.department",
        string="Responsible Department",
        tracking=True,
        index="btree_not_null",
        check_company=True,
    )
    complaint_reviewer_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False)
    complaint_review_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    # ------------------------------------------------------------------ complaint: investigation
    complaint_defect_found = fields.Boolean(string="Service Defect Found", tracking=True, copy=False)
    complaint_defect_description = fields.Text(string="Defect Description", copy=False)
    complaint_user_ids = fields.Many2many(
        "res.users",
        "cs_ticket_complaint_user_rel",
        "ticket_id",
        "user_id",
        string="Attributed To",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        copy=False,
        help="Agents the complaint is attributed to: it counts in their complaint rate and assessment.",
    )
    complaint_apology = fields.Boolean(string="Apology Given", tracking=True, copy=False)
    complaint_resolution = fields.Text(string="Handling Result", copy=False)
    complaint_improvement = fields.Text(string="Improvement Measure", copy=False)
    # ------------------------------------------------------------------ complaint: escalation and approval
    complaint_escalation_level = fields.Selection(
        ESCALATION_LEVELS, string="Escalation Level", readonly=True, copy=False, tracking=True
    )
    complaint_escalation_date = fields.Datetime(string="Escalated On", readonly=True, copy=False)
    complaint_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    complaint_compensation = fields.Monetary(
        string="Compensation", currency_field="complaint_currency_id", tracking=True, copy=False
    )
    complaint_needs_approval = fields.Boolean(
        string="Needs Approval",
        tracking=True,
        copy=False,
        help="The resolution needs a manager's approval whatever the compensation.",
    )
    complaint_approval_required = fields.Boolean(
        string="Approval Required", compute="_compute_complaint_approval_required"
    )
    complaint_approval_state = fields.Selection(
        APPROVAL_STATES, string="Approval", default="none", readonly=True, copy=False, tracking=True
    )
    complaint_approver_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    complaint_approval_date = fields.Datetime(string="Decided On", readonly=True, copy=False)
    complaint_approved_amount = fields.Monetary(
        string="Approved Compensation", currency_field="complaint_currency_id", readonly=True, copy=False
    )
    complaint_refusal_reason = fields.Text(string="Refusal Reason", readonly=True, copy=False)
    # ------------------------------------------------------------------ complaint: feedback and evaluation
    complaint_feedback_date = fields.Datetime(string="Feedback Given On", tracking=True, copy=False)
    complaint_feedback_channel = fields.Selection(CONTACT_METHODS, string="Feedback Channel", tracking=True, copy=False)
    complaint_feedback_note = fields.Text(string="Feedback to the Customer", copy=False)
    complaint_evaluation = fields.Text(
        string="Customer Evaluation", copy=False, help="The customer's evaluation at the return visit."
    )
    complaint_evaluation_result = fields.Selection(
        FOLLOWUP_RESULTS, string="Evaluation Result", tracking=True, copy=False
    )
    # ------------------------------------------------------------------ return visits
    followup_ids = fields.One2many("cs.followup", "ticket_id", string="Return Visits")
    followup_count = fields.Integer(string="Return Visit Count", compute="_compute_followup_count")
    followup_status = fields.Selection(
        FOLLOWUP_STATUS,
        string="Return Visit",
        compute="_compute_followup_status",
        store=True,
        index="btree_not_null",
        copy=False,
    )
    # ------------------------------------------------------------------ satisfaction dimensions (last rating)
    rating_attitude_score = fields.Integer(string="Service Attitude", compute="_compute_rating_dimensions")
    rating_efficiency_score = fields.Integer(string="Service Efficiency", compute="_compute_rating_dimensions")
    rating_solving_score = fields.Integer(string="Problem Solving", compute="_compute_rating_dimensions")

    _sql_constraints = [
        (
            "complaint_compensation_positive",
            "CHECK (COALESCE(complaint_compensation, 0) >= 0)",
            "The compensation cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("type_id.code")
    def _compute_complaint_state(self):
        for ticket in self:
            if ticket.type_id.code == "complaint":
                ticket.complaint_state = ticket.complaint_state or "registered"
            else:
                ticket.complaint_state = False

    @api.depends("complaint_state", "complaint_needs_approval", "complaint_compensation", "team_id")
    def _compute_complaint_approval_required(self):
        for ticket in self:
            threshold = ticket.team_id.complaint_approval_amount
            ticket.complaint_approval_required = bool(ticket.complaint_state) and (
                ticket.complaint_needs_approval
                or ticket.complaint_currency_id.compare_amounts(ticket.complaint_compensation, threshold) > 0
            )

    def _compute_followup_count(self):
        groups = self.env["cs.followup"]._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        counts = {ticket.id: count for ticket, count in groups}
        for ticket in self:
            ticket.followup_count = counts.get(ticket.id, 0)

    @api.depends("followup_ids.state", "followup_ids.result", "followup_ids.date_done")
    def _compute_followup_status(self):
        for ticket in self:
            visits = ticket.followup_ids.filtered(lambda v: v.state != "cancelled")
            if not visits:
                ticket.followup_status = "none"
            elif "planned" in visits.mapped("state"):
                ticket.followup_status = "planned"
            else:
                last = visits.sorted(lambda v: (v.date_done or v.date_planned, v.id))[-1]
                ticket.followup_status = last.result

    @api.depends("rating_ids.consumed", *(f"rating_ids.{name}" for name in RATING_DIMENSIONS))
    def _compute_rating_dimensions(self):
        ratings = (
            self.env["rating.rating"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("consumed", "=", True),
                    "|",
                    "|",
                    *((name, ">", 0) for name in RATING_DIMENSIONS),
                ],
                ["res_id", *RATING_DIMENSIONS],
                order="write_date desc, id desc",
            )
        )
        last = {}
        for rating in ratings:
            last.setdefault(rating.res_id, rating)
        for ticket in self:
            rating = last.get(ticket.id)
            ticket.rating_attitude_score = rating.cs_attitude_score if rating else 0
            ticket.rating_efficiency_score = rating.cs_efficiency_score if rating else 0
            ticket.rating_solving_score = rating.cs_solving_score if rating else 0

    # ------------------------------------------------------------------ constraints
    @api.constrains(
        "complaint_state",
        "stage_id",
        "complaint_reviewer_id",
        "complaint_feedback_date",
        "complaint_feedback_channel",
        "complaint_approval_state",
        "complaint_compensation",
        "complaint_needs_approval",
    )
    def _check_complaint_steps(self):
        """The handling steps cannot be skipped, whatever writes the ticket."""
        for ticket in self.filtered("complaint_state"):
            errors = ticket._complaint_step_errors(ticket.complaint_state)
            if ticket.is_resolved and ticket.complaint_state not in FEEDBACK_GIVEN:
                errors.append(ticket._complaint_resolve_error())
            if ticket.is_closed and ticket.followup_status not in FOLLOWUP_DONE:
                errors.append(ticket._complaint_close_error())
            if errors:
                raise ValidationError("\n".join(errors))

    @api.onchange("complaint_feedback_channel")
    def _onchange_complaint_feedback_channel(self):
        if self.complaint_feedback_channel and not self.complaint_feedback_date:
            self.complaint_feedback_date = fields.Datetime.now()

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("complaint_state") not in (None, False, "registered") for vals in vals_list
        ):
            raise UserError(self.env._("A complaint starts registered: its handling steps cannot be skipped."))
        self._complaint_check_protected_fields(vals_list)
        tickets = super().create(vals_list)
        tickets.filtered("complaint_severity")._complaint_escalate()
        return tickets

    def write(self, vals):
        self._complaint_check_protected_fields([vals])
        if "complaint_state" in vals:
            self._complaint_check_transition(vals["complaint_state"])
        approved = self.env["cs.ticket"]
        if "complaint_compensation" in vals:
            approved = self.filtered(lambda t: t.complaint_approval_state == "approved")
        res = super().write(vals)
        if approved:
            # a higher compensation than the one approved is a new decision for the manager
            changed = approved.filtered(
                lambda t: t.complaint_currency_id.compare_amounts(t.complaint_compensation, t.complaint_approved_amount)
                > 0
            )
            if changed:
                changed.write({"complaint_approval_state": "none"})
                changed._message_log_batch(
                    dict.fromkeys(
                        changed.ids,
                        self.env._("The compensation changed after its approval: it needs a new approval."),
                    )
                )
        if vals.get("complaint_severity"):
            self._complaint_escalate()
        return res

    # ------------------------------------------------------------------ stage hooks
    def _before_stage_change(self, stage, now):
        complaints = self.filtered("complaint_state")
        if complaints and (stage.is_resolved or stage.is_closed):
            for ticket in complaints:
                if not ticket.is_resolved and ticket.complaint_state not in FEEDBACK_GIVEN:
                    raise UserError(ticket._complaint_resolve_error())
                if stage.is_closed and not ticket.is_closed and ticket.followup_status not in FOLLOWUP_DONE:
                    raise UserError(ticket._complaint_close_error())
        return super()._before_stage_change(stage, now)

    def _after_stage_change(self, now):
        resolving = self.filtered(lambda t: (t.is_resolved or t.is_closed) and not t.resolved_date)
        # a complaint waiting for (or past) its return visit was resolved: leaving the resolved stages reopens it;
        # one with its feedback given but not resolved yet keeps it when it moves between open stages
        reopened = self.filtered(lambda t: t.complaint_state in ("return_visit", "archived") and not t.is_resolved)
        unarchived = self.filtered(lambda t: t.complaint_state == "archived" and t.is_resolved and not t.is_closed)
        res = super()._after_stage_change(now)
        if reopened:
            # 二次处理: the complaint is investigated again and needs a new feedback to the customer
            reopened.write(
                {
                    "complaint_state": "investigating",
                    "complaint_feedback_date": False,
                    "complaint_feedback_channel": False,
                }
            )
        to_visit = resolving.filtered(lambda t: t.complaint_state == "feedback") | unarchived
        if to_visit:
            to_visit.write({"complaint_state": "return_visit"})
        archived = self.filtered(lambda t: t.is_closed and t.complaint_state == "return_visit")
        if archived:
            archived.write({"complaint_state": "archived"})
        if resolving:
            resolving._followup_plan(now)
            resolving._rating_request_on_resolve()
        return res

    # ------------------------------------------------------------------ complaint steps
    def _complaint_check_transition(self, new_state):
        for ticket in self:
            old_state = ticket.complaint_state
            if old_state == new_state:
                continue
            if new_state not in (COMPLAINT_TRANSITIONS.get(old_state, ()) if old_state else {"registered"}):
                states = dict(self._fields["complaint_state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "Complaint %(ticket)s cannot go from “%(old)s” to “%(new)s”: its handling steps cannot be "
                        "skipped.",
                        ticket=ticket.display_name,
                        old=states.get(old_state, "-"),
                        new=states.get(new_state, new_state),
                    )
                )

    def _complaint_check_protected_fields(self, vals_list):
        """Review and approval are decisions of the people entitled to them, not plain edits."""
        if self.env.su:
            return
        field_names = {name for vals in vals_list for name in vals}
        if {"complaint_reviewer_id", "complaint_review_date"} & field_names:
            self._complaint_check_handler()
        decided = any(vals.get("complaint_approval_state") in ("approved", "refused") for vals in vals_list)
        if decided or APPROVAL_FIELDS & field_names:
            self._complaint_check_manager()

    def _complaint_check_handler(self):
        if not (self.env.su or self.env.user.has_group("cs_helpdesk.group_complaint_handler")):
            raise AccessError(
                self.env._("Only a complaint handler, a team leader or a manager can review a complaint registration.")
            )

    def _complaint_check_state(self, *states):
        wrong = self.filtered(lambda t: t.complaint_state not in states)
        if wrong:
            labels = dict(self._fields["complaint_state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "This step needs complaints in step “%(expected)s”: %(tickets)s.",
                    expected=" / ".join(labels[state] for state in states),
                    tickets=format_list(self.env, wrong.mapped("display_name")),
                )
            )

    def _complaint_registration_missing(self):
        """Labels of what the registration form lacks: customer name, contact, complaint matter, severity."""
        self.ensure_one()
        missing = []
        if not (self.partner_name or self.partner_id):
            missing.append(self.env._("customer name"))
        if not (self.partner_phone or self.email_from):
            missing.append(self.env._("contact (phone or email)"))
        if is_html_empty(self.description):
            missing.append(self.env._("complaint matter (description)"))
        if not self.complaint_severity:
            missing.append(self.env._("severity"))
        return missing

    def _complaint_feedback_missing(self):
        self.ensure_one()
        missing = []
        if not self.complaint_aspect_id:
            missing.append(self.env._("aspect"))
        if not self.complaint_reasonableness:
            missing.append(self.env._("reasonableness of the request"))
        if not self.complaint_feedback_date:
            missing.append(self.env._("feedback date"))
        if not self.complaint_feedback_channel:
            missing.append(self.env._("feedback channel"))
        return missing

    def _complaint_step_errors(self, state):
        """What keeps this complaint from being in ``state``."""
        self.ensure_one()
        errors = []
        if state in REVIEWED and not self.complaint_reviewer_id:
            errors.append(
                self.env._(
                    "Complaint %(ticket)s has not been reviewed by a complaint handler.", ticket=self.display_name
                )
            )
        if state in FEEDBACK_GIVEN:
            missing = self._complaint_feedback_missing()
            if missing:
                errors.append(
                    self.env._(
                        "Complaint %(ticket)s needs before the feedback: %(missing)s.",
                        ticket=self.display_name,
                        missing=format_list(self.env, missing),
                    )
                )
            if self.complaint_approval_required and self.complaint_approval_state != "approved":
                errors.append(
                    self.env._(
                        "The resolution of complaint %(ticket)s needs a manager's approval before the feedback.",
                        ticket=self.display_name,
                    )
                )
        if state == "archived" and self.followup_status not in FOLLOWUP_DONE:
            errors.append(self._complaint_close_error())
        return errors

    def _complaint_resolve_error(self):
        return self.env._(
            "Complaint %(ticket)s cannot be resolved before the feedback to the customer is recorded "
            "(date and channel).",
            ticket=self.display_name,
        )

    def _complaint_close_error(self):
        return self.env._(
            "Complaint %(ticket)s cannot be closed or archived before its return visit is done.",
            ticket=self.display_name,
        )

    def _complaint_raise(self, errors):
        if errors:
            raise UserError("\n".join(errors))

    # ------------------------------------------------------------------ complaint actions
    def action_complaint_review(self):
        """Check the registration form (投诉处理登记表) and accept it for handling."""
        self._complaint_check_handler()
        self._complaint_check_state("registered")
        for ticket in self:
            missing = ticket._complaint_registration_missing()
            if missing:
                raise UserError(
                    self.env._(
                        "The registration of complaint %(ticket)s is incomplete: %(missing)s.",
                        ticket=ticket.display_name,
                        missing=format_list(self.env, missing),
                    )
                )
        self.write(
            {
                "complaint_state": "reviewed",
                "complaint_reviewer_id": self.env.uid,
                "complaint_review_date": fields.Datetime.now(),
            }
        )
        return True

    def action_complaint_investigate(self):
        self._complaint_check_state("reviewed")
        self.write({"complaint_state": "investigating"})
        return True

    def action_complaint_feedback(self):
        """Record that the handling result was fed back to the customer."""
        self._complaint_check_state("investigating")
        for ticket in self:
            self._complaint_raise(ticket._complaint_step_errors("feedback"))
        self.write({"complaint_state": "feedback"})
        return True

    def action_complaint_archive(self):
        """Archive (归档) the complaint once its return visit is done: the ticket is closed."""
        self._complaint_check_state("return_visit")
        for ticket in self:
            self._complaint_raise(ticket._complaint_step_errors("archived"))
        for team, tickets in self.grouped("team_id").items():
            stage = self.env["cs.ticket.stage"].search(
                [("is_closed", "=", True), "|", ("team_ids", "=", False), ("team_ids", "in", team.ids)],
                order="sequence, id",
                limit=1,
            )
            if not stage:
                raise UserError(self.env._("There is no closed stage to archive the complaint in."))
            tickets.write({"stage_id": stage.id})
        return True

    def action_complaint_request_approval(self):
        self._complaint_check_state("reviewed", "investigating")
        not_needed = self.filtered(lambda t: not t.complaint_approval_required)
        if not_needed:
            raise UserError(
                self.env._(
                    "Complaint %(ticket)s needs no approval: tick “Needs Approval” or enter a compensation above "
                    "the team's limit.",
                    ticket=not_needed[0].display_name,
                )
            )
        if any(t.complaint_approval_state in ("pending", "approved") for t in self):
            raise UserError(self.env._("The approval of this resolution is already requested or given."))
        self.write({"complaint_approval_state": "pending"})
        managers = self.env.ref("cs_helpdesk.group_manager").sudo().users.filtered(lambda u: u.active and not u.share)
        for ticket in self:
            recipients = managers.filtered(lambda u, c=ticket.company_id: c in u.company_ids)
            ticket.message_post(
                body=self.env._(
                    "Approval requested for the resolution of this complaint (compensation: %(amount)s).",
                    amount=ticket._complaint_format_amount(ticket.complaint_compensation),
                ),
                partner_ids=recipients.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_complaint_approve(self):
        self._complaint_check_manager()
        pending = self.filtered(lambda t: t.complaint_approval_state == "pending")
        if pending != self:
            raise UserError(self.env._("Only complaints waiting for approval can be approved."))
        for ticket in self:
            ticket.write(
                {
                    "complaint_approval_state": "approved",
                    "complaint_approver_id": self.env.uid,
                    "complaint_approval_date": fields.Datetime.now(),
                    "complaint_approved_amount": ticket.complaint_compensation,
                    "complaint_refusal_reason": False,
                }
            )
        return True

    def action_complaint_refuse(self):
        self._complaint_check_manager()
        if any(t.complaint_approval_state != "pending" for t in self):
            raise UserError(self.env._("Only complaints waiting for approval can be refused."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse the Resolution"),
            "res_model": "cs.complaint.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_ids": self.ids},
        }

    def _complaint_refuse(self, reason):
        self._complaint_check_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the refusal."))
        self.write(
            {
                "complaint_approval_state": "refused",
                "complaint_approver_id": self.env.uid,
                "complaint_approval_date": fields.Datetime.now(),
                "complaint_refusal_reason": reason,
            }
        )
        for ticket in self:
            ticket.message_post(
                body=self.env._("Resolution refused: %(reason)s", reason=reason),
                partner_ids=ticket.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )

    def _complaint_check_manager(self):
        if not (self.env.su or self.env.user.has_group("cs_helpdesk.group_manager")):
            raise AccessError(
                self.env._("Only a customer service manager can approve or refuse a complaint resolution.")
            )

    def _complaint_format_amount(self, amount):
        self.ensure_one()
        return format_amount(self.env, amount, self.complaint_currency_id)

    # ------------------------------------------------------------------ escalation
    def _complaint_escalate(self):
        """Escalate by severity (视情节轻重): each complaint to its rule's level, never down."""
        tickets = self.filtered(lambda t: t.complaint_state and t.complaint_severity)
        if not tickets:
            return
        rules = self.env["cs.complaint.escalation"]._rules_for(tickets)
        by_rule = defaultdict(lambda: self.env["cs.ticket"])
        for ticket in tickets:
            rule = rules.get((ticket.company_id.id, ticket.complaint_severity))
            if rule and int(rule.level) > int(ticket.complaint_escalation_level or 0):
                by_rule[rule] |= ticket
        for rule, rule_tickets in by_rule.items():
            rule._apply(rule_tickets)

    # ------------------------------------------------------------------ return visits
    def _followup_plan(self, now):
        """Plan a return visit for resolved complaints (always) and tickets of teams that want one.

        A visit already planned (after a not-satisfied visit reopened the ticket) is kept and
        moved after this new resolution instead of being doubled.
        """
        tickets = self.filtered(lambda t: t.complaint_state or t.team_id.followup_on_resolve)
        if not tickets:
            return
        Followup = self.env["cs.followup"].sudo()
        planned = Followup.search([("ticket_id", "in", tickets.ids), ("state", "=", "planned")]).grouped("ticket_id")
        to_create = []
        for ticket in tickets:
            date = now + timedelta(days=ticket.team_id.followup_delay_days)
            visits = planned.get(ticket)
            if visits:
                visits.filtered(lambda v, d=date: v.date_planned < d).write({"date_planned": date})
                continue
            to_create.append(
                {
                    "ticket_id": ticket.id,
                    "company_id": ticket.company_id.id,
                    "user_id": (ticket.user_id or ticket.team_id.leader_id).id,
                    "method": ticket.team_id.followup_method or "phone",
                    "date_planned": date,
                }
            )
        Followup.create(to_create)

    def action_view_followups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_followup_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "search_default_planned": 0}
        return action

    def action_plan_followup(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan a Return Visit"),
            "res_model": "cs.followup",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id, "default_user_id": (self.user_id or self.env.user).id},
        }

    # ------------------------------------------------------------------ ratings
    def _rating_get_parent_field_name(self):
        return "team_id"

    def _rating_request_on_resolve(self):
        template = self.env.ref("cs_helpdesk.mail_template_cs_ticket_rating", raise_if_not_found=False)
        if not template:
            return
        me = self.env.user.partner_id
        for ticket in self.filtered(lambda t: t.team_id.rating_on_resolve and t.partner_id and t.partner_id != me):
            ticket.rating_send_request(template, lang=ticket.partner_id.lang, force_send=False)

    def _cs_portal_pending_rating(self):
        """The customer's open rating request of this ticket (for the portal), as superuser."""
        self.ensure_one()
        partner = self.partner_id
        return self.sudo().rating_ids.filtered(lambda r: not r.consumed and r.partner_id == partner)[:1]

    def action_open_cs_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.rating_rating_action_cs_ticket")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------ periodic complaint report
    @api.model
    def _cron_send_complaint_digest(self):
        """Email the complaint digest of the cron's period to the customer service managers of each company."""
        cron = self.env.ref("cs_helpdesk.ir_cron_cs_complaint_digest", raise_if_not_found=False)
        interval = {cron.interval_type: cron.interval_number} if cron else {"weeks": 1}
        end = fields.Datetime.now()
        start = end - relativedelta(**interval)
        template = self.env.ref("cs_helpdesk.mail_template_cs_complaint_digest")
        managers = (
            self.env.ref("cs_helpdesk.group_manager")
            .sudo()
            .users.filtered(lambda u: u.active and not u.share and u.email)
        )
        for company in managers.company_ids:
            recipients = managers.filtered(lambda u, c=company: c in u.company_ids)
            digest = self.sudo().with_company(company)._complaint_digest(company, start, end)
            for lang, lang_recipients in recipients.grouped("lang").items():
                template.with_context(lang=lang, cs_digest=digest).sudo().send_mail(
                    company.id,
                    email_layout_xmlid="mail.mail_notification_light",
                    email_values={"recipient_ids": [(6, 0, lang_recipients.partner_id.ids)]},
                )

    @api.model
    def _complaint_digest(self, company, start, end):
        """Figures of the digest, read with a handful of grouped queries."""
        period = [("company_id", "=", company.id), ("create_date", ">=", start), ("create_date", "<", end)]
        complaint = [("complaint_state", "!=", False)]
        ticket_count = self.search_count(period)
        by_team = defaultdict(lambda: [0, 0])
        for team, is_complaint, count in self._read_group(period, ["team_id", "complaint_state"], ["__count"]):
            by_team[team][0] += count
            if is_complaint:
                by_team[team][1] += count
        complaint_count = sum(row[1] for row in by_team.values())

        def rate(part, total):
            return f"{part * 100 / total:.1f}%" if total else "-"

        severities = dict(self._fields["complaint_severity"]._description_selection(self.env))
        by_severity = self._read_group(period + complaint, ["complaint_severity"], ["__count"])
        by_aspect = self._read_group(period + complaint, ["complaint_aspect_id"], ["__count"], order="__count desc")
        open_complaints = self.search_count(
            [("company_id", "=", company.id), ("complaint_state", "not in", (False, "archived"))]
        )
        pending = self.search_count(
            [("company_id", "=", company.id), ("complaint_approval_state", "=", "pending"), *complaint]
        )
        Followup = self.env["cs.followup"]
        visits = Followup._read_group(
            [("company_id", "=", company.id), ("date_done", ">=", start), ("date_done", "<", end)],
            ["result"],
            ["__count"],
        )
        visits = dict(visits)
        overdue = Followup.search_count(
            [("company_id", "=", company.id), ("state", "=", "planned"), ("date_planned", "<", end)]
        )
        tz = self.env.user.tz or "Asia/Shanghai"
        return {
            "start": format_datetime(self.env, start, tz=tz, dt_format="yyyy-MM-dd HH:mm"),
            "end": format_datetime(self.env, end, tz=tz, dt_format="yyyy-MM-dd HH:mm"),
            "ticket_count": ticket_count,
            "complaint_count": complaint_count,
            "complaint_rate": rate(complaint_count, ticket_count),
            "by_severity": [
                (severities.get(severity) or self.env._("Not set"), count) for severity, count in by_severity
            ],
            "by_aspect": [(aspect.name or self.env._("Not set"), count) for aspect, count in by_aspect],
            "by_team": sorted(
                (
                    (team.name or self.env._("No team"), total, part, rate(part, total))
                    for team, (total, part) in by_team.items()
                    if part
                ),
                key=lambda row: -row[2],
            ),
            "open_complaints": open_complaints,
            "pending_approvals": pending,
            "visits_done": sum(visits.values()),
            "visits_satisfied": visits.get("satisfied", 0),
            "satisfaction_rate": rate(visits.get("satisfied", 0), sum(visits.values())),
            "visits_overdue": overdue,
        }
