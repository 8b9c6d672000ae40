from collections import OrderedDict
from urllib.parse import urlencode

from odoo import _, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.osv import expression


class CsTicketPortal(CustomerPortal):
    """Customer portal of the helpdesk: /my/tickets list, ticket page with chatter, close button."""

    # ------------------------------------------------------------------ home
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "cs_ticket_count" in counters:
            Ticket = request.env["cs.ticket"]
            values["cs_ticket_count"] = (
                Ticket.search_count(self._cs_ticket_domain()) if Ticket.has_access("read") else 0
            )
        return values

    # ------------------------------------------------------------------ helpers
    def _cs_ticket_domain(self):
        """Tickets shown in the portal: those the user's company or the user follows (see the portal rule)."""
        partner = request.env.user.partner_id
        return [("message_partner_ids", "child_of", [partner.commercial_partner_id.id])]

    def _cs_ticket_searchbar_sortings(self):
        return {
            "date": {"label": _("Newest"), "order": "create_date desc, id desc"},
            "number": {"label": _("Ticket Number"), "order": "number desc, id desc"},
            "name": {"label": _("Subject"), "order": "name, id desc"},
            "stage": {"label": _("Status"), "order": "stage_id, id desc"},
        }

    def _cs_ticket_searchbar_filters(self):
        return OrderedDict(
            [
                ("all", {"label": _("All"), "domain": []}),
                ("open", {"label": _("Open"), "domain": [("is_closed", "=", False)]}),
                ("closed", {"label": _("Closed"), "domain": [("is_closed", "=", True)]}),
            ]
        )

    def _cs_ticket_searchbar_inputs(self):
        return OrderedDict(
            [
                ("all", {"input": "all", "label": _("Search in Subject and Number")}),
                ("name", {"input": "name", "label": _("Search in Subject")}),
                ("number", {"input": "number", "label": _("Search in Ticket Number")}),
            ]
        )

    def _cs_ticket_search_domain(self, search_in, search):
        if search_in == "name":
            return [("name", "ilike", search)]
        if search_in == "number":
            return [("number", "ilike", search)]
        return ["|", ("name", "ilike", search), ("number", "ilike", search)]

    def _cs_ticket_closing_stage(self, ticket):
        """First closed stage of the ticket's team (shared stages included), or an empty recordset."""
        domain = [("is_closed", "=", True), ("team_ids", "=", False)]
        if ticket.team_id:
            domain = [("is_closed", "=", True), "|", ("team_ids", "=", False), ("team_ids", "in", ticket.team_id.ids)]
        return request.env["cs.ticket.stage"].sudo().search(domain, order="sequence, id", limit=1)

    def _cs_ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        ticket._portal_ensure_token()  # the portal chatter posts with the token (portal users only read tickets)
        values = {
            "page_name": "cs_ticket",
            "ticket": ticket,
            "closing_stage": self._cs_ticket_closing_stage(ticket),
            "user": request.env.user,
            "preview_object": ticket,
        }
        return self._get_page_view_values(ticket, access_token, values, "my_cs_tickets_history", False, **kwargs)

    # ------------------------------------------------------------------ routes
    @http.route(["/my/tickets", "/my/tickets/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_cs_tickets(self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw):
        values = self._prepare_portal_layout_values()
        Ticket = request.env["cs.ticket"]
        if not Ticket.has_access("read"):
            return request.redirect("/my")

        searchbar_sortings = self._cs_ticket_searchbar_sortings()
        searchbar_filters = self._cs_ticket_searchbar_filters()
        searchbar_inputs = self._cs_ticket_searchbar_inputs()
        if sortby not in searchbar_sortings:
            sortby = "date"
        if filterby not in searchbar_filters:
            filterby = "all"
        if search_in not in searchbar_inputs:
            search_in = "all"

        domain = expression.AND([self._cs_ticket_domain(), searchbar_filters[filterby]["domain"]])
        if search:
            domain = expression.AND([domain, self._cs_ticket_search_domain(search_in, search)])

        ticket_count = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/tickets",
            url_args={"sortby": sortby, "filterby": filterby, "search_in": search_in, "search": search},
            total=ticket_count,
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain, order=searchbar_sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_cs_tickets_history"] = tickets.ids[:100]

        values.update(
            {
                # sudo: cs.ticket - the tickets were searched with the user's rights; related teams and
                # stages are shown read-only
                "tickets": tickets.sudo(),
                "page_name": "cs_ticket",
                "default_url": "/my/tickets",
                "pager": pager,
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
                "searchbar_filters": searchbar_filters,
                "filterby": filterby,
                "searchbar_inputs": searchbar_inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("cs_helpdesk.portal_my_cs_tickets", values)

    @http.route("/my/tickets/<int:ticket_id>", type="http", auth="public", website=True)
    def portal_my_cs_ticket(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._document_check_access("cs.ticket", ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._cs_ticket_get_page_view_values(ticket_sudo, access_token, **kw)
        return request.render("cs_helpdesk.portal_my_cs_ticket", values)

    @http.route("/my/tickets/<int:ticket_id>/close", type="http", auth="public", methods=["POST"], website=True)
    def portal_my_cs_ticket_close(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._document_check_access("cs.ticket", ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        stage = self._cs_ticket_closing_stage(ticket_sudo)
        if stage and not ticket_sudo.is_closed:
            user = request.env.user
            author = ticket_sudo.partner_id if user._is_public() else user.partner_id
            ticket_sudo.write({"stage_id": stage.id})
            # the closing note is not a reply to the closed ticket: it opens no follow-up ticket
            ticket_sudo.with_context(cs_customer_closing=True).message_post(
                body=_("The customer closed the ticket."),
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        url = ticket_sudo.access_url
        if access_token:
            url = f"{url}?{urlencode({'access_token': access_token})}"
        return request.redirect(url)
