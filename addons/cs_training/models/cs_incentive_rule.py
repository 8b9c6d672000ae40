from odoo import api, fields, models
from odoo.exceptions import ValidationError

INCENTIVE_KINDS = [("reward", "Reward"), ("penalty", "Penalty")]
INCENTIVE_CATEGORIES = [
    ("appearance", "Appearance"),
    ("phone", "Phone Handling"),
    ("discipline", "Discipline"),
    ("attendance", "Attendance"),
    ("task", "Task Handling"),
    ("billing", "Billing Accuracy"),
    ("complaint", "Complaint"),
    ("emergency", "Emergency"),
    ("suggestion", "Suggestion"),
    ("integrity", "Integrity"),
    ("other", "Other"),
]
# 同月加倍 (seeds N24, N30, N31): every Nth record of the month doubled, or each one doubling the previous
ESCALATIONS = [
    ("none", "None"),
    ("every_nth", "Every Nth in the Month Doubled"),
    ("progressive", "Doubling Progressively in the Month"),
]
DEFAULT_ESCALATION_COUNT = 3


class CsIncentiveRule(models.Model):
    """A reward or penalty (奖惩) rule: what it is for, how much, and how it escalates within a month."""

    _name = "cs.incentive.rule"
    _description = "Reward/Penalty Rule"
    _order = "kind, sequence, code, id"

    name = fields.Char(string="Behaviour", required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(INCENTIVE_KINDS, required=True, default="penalty")
    category = fields.Selection(INCENTIVE_CATEGORIES, required=True, default="other")
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_type = fields.Selection(
        [("fixed", "Fixed Amount"), ("range", "Amount Range")], required=True, default="fixed"
    )
    amount = fields.Monetary(help="Amount of a fixed-amount rule.")
    amount_min = fields.Monetary(string="Minimum Amount")
    amount_max = fields.Monetary(string="Maximum Amount")
    frequency = fields.Selection(
        [("instance", "Per Instance"), ("month", "Per Month")], required=True, default="instance"
    )
    dismissal_possible = fields.Boolean(help="A serious case can lead to dismissal (解雇).")
    promotion_possible = fields.Boolean(help="An outstanding case can lead to a promotion (晋升).")
    remedy_required = fields.Boolean(help="The employee is also ordered to remedy the situation (责令整改).")
    escalation = fields.Selection(
        ESCALATIONS,
        string="Same-Month Escalation",
        required=True,
        default="none",
        help="Every Nth: the Nth record of this rule for the same employee in a calendar month (and every Nth after "
        "it) is doubled. Progressive: each record of the month doubles the previous one (20, 40, 80 …).",
    )
    escalation_count = fields.Integer(
        string="Doubled Every", default=DEFAULT_ESCALATION_COUNT, help="N of the “every Nth” escalation."
    )
    automatic_source = fields.Selection(
        [
            ("complaint", "Complaint Attributed to an Agent"),
            ("praise", "Top Rating From a Customer"),
            ("attendance", "Full Monthly Attendance"),
            ("sla", "SLA Breaches Above the Monthly Limit"),
            ("qa_failed", "Failed QA Review"),
        ],
        string="Automatic Drafts From",
        help="Drafts records of this rule automatically from these facts (the first active rule of the company).",
    )

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The code of a reward/penalty rule must be unique."),
        (
            "amounts_positive",
            "CHECK (COALESCE(amount, 0) >= 0 AND COALESCE(amount_min, 0) >= 0 AND COALESCE(amount_max, 0) >= 0)",
            "Reward and penalty amounts cannot be negative.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = f"[{rule.code}] {rule.name}" if rule.code else rule.name

    @api.constrains("amount_type", "amount", "amount_min", "amount_max", "escalation", "escalation_count")
    def _check_amounts(self):
        for rule in self:
            if rule.amount_type == "fixed" and rule.currency_id.is_zero(rule.amount):
                raise ValidationError(self.env._("Rule %(rule)s needs an amount.", rule=rule.display_name))
            if rule.amount_type == "range" and (
                rule.currency_id.is_zero(rule.amount_max) or rule.amount_min > rule.amount_max
            ):
                raise ValidationError(
                    self.env._(
                        "The amount range of rule %(rule)s needs a maximum at least equal to its minimum.",
                        rule=rule.display_name,
                    )
                )
            if rule.escalation == "every_nth" and rule.escalation_count < 2:
                raise ValidationError(
                    self.env._("Rule %(rule)s must double every 2nd record or later.", rule=rule.display_name)
                )

    @api.model
    def _automatic(self, source, company):
        """The rule drafting records automatically from ``source`` in ``company`` (first by sequence), if any."""
        return self.sudo().search(
            [("automatic_source", "=", source), ("company_id", "=", company.id)], order="sequence, id", limit=1
        )

    def _amount_bounds(self):
        self.ensure_one()
        if self.amount_type == "fixed":
            return self.amount, self.amount
        return self.amount_min, self.amount_max

    def _escalation_factor(self, earlier_count):
        """Multiplier of a record preceded by ``earlier_count`` counted records of the month."""
        self.ensure_one()
        if self.escalation == "progressive":
            return 2**earlier_count
        if self.escalation == "every_nth" and (earlier_count + 1) % self.escalation_count == 0:
            return 2
        return 1
