from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_list, is_html_empty

from .cs_selections import CONTACT_METHODS, FOLLOWUP_RESULTS, SEVERITIES
from .cs_ticket_complaint_approval import APPROVAL_FIELDS
from .cs_ticket_followup import FOLLOWUP_DONE

COMPLAINT_STATES = [
    ("registered", "Registered"),
    ("reviewed", "Reviewed"),
    ("investigating", "Investigating"),
    ("feedback", "Feedback Given"),
    ("return_visit", "Return Visit"),
    ("archived", "Archived"),
]
# the handling steps (registered, reviewed, investigating, feedback, return visit, archived; readme/USAGE.md):
# each step only from the previous one; a reopened
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


class CsTicket(models.Model):
    """Complaint handling (投诉): registration, review, investigation, feedback and return visit steps."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

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

    # ------------------------------------------------------------------ constraints
    @api.constrains(
        "type_id",
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
        if "type_id" in vals:
            self._complaint_check_type_change(self.env["cs.ticket.type"].browse(vals["type_id"]))
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
        resolving = self.filtered(
            lambda t: (t.is_resolved or t.is_closed) and not t.resolved_date and not t.stage_id.is_cancelled
        )
        # a complaint waiting for (or past) its return visit was resolved: leaving the resolved stages reopens it;
        # one with its feedback given but not resolved yet keeps it when it moves between open stages
        reopened = self.filtered(lambda t: t.complaint_state in ("return_visit", "archived") and not t.is_resolved)
        unarchived = self.filtered(lambda t: t.complaint_state == "archived" and t.is_resolved and not t.is_closed)
        res = super()._after_stage_change(now)
        if reopened:
            # 二次处理: the complaint is investigated again and needs a new feedback to the customer, and a new
            # approval when its first resolution needed one
            values = {"complaint_state": "investigating", "complaint_feedback_date": False}
            values["complaint_feedback_channel"] = False
            approved = reopened.filtered(lambda t: t.complaint_approval_state == "approved")
            (reopened - approved).write(values)
            if approved:
                approved.write(dict(values, complaint_approval_state="none"))
                approved._message_log_batch(
                    dict.fromkeys(
                        approved.ids, self.env._("The complaint was reopened: its new resolution needs a new approval.")
                    )
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

    def _complaint_check_type_change(self, new_type):
        """A complaint cannot leave its handling steps by becoming another type of request.

        Only while it is registered can a complaint handler reclassify a request filed as a complaint by mistake.
        """
        if new_type.code == "complaint":
            return
        complaints = self.filtered("complaint_state")
        handled = complaints.filtered(lambda t: t.complaint_state != "registered")
        if handled:
            raise UserError(
                self.env._(
                    "Complaint %(ticket)s is being handled: it cannot become another type of request.",
                    ticket=handled[0].display_name,
                )
            )
        if complaints:
            self._complaint_check_handler()

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
