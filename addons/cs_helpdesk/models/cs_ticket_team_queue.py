from odoo import api, fields, models

# waiting tickets handed out at once (an agent becoming available, a run of the scheduled action): the rest
# waits for the next run, so one status change never holds a long transaction
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
        """Hand the waiting (unassigned, open) tickets of these teams to their available members, queue by
        queue in the assignment order; returns the tickets that found an agent.

        As superuser: called when an agent becomes available, who may not read other agents' tickets.
        """
        teams = self.sudo().filtered(lambda team: team.active and team.assignment_method != "manual")
        Ticket = self.env["cs.ticket"].sudo()
        handed = Ticket
        for team in teams.sorted(lambda team: team._cs_queue_key()):
            if limit is not None and limit <= 0:
                break
            if not team._assignable_members():
                continue  # its tickets keep waiting and do not use up the batch of the other queues
            tickets = Ticket.search(team._cs_waiting_tickets_domain(), limit=limit, order="priority desc, id")
            if limit is not None:
                limit -= len(tickets)
            tickets._auto_assign()
            handed |= tickets.filtered("user_id")
        return handed

    @api.model
    def _cron_assign_waiting_tickets(self):
        """Catch up tickets left waiting while every member was busy, away or off shift."""
        teams = self.search([("assignment_method", "!=", "manual")])
        return len(teams._cs_assign_waiting_tickets(limit=WAITING_BATCH_SIZE))
