from odoo import fields, models


class CsInboundRoute(models.Model):
    """Where an integration's calls or messages go: a telephony queue code, or a message platform
    (淘宝 shop messages, 微博 comments and private messages, SMS replies), mapped to a team and a channel."""

    _name = "cs.inbound.route"
    _description = "Inbound Route"
    _order = "integration_id, code"
    _check_company_auto = True

    integration_id = fields.Many2one("cs.inbound.integration", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="integration_id.company_id", store=True)
    code = fields.Char(
        required=True, help="The queue or platform code the sending system puts in its events, e.g. weibo, sms."
    )
    name = fields.Char()
    team_id = fields.Many2one("cs.ticket.team", string="Team", check_company=True)
    channel_id = fields.Many2one("cs.ticket.channel", string="Channel")

    _sql_constraints = [
        ("code_uniq", "unique (integration_id, code)", "Each queue or platform code is routed once per integration.")
    ]
