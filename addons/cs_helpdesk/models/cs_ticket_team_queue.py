from odoo import api, fields, models

# waiting tickets handed out per run of the scheduled action: the rest waits for the next run
WAITING_BATCH_SIZE = 500


class CsTicketTeam(models.Model):
    """Queues (队列优先级): a team is a queue; waiting tickets of higher-priority queues are assigned first."""

    _inherit = "cs.ticket.team"  # pylint: disable=consider-merging-classes-inherited

    queue_priority = fields.Integer(
        default=0,
        tracking=True,
        help="Unassigned tickets of teams with a higher queue priority are handed out first when agents become "
        "available (a VIP queue gets a higher number than the general one).",
    )

    def _cs_queue_key(self):
        """Sort key of a team in the assignment order: higher queue priority first."""
        return (-self.queue_priority, self.sequence, self.id)

    def _cs_waiting_tickets_domain(self):
        return [
            ("team_id", "in", self.ids),
            ("user_id", "=", False),
            ("is_closed", "=", False),
            ("is_resolved", "=", False),
        ]

    def _cs_assign_waiting_tickets(self, limit=None):
        """Hand the waiting (unassigned, open) tickets of these teams to their available members.

        As superuser: called when an agent becomes available, who may not read other agents' tickets.
        """
        teams = self.sudo().filtered(lambda team: team.active and team.assignment_method != "manual")
        if not teams:
            return self.env["cs.ticket"]
        tickets = self.env["cs.ticket"].sudo().search(teams._cs_waiting_tickets_domain(), limit=limit)
        tickets._auto_assign()
        return tickets.filtered("user_id")

    @api.model
    def _cron_assign_waiting_tickets(self):
        """Catch up tickets left waiting while every member was busy, away or off shift."""
        teams = self.search([("assignment_method", "!=", "manual")])
        return len(teams._cs_assign_waiting_tickets(limit=WAITING_BATCH_SIZE))
