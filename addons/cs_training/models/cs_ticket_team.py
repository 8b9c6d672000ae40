from odoo import fields, models


class CsTicketTeam(models.Model):
    _inherit = "cs.ticket.team"

    roster_ids = fields.One2many("cs.roster", "team_id", string="Rosters")

    def _assignable_members(self):
        """Members on a shift of the team's published roster right now and not on leave.

        A team that never published a roster assigns as before: rostering is opt-in per team.
        """
        members = super()._assignable_members()
        if not members:
            return members
        Line = self.env["cs.roster.line"].sudo()
        if not Line.search_count([("team_id", "=", self.id), ("state", "=", "published")], limit=1):
            return members
        now = fields.Datetime.now()
        on_shift = Line.search(
            [
                ("team_id", "=", self.id),
                ("state", "=", "published"),
                ("user_id", "in", members.ids),
                ("start_datetime", "<=", now),
                ("end_datetime", ">", now),
            ]
        ).user_id
        on_leave = (
            self.env["hr.leave"]
            .sudo()
            .search(
                [
                    ("state", "=", "validate"),
                    ("employee_id.user_id", "in", on_shift.ids),
                    ("date_from", "<=", now),
                    ("date_to", ">", now),
                ]
            )
            .employee_id.user_id
        )
        return members & (on_shift - on_leave)
