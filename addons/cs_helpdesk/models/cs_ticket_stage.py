from odoo import fields, models


class CsTicketStage(models.Model):
    _name = "cs.ticket.stage"
    _description = "Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    fold = fields.Boolean(string="Folded in Kanban")
    is_resolved = fields.Boolean(
        string="Resolved Stage", help="A solution was given to the customer: the resolution SLA is reached here."
    )
    is_closed = fields.Boolean(string="Closed Stage", help="Tickets in this stage are archived cases.")
    is_waiting = fields.Boolean(
        string="Waiting for the Customer",
        help="A customer reply moves a ticket of this stage back to its team's in-progress stage.",
    )
    is_cancelled = fields.Boolean(
        string="Cancelled / Spam",
        help="Closed without handling (spam, duplicate, withdrawn): its SLA targets are not applicable and "
        "count in no rate.",
    )
    team_ids = fields.Many2many(
        "cs.ticket.team",
        string="Teams",
        help="Teams using this stage. Leave empty to share it with every team.",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "cs.ticket")],
        help="Sent to the customer when a ticket reaches this stage.",
    )
