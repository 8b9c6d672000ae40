from odoo import api, fields, models


class CsTicketTeam(models.Model):
    _inherit = "cs.ticket.team"

    roster_ids = fields.One2many("cs.roster", "team_id", string="Rosters")

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        for team in teams:
            self.env["cs.training.plan"]._enrol_new_team_members(team, team.member_ids)
        return teams

    def write(self, vals):
        if "member_ids" not in vals:
            return super().write(vals)
        before = {team.id: team.member_ids for team in self}
        res = super().write(vals)
        for team in self:
            self.env["cs.training.plan"]._enrol_new_team_members(team, team.member_ids - before[team.id])
        return res

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
