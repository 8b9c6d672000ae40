from odoo import fields, models

from .cs_aftersales_policy import DEFAULT_WARRANTY_MONTHS, WARRANTY_MONTHS_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cs_default_warranty_months = fields.Integer(
        string="Default Warranty (months)",
        config_parameter=WARRANTY_MONTHS_PARAM,
        default=DEFAULT_WARRANTY_MONTHS,
        help="Warranty period new after-sales policies start with (the seeds give none).",
    )
