from odoo import http
from odoo.addons.rating.controllers.main import Rating
from odoo.http import request
from odoo.tools.misc import get_lang

from ..models.cs_ticket_rating import RATING_DIMENSIONS


class CsTicketRating(Rating):
    """Odoo's rating page, which also takes the satisfaction dimension scores of a ticket."""

    @http.route()
    def action_submit_rating(self, token, rate=0, **kwargs):
        scores = {name: kwargs.pop(name, None) for name in RATING_DIMENSIONS}
        if request.httprequest.method == "POST":
            # sudo: rating.rating - looked up by its secret token, as the parent route does
            rating = request.env["rating.rating"].sudo().search([("access_token", "=", token)], limit=1)
            if rating.res_model == "cs.ticket" and rating.consumed:
                # a rating link is used once: a forwarded or replayed link cannot change the answer
                return self._cs_render_rating(rating)
        response = super().action_submit_rating(token, rate=rate, **kwargs)
        if request.httprequest.method == "POST":
            # sudo: rating.rating - the token was checked by the parent route
            rating = request.env["rating.rating"].sudo().search([("access_token", "=", token)], limit=1)
            if rating.res_model == "cs.ticket":
                rating._cs_apply_dimension_scores(scores)
        return response

    def _cs_render_rating(self, rating):
        """The page of a given rating, as the parent route shows it after a submission."""
        lang = rating.partner_id.lang or get_lang(request.env).code
        return (
            request.env["ir.ui.view"]
            .with_context(lang=lang)
            ._render_template(
                "rating.rating_external_page_view", {"web_base_url": rating.get_base_url(), "rating": rating}
            )
        )
