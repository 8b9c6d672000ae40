from odoo import http
from odoo.addons.rating.controllers.main import Rating
from odoo.http import request

from ..models.cs_ticket_rating import RATING_DIMENSIONS


class CsTicketRating(Rating):
    """Odoo's rating page, which also takes the satisfaction dimension scores of a ticket."""

    @http.route()
    def action_submit_rating(self, token, rate=0, **kwargs):
        scores = {name: kwargs.pop(name, None) for name in RATING_DIMENSIONS}
        response = super().action_submit_rating(token, rate=rate, **kwargs)
        if request.httprequest.method == "POST":
            # sudo: rating.rating - the token was checked by the parent route
            rating = request.env["rating.rating"].sudo().search([("access_token", "=", token)], limit=1)
            if rating.res_model == "cs.ticket":
                rating._cs_apply_dimension_scores(scores)
        return response
