from odoo import http
from odoo.addons.rma_sale.controllers.sale_portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request


class AftersalesPortal(CustomerPortal):
    @http.route()
    def request_rma(self, order_id, access_token=None, **post):
        """The request form of rma_sale, refused with the policy's message instead of a traceback."""
        try:
            with request.env.cr.savepoint():
                return super().request_rma(order_id, access_token=access_token, **post)
        except UserError as error:
            return request.render(
                "cs_aftersales.portal_rma_refused",
                {"message": error.args[0], "back_url": f"/my/orders/{order_id}?access_token={access_token or ''}"},
            )

    @http.route(["/my/rmas/<int:rma_id>/tracking"], type="http", auth="public", methods=["POST"], website=True)
    def rma_set_tracking(self, rma_id, access_token=None, tracking_ref=None, **kw):
        try:
            rma_sudo = self._document_check_access("rma", rma_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                rma_sudo.action_cs_set_tracking(tracking_ref)
        except UserError as error:
            return request.render(
                "cs_aftersales.portal_rma_refused",
                {"message": error.args[0], "back_url": rma_sudo.get_portal_url()},
            )
        return request.redirect(rma_sudo.get_portal_url())
