from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

PLAN_STATES = [("draft", "Draft"), ("active", "In Progress"), ("done", "Closed"), ("cancelled", "Cancelled")]


class CsCollectionPlan(models.Model):
    """A collection plan (催收计划, seeds §4.8): before a period, the customers in arrears a collector
    is responsible for, with the amount to collect from each; collected amounts come from the
    customers' payments in the period, never typed in."""

    _name = "cs.collection.plan"
    _description = "Collection Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Collector",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        index=True,
    )
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    state = fields.Selection(PLAN_STATES, string="Status", default="draft", required=True, tracking=True, copy=False)
    line_ids = fields.One2many("cs.collection.plan.line", "plan_id", string="Customers", copy=True)
    amount_planned = fields.Monetary(string="Planned", compute="_compute_amounts")
    amount_collected = fields.Monetary(string="Collected", compute="_compute_amounts")
    completion = fields.Float(compute="_compute_amounts", help="Collected / planned.")
    broken_count = fields.Integer(string="Broken Promises", compute="_compute_amounts")
    note = fields.Html()

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_to < plan.date_from:
                raise ValidationError(self.env._("The plan ends before it starts (%(plan)s).", plan=plan.name))

    @api.depends("line_ids.amount_planned", "line_ids.amount_collected", "line_ids.promise_state")
    def _compute_amounts(self):
        for plan in self:
            plan.amount_planned = sum(plan.line_ids.mapped("amount_planned"))
            plan.amount_collected = sum(plan.line_ids.mapped("amount_collected"))
            plan.completion = plan.amount_collected / plan.amount_planned if plan.amount_planned else 0.0
            plan.broken_count = len(plan.line_ids.filtered(lambda line: line.promise_state == "broken"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("cs.collection.plan") or "/"
        return super().create(vals_list)

    def _check_state(self, allowed, message):
        if self.filtered(lambda plan: plan.state not in allowed):
            raise UserError(message)

    def action_start(self):
        self._check_state(("draft",), self.env._("Only draft plans can be started."))
        if self.filtered(lambda plan: not plan.line_ids):
            raise UserError(self.env._("Add the customers to collect from before starting the plan."))
        self.write({"state": "active"})

    def action_close(self):
        self._check_state(("active",), self.env._("Only plans in progress can be closed."))
        self.write({"state": "done"})

    def action_cancel(self):
        self._check_state(("draft", "active"), self.env._("Closed plans cannot be cancelled."))
        self.write({"state": "cancelled"})

    def action_reset_draft(self):
        self._check_state(("cancelled",), self.env._("Only cancelled plans can be reset to draft."))
        self.write({"state": "draft"})

    def action_fill_from_arrears(self):
        """Add the collector's customers with open reminders (the credit-control queue), with their
        overdue amount as the amount to collect and their latest promise to pay."""
        self._check_state(("draft", "active"), self.env._("Customers are added to draft or running plans only."))
        Line = self.env["credit.control.line"].sudo()
        for plan in self:
            reminders = Line.search(
                [
                    ("company_id", "=", plan.company_id.id),
                    ("cs_agent_id", "=", plan.user_id.id),
                    ("state", "not in", ("draft", "ignored", "cs_paid")),
                    ("move_line_id.reconciled", "=", False),
                ],
                order="date desc, id desc",
            )
            planned = plan.line_ids.partner_id
            new_lines = []
            for customer in reminders.commercial_partner_id - planned:
                customer_reminders = reminders.filtered(lambda line, c=customer: line.commercial_partner_id == c)
                promised = customer_reminders.filtered("cs_promise_date")[:1]
                new_lines.append(
                    Command.create(
                        {
                            "partner_id": customer.id,
                            "amount_planned": sum(
                                {r.move_line_id: r.move_line_id.amount_residual for r in customer_reminders}.values()
                            ),
                            "date_planned": plan.date_to,
                            "promise_date": promised.cs_promise_date,
                            "promise_amount": promised.cs_promise_amount,
                        }
                    )
                )
            plan.line_ids = new_lines

    @api.model
    def _cron_flag_broken_promises(self):
        """Daily: a promise to pay whose date has passed without the promised payment is flagged once,
        and the collector gets a call activity on the plan."""
        lines = self.env["cs.collection.plan.line"].search(
            [
                ("plan_id.state", "=", "active"),
                ("promise_date", "<", fields.Date.context_today(self)),
                ("promise_broken_date", "=", False),
            ]
        )
        broken = lines.filtered(lambda line: line.promise_state == "broken")
        broken.write({"promise_broken_date": fields.Date.context_today(self)})
        for plan in broken.plan_id:
            customers = broken.filtered(lambda line, p=plan: line.plan_id == p).partner_id
            plan.activity_schedule(
                "mail.mail_activity_data_call",
                summary=self.env._(
                    "Broken promises to pay: %(customers)s", customers=", ".join(customers.mapped("name"))
                ),
                user_id=plan.user_id.id,
            )
        return broken
