from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.http import request


class CsFeePortal(CustomerPortal):
    """/my/fees: the service fees of the portal user's company, with their invoices (shown by account)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "cs_fee_count" in counters:
            Fee = request.env["cs.fee"]
            values["cs_fee_count"] = Fee.search_count([]) if Fee.has_access("read") else 0
        return values

    @http.route(["/my/fees", "/my/fees/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_cs_fees(self, page=1, **kw):
        Fee = request.env["cs.fee"]
        # the portal record rule limits the fees to the user's commercial partner
        count = Fee.search_count([])
        pager = portal_pager(url="/my/fees", total=count, page=page, step=self._items_per_page)
        fees = Fee.search([], order="date desc, id desc", limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update({"fees": fees, "pager": pager, "page_name": "cs_fee", "default_url": "/my/fees"})
        return request.render("cs_billing.portal_my_cs_fees", values)
