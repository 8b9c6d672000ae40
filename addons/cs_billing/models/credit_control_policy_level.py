from odoo import fields, models


class CreditControlPolicyLevel(models.Model):
    _inherit = "credit.control.policy.level"

    cs_action = fields.Selection(
        [
            ("phone", "Phone Call by the Customer's Agent"),
            ("suspend", "Suspend Service"),
            ("legal", "Prepare Legal Action"),
        ],
        string="Customer Service Action",
        help="What the daily run does when an overdue invoice reaches this level, besides OCA's letter or "
        "e-mail: a phone-call activity for the customer's agent, suspending the customer's paid services "
        "(开停处理) or opening a legal action record (起诉).",
    )
