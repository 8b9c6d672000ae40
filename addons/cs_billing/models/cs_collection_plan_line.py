from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# what a collector records on the customers of their plan; the amounts to collect are finance's
COLLECTOR_FIELDS = {"promise_date", "promise_amount", "note"}
PROMISE_STATES = [("none", "No Promise"), ("open", "Promised"), ("kept", "Kept"), ("broken", "Broken")]


class CsCollectionPlanLine(models.Model):
    """A customer of a collection plan: the amount to collect, the promise to pay and what was paid."""

    _name = "cs.collection.plan.line"
    _description = "Collection Plan Customer"
    _order = "plan_id, date_planned, id"
    _check_company_auto = True

    plan_id = fields.Many2one("cs.collection.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    user_id = fields.Many2one(related="plan_id.user_id", string="Collector", store=True, index=True)
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    amount_planned = fields.Monetary(string="To Collect", required=True)
    date_planned = fields.Date(string="Planned Date")
    promise_date = fields.Date(string="Promised Payment Date")
    promise_amount = fields.Monetary(string="Promised Amount")
    promise_broken_date = fields.Date(
        string="Flagged Broken On", readonly=True, copy=False, help="Set by the daily check of promises to pay."
    )
    amount_collected = fields.Monetary(
        string="Collected",
        compute="_compute_collected",
        help="Customer payments posted in the plan's period (account payments, so the figure is the ledger's).",
    )
    completion = fields.Float(compute="_compute_collected")
    promise_state = fields.Selection(PROMISE_STATES, string="Promise", compute="_compute_collected")
    note = fields.Char()

    _sql_constraints = [
        ("customer_once", "UNIQUE (plan_id, partner_id)", "A customer is only once in a collection plan."),
    ]

    @api.constrains("amount_planned", "promise_amount")
    def _check_amounts(self):
        for line in self:
            if line.amount_planned <= 0 or line.promise_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The amount to collect must be positive and a promised amount not negative (%(customer)s).",
                        customer=line.partner_id.display_name,
                    )
                )

    @api.depends(
        "partner_id", "plan_id.date_from", "plan_id.date_to", "amount_planned", "promise_date", "promise_amount"
    )
    @api.depends_context("company")
    def _compute_collected(self):
        collected = defaultdict(float)
        Payment = self.env["account.payment"].sudo()
        for plan in self.plan_id:
            lines = self.filtered(lambda line, p=plan: line.plan_id == p)
            for partner, amount in Payment._read_group(
                [
                    ("partner_id", "child_of", lines.partner_id.ids),
                    ("company_id", "=", plan.company_id.id),
                    ("payment_type", "=", "inbound"),
                    ("partner_type", "=", "customer"),
                    ("state", "in", ("in_process", "paid")),
                    ("date", ">=", plan.date_from),
                    ("date", "<=", plan.date_to),
                ],
                ["partner_id"],
                ["amount_company_currency_signed:sum"],
            ):
                collected[plan.id, partner.commercial_partner_id.id] += amount
        today = fields.Date.context_today(self)
        for line in self:
            line.amount_collected = collected[line.plan_id.id, line.partner_id.id]
            line.completion = line.amount_collected / line.amount_planned if line.amount_planned else 0.0
            if not line.promise_date:
                line.promise_state = "none"
            elif line.currency_id.compare_amounts(line.amount_collected, line.promise_amount) >= 0:
                line.promise_state = "kept"
            elif line.promise_date < today:
                line.promise_state = "broken"
            else:
                line.promise_state = "open"

    def write(self, vals):
        if (
            not self.env.su
            and not self.env.user.has_group("cs_billing.group_billing_user")
            and set(vals) - COLLECTOR_FIELDS
        ):
            raise AccessError(
                self.env._("Collectors record promises to pay and notes; the billing department plans the amounts.")
            )
        res = super().write(vals)
        if {"promise_date", "promise_amount"} & set(vals):
            # a new promise is followed again
            self.filtered("promise_broken_date").sudo().write({"promise_broken_date": False})
            for line in self:
                line.plan_id.sudo().message_post(
                    author_id=self.env.user.partner_id.id,
                    body=self.env._(
                        "Promise to pay of %(customer)s: %(amount)s by %(date)s.",
                        customer=line.partner_id.display_name,
                        amount=line.currency_id.format(line.promise_amount),
                        date=line.promise_date or "-",
                    ),
                )
        return res
