from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CsRosterLine(models.Model):
    """One agent on one shift on one day of a team's weekly roster."""

    _name = "cs.roster.line"
    _description = "Roster Shift"
    _order = "date, start_datetime, user_id"
    _check_company_auto = True

    roster_id = fields.Many2one("cs.roster", required=True, ondelete="cascade", index=True)
    team_id = fields.Many2one(related="roster_id.team_id", store=True, index=True)
    company_id = fields.Many2one(related="roster_id.company_id", store=True, index=True)
    state = fields.Selection(related="roster_id.state", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Agent",
        required=True,
        index=True,
        domain="[('id', 'in', allowed_user_ids)]",
    )
    allowed_user_ids = fields.Many2many(related="roster_id.team_id.member_ids")
    date = fields.Date(required=True)
    shift_id = fields.Many2one("cs.shift", string="Shift", required=True, check_company=True, ondelete="restrict")
    start_datetime = fields.Datetime(string="Starts", compute="_compute_interval", store=True, index=True)
    end_datetime = fields.Datetime(string="Ends", compute="_compute_interval", store=True, index=True)

    @api.depends("date", "shift_id.start_hour", "shift_id.end_hour", "roster_id.team_id.resource_calendar_id")
    def _compute_interval(self):
        for line in self:
            if line.date and line.shift_id and line.roster_id:
                line.start_datetime, line.end_datetime = line.shift_id._interval(line.date, line.roster_id._tz())
            else:
                line.start_datetime = line.end_datetime = False

    @api.constrains("date", "roster_id", "user_id")
    def _check_in_week_and_team(self):
        for line in self:
            roster = line.roster_id
            if not roster.week_start <= line.date <= roster.week_end:
                raise ValidationError(
                    self.env._(
                        "The shift of %(user)s on %(date)s is outside the roster's week (%(start)s – %(end)s).",
                        user=line.user_id.name,
                        date=line.date,
                        start=roster.week_start,
                        end=roster.week_end,
                    )
                )
            if line.user_id not in roster.team_id.member_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a member of team %(team)s.", user=line.user_id.name, team=roster.team_id.name
                    )
                )

    @api.constrains("start_datetime", "end_datetime", "user_id")
    def _check_overlap(self):
        """No agent on two overlapping shifts, in this roster or another team's."""
        self.flush_model(["user_id", "start_datetime", "end_datetime"])
        for line in self:
            clash = self.sudo().search(
                [
                    ("id", "!=", line.id),
                    ("user_id", "=", line.user_id.id),
                    ("start_datetime", "<", line.end_datetime),
                    ("end_datetime", ">", line.start_datetime),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "%(user)s would be on two overlapping shifts: %(shift)s on %(date)s and %(other)s on "
                        "%(other_date)s (%(team)s).",
                        user=line.user_id.name,
                        shift=line.shift_id.name,
                        date=line.date,
                        other=clash.shift_id.name,
                        other_date=clash.date,
                        team=clash.team_id.name,
                    )
                )
