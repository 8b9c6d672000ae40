from odoo import fields, models


class CsTicketTeam(models.Model):
    """The public web form of a team (/helpdesk/<team>/submit) is open only once the team publishes it."""

    _inherit = "cs.ticket.team"

    web_form_published = fields.Boolean(
        copy=False,
        tracking=True,
        help="Customers and visitors can send requests to this team through its public web form.",
    )
    web_form_url = fields.Char(string="Web Form Address", compute="_compute_web_form_url")

    def _compute_web_form_url(self):
        for team in self:
            team.web_form_url = f"{team.get_base_url()}/helpdesk/{team.id}/submit" if team.id else False
