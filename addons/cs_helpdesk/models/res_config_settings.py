from odoo import fields, models

# Numbers the requirements do not give (the knowledge review period, the customer lifecycle thresholds):
# readme/CONFIGURE.md lists them. They are defaults of settings a manager changes, never business constants.
DEFAULT_KNOWLEDGE_REVIEW_DAYS = 180
DEFAULT_SEGMENT_DORMANT_DAYS = 180
DEFAULT_SEGMENT_CHURN_DAYS = 365
DEFAULT_SEGMENT_ACTIVE_ORDERS = 2


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cs_knowledge_review_days = fields.Integer(
        string="Knowledge Review Period (days)",
        config_parameter="cs_helpdesk.knowledge_review_days",
        default=DEFAULT_KNOWLEDGE_REVIEW_DAYS,
        help="A published article is due for review this many days after its last review.",
    )
    cs_segment_dormant_days = fields.Integer(
        string="Dormant After (days)",
        config_parameter="cs_helpdesk.segment_dormant_days",
        default=DEFAULT_SEGMENT_DORMANT_DAYS,
        help="A customer without a purchase or contact for this many days is dormant.",
    )
    cs_segment_churn_days = fields.Integer(
        string="Churned After (days)",
        config_parameter="cs_helpdesk.segment_churn_days",
        default=DEFAULT_SEGMENT_CHURN_DAYS,
        help="A customer without a purchase or contact for this many days is churned.",
    )
    cs_segment_active_orders = fields.Integer(
        string="Active From (orders)",
        config_parameter="cs_helpdesk.segment_active_orders",
        default=DEFAULT_SEGMENT_ACTIVE_ORDERS,
        help="A recent customer with at least this many purchases is active; with fewer, new.",
    )
    cs_segment_ignore_tickets = fields.Boolean(
        string="Purchases Only",
        config_parameter="cs_helpdesk.segment_ignore_tickets",
        help="Only purchases count as activity; otherwise a ticket also keeps a customer from being dormant.",
    )
    cs_signature_agent_number = fields.Boolean(
        string="Agent Number in Signatures",
        config_parameter="cs_helpdesk.signature_agent_number",
        help="Emails to customers end with the agent number (工号) of the agent who writes.",
    )
    cs_vip_auto_assign = fields.Boolean(
        string="Upgrade VIP Levels Automatically",
        config_parameter="cs_helpdesk.vip_auto_assign",
        help="Every night, raise customers to the highest VIP level whose thresholds they meet. "
        "Levels are never lowered automatically.",
    )
    cs_care_user_id = fields.Many2one(
        "res.users",
        string="Care Responsible",
        config_parameter="cs_helpdesk.care_user_id",
        domain="[('share', '=', False)]",
        help="Receives the birthday and holiday greeting activities of customers without a salesperson.",
    )
    cs_presales_crm_team_id = fields.Many2one(
        "crm.team",
        string="Pre-sales Sales Team",
        config_parameter="cs_helpdesk.presales_crm_team_id",
        help="Sales team of the opportunities created from pre-sales consultations.",
    )
