from odoo import fields, models


class CsTicketChannel(models.Model):
    _name = "cs.ticket.channel"
    _description = "Contact Channel"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    channel_type = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("chat", "Online Chat"),
            ("social", "Social Media"),
            ("sms", "SMS"),
            ("web", "Web / Portal"),
            ("walk_in", "Walk-in"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    response_hours = fields.Float(
        string="Default Response Target (h)",
        help="Working hours within which a first reply is expected on this channel when no SLA policy says more.",
    )
    answer_seconds = fields.Integer(
        string="Answer Target (s)",
        help="For live channels (hotline, chat): seconds within which a person must answer.",
    )
    team_id = fields.Many2one("cs.ticket.team", string="Default Team")
    color = fields.Integer()
