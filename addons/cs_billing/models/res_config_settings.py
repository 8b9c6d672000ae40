from odoo import fields, models

from .cs_billing_settings import (
    DEFAULT_LEADER_APPROVAL_LIMIT,
    DEFAULT_MANAGER_APPROVAL_LIMIT,
    PARAM_COMPENSATION_PRODUCT,
    PARAM_LEADER_LIMIT,
    PARAM_MANAGER_LIMIT,
    PARAM_WRITEOFF_ACCOUNT,
    PARAM_WRITEOFF_JOURNAL,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cs_leader_approval_limit = fields.Float(
        string="Team Leader Approves Up To",
        config_parameter=PARAM_LEADER_LIMIT,
        default=DEFAULT_LEADER_APPROVAL_LIMIT,
        help="Waivers, compensations and refunds up to this amount (tax included) need a team leader's approval.",
    )
    cs_manager_approval_limit = fields.Float(
        string="Customer Service Manager Approves Up To",
        config_parameter=PARAM_MANAGER_LIMIT,
        default=DEFAULT_MANAGER_APPROVAL_LIMIT,
        help="Up to this amount the customer service manager approves; above it, a billing manager. "
        "Bad-debt write-offs and receivable corrections always need a billing manager.",
    )
    cs_writeoff_account_id = fields.Many2one(
        "account.account",
        string="Bad-debt Expense Account",
        config_parameter=PARAM_WRITEOFF_ACCOUNT,
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
    )
    cs_writeoff_journal_id = fields.Many2one(
        "account.journal",
        string="Write-off Journal",
        config_parameter=PARAM_WRITEOFF_JOURNAL,
        domain="[('type', '=', 'general')]",
    )
    cs_compensation_product_id = fields.Many2one(
        "product.product",
        string="Compensation Product",
        config_parameter=PARAM_COMPENSATION_PRODUCT,
        domain="[('type', '=', 'service')]",
        help="Product of the credit-note lines of compensations, service-level refunds and corrections.",
    )
