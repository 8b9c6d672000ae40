from odoo import fields, models


class CsTicketChannel(models.Model):
    """How a customer reached the service. Its targets (email 24 h, hotline 30 s) are SLA policies filtered
    by channel, so they pause, escalate and report like every other target."""

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
    team_id = fields.Many2one("cs.ticket.team", string="Default Team")
    color = fields.Integer()
