from odoo import fields, models

from .cs_roster import (
    DEFAULT_HISTORY_WEEKS,
    DEFAULT_REST_DAYS,
    DEFAULT_TICKETS_PER_AGENT_HOUR,
    HISTORY_WEEKS_PARAM,
    REST_DAYS_PARAM,
    TICKETS_PER_AGENT_HOUR_PARAM,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cs_roster_rest_days = fields.Integer(
        string="Weekly Rest Days",
        config_parameter=REST_DAYS_PARAM,
        default=DEFAULT_REST_DAYS,
        help="Days off every agent keeps in a weekly roster (one in the seeds: 每周单休).",
    )
    cs_roster_tickets_per_agent_hour = fields.Float(
        string="Tickets per Agent and Hour",
        config_parameter=TICKETS_PER_AGENT_HOUR_PARAM,
        default=DEFAULT_TICKETS_PER_AGENT_HOUR,
        help="Tickets one agent handles in an hour: the roster coverage check divides the expected volume by it.",
    )
    cs_roster_history_weeks = fields.Integer(
        string="Volume History (weeks)",
        config_parameter=HISTORY_WEEKS_PARAM,
        default=DEFAULT_HISTORY_WEEKS,
        help="Weeks of ticket history averaged into the expected volume per hour of a roster.",
    )
