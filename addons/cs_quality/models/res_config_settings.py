from odoo import fields, models

from .cs_qa_review import APPEAL_DAYS_PARAM, DEFAULT_APPEAL_DAYS
from .maintenance_equipment import DEFAULT_LICENSE_NOTICE_DAYS, LICENSE_NOTICE_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cs_qa_appeal_days = fields.Integer(
        string="Appeal Period (days)",
        config_parameter=APPEAL_DAYS_PARAM,
        default=DEFAULT_APPEAL_DAYS,
        help="Days an agent has to appeal a QA review once it is sent.",
    )
    cs_license_notice_days = fields.Integer(
        string="Licence Notice (days)",
        config_parameter=LICENSE_NOTICE_PARAM,
        default=DEFAULT_LICENSE_NOTICE_DAYS,
        help="Days before a tool's licence expires that its technician gets a reminder.",
    )
