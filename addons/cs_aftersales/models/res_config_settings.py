from odoo import fields, models

from .cs_aftersales_policy import DEFAULT_WARRANTY_MONTHS, WARRANTY_MONTHS_PARAM
from .cs_order_review import REVIEW_TEAM_PARAM, REVIEW_TICKET_TYPE_PARAM
from .cs_warranty import DEFAULT_EXPIRY_NOTICE_DAYS, EXPIRY_NOTICE_DAYS_PARAM
from .repair_order import DEFAULT_REPAIR_FOLLOWUP_DAYS, REPAIR_FOLLOWUP_DAYS_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cs_default_warranty_months = fields.Integer(
        string="Default Warranty (months)",
        config_parameter=WARRANTY_MONTHS_PARAM,
        default=DEFAULT_WARRANTY_MONTHS,
        help="Warranty period new after-sales policies start with (the seeds give none).",
    )

    cs_warranty_expiry_days = fields.Integer(
        string="Warranties Expiring Within (days)",
        config_parameter=EXPIRY_NOTICE_DAYS_PARAM,
        default=DEFAULT_EXPIRY_NOTICE_DAYS,
        help="Warranties ending within this many days are listed as expiring soon.",
    )
    cs_repair_followup_days = fields.Integer(
        string="Return Visit After Repair (days)",
        config_parameter=REPAIR_FOLLOWUP_DAYS_PARAM,
        default=DEFAULT_REPAIR_FOLLOWUP_DAYS,
        help="Days between a repair without ticket and its return visit; a ticket's team sets its own delay.",
    )
    cs_review_ticket_type_id = fields.Many2one(
        "cs.ticket.type",
        string="Ticket Type of Reviews",
        config_parameter=REVIEW_TICKET_TYPE_PARAM,
        help="Type of the tickets opened for neutral and negative reviews; empty: After-sales.",
    )
    cs_review_team_id = fields.Many2one(
        "cs.ticket.team",
        string="Team of Review Tickets",
        config_parameter=REVIEW_TEAM_PARAM,
        help="Team the tickets of neutral and negative reviews go to, then its normal assignment; empty: the "
        "seeded After-sales Team.",
    )
