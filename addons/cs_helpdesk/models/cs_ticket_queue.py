from datetime import datetime

from odoo import models


class CsTicket(models.Model):
    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    def _cs_queue_sorted(self):
        """The assignment order: tickets of higher-priority queues, then higher priority, then the oldest."""
        return self.sorted(
            lambda ticket: (
                ticket.team_id._cs_queue_key() if ticket.team_id else (0, 0, 0),
                -int(ticket.priority or 0),
                ticket.create_date or datetime.max,
                ticket.id,
            )
        )
