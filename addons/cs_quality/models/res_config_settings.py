from odoo import fields, models

from .cs_kpi_snapshot import (
    DEFAULT_ESAT_MIN_RESPONDENTS,
    DEFAULT_LOW_RATING,
    DEFAULT_PURCHASE_WINDOW,
    ESAT_MIN_RESPONDENTS_PARAM,
    LOW_RATING_PARAM,
    PURCHASE_WINDOW_PARAM,
)
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
    cs_purchase_window_days = fields.Integer(
        string="Purchase Window (days)",
        config_parameter=PURCHASE_WINDOW_PARAM,
        default=DEFAULT_PURCHASE_WINDOW,
        help="Days before and after a complaint or low rating in which the customer's sales orders count for the "
        "repeat purchase and churn KPIs (with the Sales app).",
    )
    cs_low_rating = fields.Integer(
        string="Low Rating (at most)",
        config_parameter=LOW_RATING_PARAM,
        default=DEFAULT_LOW_RATING,
        help="Ratings up to this value count as low for the repeat purchase and churn KPIs.",
    )
    cs_esat_min_respondents = fields.Integer(
        string="ESAT Minimum Respondents",
        config_parameter=ESAT_MIN_RESPONDENTS_PARAM,
        default=DEFAULT_ESAT_MIN_RESPONDENTS,
        help="A team's employee satisfaction is shown only when at least this many of its employees answered in "
        "the period, so that no member can work out a colleague's score.",
    )
