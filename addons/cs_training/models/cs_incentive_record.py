from collections import defaultdict
from datetime import datetime

import pytz
from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import tz_name
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import date_utils, format_amount

RECORD_STATES = [("draft", "Drafted"), ("approved", "Approved"), ("applied", "Applied"), ("cancelled", "Cancelled")]
COUNTED_STATES = ("approved", "applied")
STATE_TRANSITIONS = {
    "draft": {"approved", "cancelled"},
    "approved": {"applied", "cancelled"},
    "applied": set(),
    "cancelled": {"draft"},
}
# the decision fields only change through the approval actions
DECISION_FIELDS = {"state", "approver_id", "approval_date", "escalation_factor"}
# once approved, a record is a decision: only its note can still change
EDITABLE_AFTER_DRAFT = {"note", "message_main_attachment_id"}


class CsIncentiveRecord(models.Model):
    """A reward or penalty (奖惩) given to an employee under a rule, approved by a manager."""

    _name = "cs.incentive.record"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Reward/Penalty Record"
    _order = "date desc, id desc"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, tracking=True, check_company=True, ondelete="restrict"
    )
    user_id = fields.Many2one(
        related="employee_id.user_id", string="User", store=True, index="btree_not_null", readonly=True
    )
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    rule_id = fields.Many2one(
        "cs.incentive.rule", string="Rule", required=True, tracking=True, check_company=True, ondelete="restrict"
    )
    kind = fields.Selection(related="rule_id.kind", store=True)
    date = fields.Date(
        compute="_compute_date",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        index=True,
        help="Today in the employee's time zone by default: it decides the month the record counts in.",
    )
    base_amount = fields.Monetary(
        compute="_compute_base_amount",
        store=True,
        readonly=False,
        tracking=True,
        help="The rule's amount, or the amount chosen inside its range, before the same-month escalation.",
    )
    escalation_factor = fields.Integer(
        default=1,
        readonly=True,
        copy=False,
        help="Same-month doubling of the rule, counted on the approved records of the month before this one.",
    )
    amount = fields.Monetary(compute="_compute_amount", store=True, tracking=True)
    signed_amount = fields.Monetary(
        string="Net Amount", compute="_compute_amount", store=True, help="Rewards positive, penalties negative."
    )
    state = fields.Selection(RECORD_STATES, required=True, default="draft", tracking=True, copy=False, index=True)
    approver_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False, tracking=True)
    approval_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    note = fields.Text()
    res_model = fields.Char(string="Source Model", readonly=True, index="btree_not_null")
    res_id = fields.Many2oneReference(string="Source", model_field="res_model", readonly=True)

    @api.depends("employee_id")
    def _compute_date(self):
        for record in self:
            if not record.date:
                record.date = (
                    self._employee_today(record.employee_id) if record.employee_id else fields.Date.context_today(self)
                )

    @api.depends("rule_id")
    def _compute_base_amount(self):
        for record in self:
            record.base_amount = record.rule_id._amount_bounds()[0] if record.rule_id else 0.0

    @api.depends("base_amount", "escalation_factor", "kind")
    def _compute_amount(self):
        for record in self:
            record.amount = record.base_amount * (record.escalation_factor or 1)
            record.signed_amount = -record.amount if record.kind == "penalty" else record.amount

    @api.constrains("base_amount", "rule_id")
    def _check_base_amount(self):
        for record in self:
            low, high = record.rule_id._amount_bounds()
            currency = record.currency_id
            if (
                currency.compare_amounts(record.base_amount, low) < 0
                or currency.compare_amounts(record.base_amount, high) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The amount of %(employee)s's record must stay within %(low)s–%(high)s of rule %(rule)s.",
                        employee=record.employee_id.name,
                        low=format_amount(self.env, low, currency),
                        high=format_amount(self.env, high, currency),
                        rule=record.rule_id.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("state", "draft") != "draft" or vals.get("approver_id") or vals.get("approval_date")
            for vals in vals_list
        ):
            raise UserError(self.env._("A reward or penalty starts as a draft: approve it with its button."))
        records = super().create(vals_list)
        records._update_escalation()
        return records

    def write(self, vals):
        if not self.env.su:
            if DECISION_FIELDS & set(vals) and not self.env.user.has_group("cs_helpdesk.group_manager"):
                raise AccessError(self.env._("Only a customer service manager can decide on rewards and penalties."))
            if set(vals) - EDITABLE_AFTER_DRAFT - DECISION_FIELDS and self.filtered(lambda r: r.state != "draft"):
                raise UserError(self.env._("Only drafted rewards and penalties can be changed."))
            if "state" in vals:
                self._check_transition(vals)
            elif DECISION_FIELDS & set(vals):
                raise UserError(self.env._("The approval of a reward or penalty changes only with its buttons."))
        res = super().write(vals)
        if {"rule_id", "employee_id", "date"} & set(vals):
            self.filtered(lambda r: r.state == "draft")._update_escalation()
        return res

    # ------------------------------------------------------------------ escalation
    def _update_escalation(self):
        """The factor of each record from the counted records of its rule, employee and month before it.

        One search for the whole batch: drafts never count, so the records of the batch do not change each
        other's count; approving goes record by record (``action_approve``), so each sees the ones before it.
        """
        if not self:
            return
        self.flush_model(["rule_id", "employee_id", "state", "date"])
        first = date_utils.start_of(min(self.mapped("date")), "month")
        last = date_utils.end_of(max(self.mapped("date")), "month")
        counted = defaultdict(list)
        for other in self.sudo().search(
            [
                ("rule_id", "in", self.rule_id.ids),
                ("employee_id", "in", self.employee_id.ids),
                ("state", "in", COUNTED_STATES),
                ("date", ">=", first),
                ("date", "<=", last),
            ]
        ):
            month = date_utils.start_of(other.date, "month")
            counted[other.rule_id.id, other.employee_id.id, month].append((other.date, other.id))
        for record in self.sorted(lambda r: (r.date, r.id)):
            month = date_utils.start_of(record.date, "month")
            earlier = sum(
                1
                for day, other_id in counted[record.rule_id.id, record.employee_id.id, month]
                if other_id != record.id and (day, other_id) < (record.date, record.id)
            )
            factor = record.rule_id._escalation_factor(earlier)
            if factor != record.escalation_factor:
                record.sudo().escalation_factor = factor

    # ------------------------------------------------------------------ actions
    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group("cs_helpdesk.group_manager")):
            raise AccessError(self.env._("Only a customer service manager can decide on rewards and penalties."))

    def _check_state(self, *states):
        wrong = self.filtered(lambda r: r.state not in states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "This step needs records in state “%(expected)s”.",
                    expected=" / ".join(labels[state] for state in states),
                )
            )

    def _check_transition(self, vals):
        """Whatever writes the state (buttons or RPC): no skipped step, no self-approval, the approver is the user."""
        new_state = vals["state"]
        if any(new_state != record.state and new_state not in STATE_TRANSITIONS[record.state] for record in self):
            raise UserError(self.env._("This reward or penalty cannot go to that state from its current one."))
        if new_state == "approved":
            if self.filtered(lambda r: r.user_id == self.env.user):
                raise UserError(
                    self.env._("You cannot approve your own reward or penalty: another manager must approve it.")
                )
            if vals.get("approver_id", self.env.uid) != self.env.uid:
                raise UserError(self.env._("The approver of a reward or penalty is the manager approving it."))

    def action_approve(self):
        self._check_manager()
        self._check_state("draft")
        self._check_transition({"state": "approved"})
        for record in self.sorted(lambda r: (r.date, r.id)):
            record.write({"state": "approved", "approver_id": self.env.uid, "approval_date": fields.Datetime.now()})
            record._update_escalation()
        return True

    def action_apply(self):
        """Mark the approved amount as applied (paid or deducted with the salary)."""
        self._check_manager()
        self._check_state("approved")
        self.write({"state": "applied"})
        return True

    def action_cancel(self):
        """Managers cancel drafts and approved records; team leaders cancel the drafts they may edit."""
        self._check_state("draft", "approved")
        if self.env.su or self.env.user.has_group("cs_helpdesk.group_manager"):
            self.write({"state": "cancelled"})
            return True
        self._check_state("draft")
        self.check_access("write")
        # the leader's own write rights on these drafts were just checked; the state is a decision field
        self.sudo().write({"state": "cancelled"})
        return True

    def action_draft(self):
        self._check_manager()
        self._check_state("cancelled")
        self.write({"state": "draft", "approver_id": False, "approval_date": False})
        self._update_escalation()
        return True

    # ------------------------------------------------------------------ automatic drafts
    @api.model
    def _employee_today(self, employee):
        tz = pytz.timezone(employee.tz or tz_name(self.env, user=employee.user_id or None))
        return datetime.now(tz).date()

    @api.model
    def _draft_from_source(self, rule, employees, source, note=False):
        """Drafts one record per employee for ``source``, never twice for the same source and employee."""
        existing = self.sudo().search(
            [("res_model", "=", source._name), ("res_id", "=", source.id), ("employee_id", "in", employees.ids)]
        )
        employees -= existing.employee_id
        return self.sudo().create(
            [
                {
                    "employee_id": employee.id,
                    "rule_id": rule.id,
                    "date": self._employee_today(employee),
                    "res_model": source._name,
                    "res_id": source.id,
                    "note": note,
                }
                for employee in employees
            ]
        )
