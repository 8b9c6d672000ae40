from odoo.http import request

from ..models.cs_ticket_followup import FOLLOWUP_DONE
from .portal import CsTicketPortal


class CsComplaintPortal(CsTicketPortal):
    """A complaint is archived by its handler once the return visit is done, not closed by the customer.

    Without a closing stage the portal shows no Close button and its route leaves the ticket as it is.
    """

    def _cs_ticket_closing_stage(self, ticket):
        if ticket.complaint_state and ticket.followup_status not in FOLLOWUP_DONE:
            return request.env["cs.ticket.stage"]
        return super()._cs_ticket_closing_stage(ticket)
