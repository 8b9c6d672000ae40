from odoo import api, fields, models


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

    @api.model
    def _cs_level_values(self, level, name, computation_mode, delay_days, channel, cs_action):
        """Values of a level with OCA's base e-mail template and ``name`` as its texts (demo, tests)."""
        return {
            "name": name,
            "level": level,
            "computation_mode": computation_mode,
            "delay_days": delay_days,
            "channel": channel,
            "cs_action": cs_action,
            "email_template_id": self.env.ref("account_credit_control.email_template_credit_control_base").id,
            "custom_text": name,
            "custom_mail_text": f"<p>{name}</p>",
        }
