from odoo import api, fields, models
from odoo.exceptions import UserError


class CsShiftHandover(models.Model):
    """A handover note (交接本) from the agent leaving a shift to the one taking over."""

    _name = "cs.shift.handover"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Shift Handover"
    _order = "date desc, id desc"
    _check_company_auto = True

    team_id = fields.Many2one("cs.ticket.team", required=True, index=True, check_company=True)
    company_id = fields.Many2one(related="team_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    from_user_id = fields.Many2one(
        "res.users", string="Handed Over By", required=True, default=lambda self: self.env.user, index=True
    )
    to_user_id = fields.Many2one("res.users", string="Taken Over By", required=True, index=True, tracking=True)
    from_line_id = fields.Many2one("cs.roster.line", string="Shift Ending", index="btree_not_null")
    ticket_ids = fields.Many2many("cs.ticket", string="Open Tickets", check_company=True)
    note = fields.Html(string="Open Items", required=True)
    state = fields.Selection(
        [("sent", "Handed Over"), ("acknowledged", "Taken Over")], default="sent", required=True, tracking=True
    )
    acknowledged_date = fields.Datetime(string="Taken Over On", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        handovers = super().create(vals_list)
        for handover in handovers:
            handover.message_subscribe(partner_ids=handover.to_user_id.partner_id.ids)
        return handovers

    @api.onchange("from_user_id", "team_id")
    def _onchange_prefill_tickets(self):
        if self.from_user_id and self.team_id and not self.ticket_ids:
            self.ticket_ids = self.env["cs.ticket"].search(
                [("user_id", "=", self.from_user_id.id), ("team_id", "=", self.team_id.id), ("is_closed", "=", False)]
            )

    def action_acknowledge(self):
        if self.filtered(lambda h: h.to_user_id != self.env.user):
            raise UserError(self.env._("Only the agent taking over the shift acknowledges its handover."))
        self.sudo().write({"state": "acknowledged", "acknowledged_date": fields.Datetime.now()})
        return True
