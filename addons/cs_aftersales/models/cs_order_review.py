from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_record_param

REVIEW_TYPES = [("good", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")]
REVIEW_TICKET_TYPE_PARAM = "cs_aftersales.review_ticket_type_id"
REVIEW_TEAM_PARAM = "cs_aftersales.review_team_id"
# Unless the setting names a team: the after-sales team cs_helpdesk seeds (readme/CONFIGURE.md).
DEFAULT_REVIEW_TEAM_XMLID = "cs_helpdesk.team_aftersales_demo"


class CsOrderReview(models.Model):
    """A customer's review of an order on the shop platform (中差评处理).

    A neutral or negative review opens a ticket for the after-sales team, as the seeds' after-sales agents
    handle 中差评 with their own procedure; the outcome records whether the customer revised the review.
    """

    _name = "cs.order.review"
    _description = "Order Review"
    _inherit = ["mail.thread"]
    _order = "review_date desc, id desc"
    _check_company_auto = True

    sale_order_id = fields.Many2one("sale.order", string="Sale Order", required=True, index=True, check_company=True)
    company_id = fields.Many2one(related="sale_order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="sale_order_id.partner_id", string="Customer", store=True, index=True)
    platform = fields.Char(help="Shop platform the review was left on.")
    review_date = fields.Date(required=True, default=fields.Date.context_today)
    review_type = fields.Selection(REVIEW_TYPES, string="Review", required=True, tracking=True, index=True)
    stars = fields.Selection(
        [("1", "1 star"), ("2", "2 stars"), ("3", "3 stars"), ("4", "4 stars"), ("5", "5 stars")],
        help="Star rating given on the platform, when it has one.",
    )
    content = fields.Text(string="Review Text", required=True)
    reply = fields.Text(string="Our Reply", help="Reply published under the review (回评).")
    outcome = fields.Selection(
        [("pending", "Being Handled"), ("revised", "Review Revised"), ("kept", "Review Kept")],
        default="pending",
        required=True,
        tracking=True,
    )
    ticket_id = fields.Many2one("cs.ticket", string="Ticket", readonly=True, index="btree_not_null", copy=False)

    @api.depends("sale_order_id", "review_type")
    def _compute_display_name(self):
        types = dict(self._fields["review_type"]._description_selection(self.env))
        for review in self:
            review.display_name = self.env._(
                "%(type)s review of %(order)s", type=types.get(review.review_type, ""), order=review.sale_order_id.name
            )

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        reviews.filtered(lambda r: r.review_type in ("neutral", "negative"))._open_tickets()
        return reviews

    def _open_tickets(self):
        """One ticket per neutral/negative review, for the team that handles after-sales (configurable type)."""
        ticket_type = get_record_param(self.env, REVIEW_TICKET_TYPE_PARAM, "cs.ticket.type") or self.env.ref(
            "cs_helpdesk.type_aftersales", raise_if_not_found=False
        )
        team = self._review_team()
        vals_list = [
            {
                "name": review.display_name,
                "partner_id": review.partner_id.id,
                "company_id": review.company_id.id,
                "type_id": ticket_type.id if ticket_type else False,
                "team_id": team.id if team.company_id == review.company_id else False,
                "priority": "2" if review.review_type == "negative" else "1",
                "cs_sale_order_id": review.sale_order_id.id,
                "description": review.content,
            }
            for review in self
        ]
        # as superuser: whoever logs the review may not see the team the ticket is routed to; creating the
        # ticket with its team runs the team's normal assignment (cs_helpdesk)
        tickets = self.env["cs.ticket"].sudo().create(vals_list)
        for review, ticket in zip(self, tickets, strict=True):
            review.ticket_id = ticket
        return tickets

    @api.model
    def _review_team(self):
        """The team that handles review tickets: the setting, else the seeded after-sales team, if active."""
        team = get_record_param(self.env, REVIEW_TEAM_PARAM, "cs.ticket.team") or self.env.ref(
            DEFAULT_REVIEW_TEAM_XMLID, raise_if_not_found=False
        )
        return team.sudo().filtered("active") if team else self.env["cs.ticket.team"]

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.ticket",
            "res_id": self.ticket_id.id,
            "views": [(False, "form")],
        }
