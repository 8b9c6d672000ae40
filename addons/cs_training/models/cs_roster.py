import math
from collections import defaultdict
from datetime import datetime, timedelta

import pytz
from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_float_param, get_int_param, tz_name
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, date_utils, format_list, html_escape

REST_DAYS_PARAM = "cs_training.roster_rest_days"
DEFAULT_REST_DAYS = 1  # 每周单休 (seeds N33)
TICKETS_PER_AGENT_HOUR_PARAM = "cs_training.tickets_per_agent_hour"
DEFAULT_TICKETS_PER_AGENT_HOUR = 6.0  # the seeds give no handling rate: a setting
HISTORY_WEEKS_PARAM = "cs_training.roster_history_weeks"
DEFAULT_HISTORY_WEEKS = 4


class CsRoster(models.Model):
    """A team's weekly roster (排班表), made by its team leader and published once its checks pass."""

    _name = "cs.roster"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Weekly Roster"
    _order = "week_start desc, team_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    team_id = fields.Many2one("cs.ticket.team", required=True, index=True, check_company=True, tracking=True)
    company_id = fields.Many2one(related="team_id.company_id", store=True, index=True)
    leader_id = fields.Many2one(related="team_id.leader_id", string="Team Leader", store=True)
    week_start = fields.Date(
        string="Week Of",
        required=True,
        default=lambda self: date_utils.start_of(fields.Date.context_today(self) + timedelta(days=7), "week"),
        help="The Monday the roster starts on.",
    )
    week_end = fields.Date(compute="_compute_name", store=True)
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published")], default="draft", required=True, tracking=True, copy=False
    )
    line_ids = fields.One2many("cs.roster.line", "roster_id", string="Shifts", copy=True)
    understaffed_hours = fields.Integer(
        compute="_compute_coverage", help="Hours of the week with fewer agents on shift than the expected volume needs."
    )
    coverage_html = fields.Html(string="Coverage", compute="_compute_coverage", sanitize=False)

    _sql_constraints = [
        ("team_week_unique", "UNIQUE (team_id, week_start)", "A team has one roster per week."),
    ]

    @api.depends("team_id.name", "week_start")
    def _compute_name(self):
        for roster in self:
            roster.week_end = roster.week_start and roster.week_start + timedelta(days=6)
            roster.name = roster.team_id and roster.week_start and f"{roster.team_id.name} {roster.week_start}"

    @api.constrains("week_start")
    def _check_week_start(self):
        for roster in self:
            if roster.week_start.weekday() != 0:
                raise ValidationError(self.env._("A weekly roster starts on a Monday."))

    def _tz(self):
        self.ensure_one()
        return tz_name(self.env, user=self.team_id.leader_id or None, calendar=self.team_id.resource_calendar_id)

    # ------------------------------------------------------------------ checks
    def _check_rest_days(self):
        """Every member keeps the weekly rest days (每周单休): a clear error naming who works too many days."""
        rest_days = get_int_param(self.env, REST_DAYS_PARAM, DEFAULT_REST_DAYS)
        for roster in self:
            days = defaultdict(set)
            for line in roster.line_ids:
                days[line.user_id].add(line.date)
            tired = [user.name for user, dates in days.items() if len(dates) > 7 - rest_days]
            if tired:
                raise ValidationError(
                    self.env._(
                        "The roster of %(team)s gives %(users)s no weekly rest day: at most %(days)s working days.",
                        team=roster.team_id.name,
                        users=format_list(self.env, tired),
                        days=7 - rest_days,
                    )
                )

    def _expected_volume(self):
        """Average tickets created per (weekday, local hour) over the last weeks of the team's history."""
        self.ensure_one()
        weeks = get_int_param(self.env, HISTORY_WEEKS_PARAM, DEFAULT_HISTORY_WEEKS, minimum=1)
        tz = pytz.timezone(self._tz())
        until = tz.localize(datetime.combine(self.week_start, datetime.min.time())).astimezone(pytz.utc)
        until = min(until.replace(tzinfo=None), fields.Datetime.now())
        since = until - timedelta(weeks=weeks)
        local = SQL("(create_date AT TIME ZONE 'UTC' AT TIME ZONE %s)", tz.zone)
        self.env["cs.ticket"].flush_model(["team_id", "create_date"])
        rows = self.env.execute_query(
            SQL(
                """SELECT EXTRACT(ISODOW FROM %(local)s)::int - 1, EXTRACT(HOUR FROM %(local)s)::int, COUNT(*)
                     FROM cs_ticket
                    WHERE team_id = %(team)s AND create_date >= %(since)s AND create_date < %(until)s
                 GROUP BY 1, 2""",
                local=local,
                team=self.team_id.id,
                since=since,
                until=until,
            )
        )
        return {(weekday, hour): count / weeks for weekday, hour, count in rows}

    def _staffing(self):
        """Agents on shift per (weekday, local hour) of the roster's week."""
        self.ensure_one()
        tz = pytz.timezone(self._tz())
        staffed = defaultdict(set)
        for line in self.line_ids:
            start = pytz.utc.localize(line.start_datetime).astimezone(tz)
            end = pytz.utc.localize(line.end_datetime).astimezone(tz)
            slot = start.replace(minute=0, second=0, microsecond=0)
            while slot < end:
                day = (slot.date() - self.week_start).days
                if 0 <= day < 7:
                    staffed[(day, slot.hour)].add(line.user_id.id)
                slot += timedelta(hours=1)
        return {key: len(users) for key, users in staffed.items()}

    def _coverage_gaps(self):
        """[(weekday, hour, expected tickets, agents needed, agents on shift)] for every understaffed hour."""
        self.ensure_one()
        rate = get_float_param(self.env, TICKETS_PER_AGENT_HOUR_PARAM, DEFAULT_TICKETS_PER_AGENT_HOUR, minimum=0.1)
        staffed = self._staffing()
        gaps = []
        for (weekday, hour), expected in sorted(self._expected_volume().items()):
            needed = math.ceil(expected / rate)
            if staffed.get((weekday, hour), 0) < needed:
                gaps.append((weekday, hour, expected, needed, staffed.get((weekday, hour), 0)))
        return gaps

    @api.depends("line_ids.start_datetime", "line_ids.end_datetime", "line_ids.user_id", "team_id", "week_start")
    def _compute_coverage(self):
        for roster in self:
            gaps = roster._coverage_gaps() if roster.team_id and roster.week_start else []
            roster.understaffed_hours = len(gaps)
            roster.coverage_html = roster._coverage_table(gaps)

    def _coverage_table(self, gaps):
        if not gaps:
            return False
        rows = "".join(
            "<tr><td>%s</td><td>%02d:00</td><td>%.1f</td><td>%s</td><td>%s</td></tr>"
            % (
                html_escape(fields.Date.to_string(self.week_start + timedelta(days=weekday))),
                hour,
                expected,
                needed,
                staffed,
            )
            for weekday, hour, expected, needed, staffed in gaps
        )
        headers = "".join(
            f"<th>{html_escape(label)}</th>"
            for label in (
                self.env._("Day"),
                self.env._("Hour"),
                self.env._("Expected Tickets"),
                self.env._("Agents Needed"),
                self.env._("Agents on Shift"),
            )
        )
        return f'<table class="table table-sm"><thead><tr>{headers}</tr></thead><tbody>{rows}</tbody></table>'

    # ------------------------------------------------------------------ actions
    def action_publish(self):
        """Publish after the blocking checks; understaffed hours are noted in the chatter, not refused."""
        for roster in self:
            if not roster.line_ids:
                raise UserError(self.env._("Add the shifts of the week before publishing the roster."))
        self._check_rest_days()
        self.line_ids._check_overlap()
        self.write({"state": "published"})
        for roster in self.filtered("understaffed_hours"):
            roster.message_post(
                body=self.env._(
                    "Published with %(count)s understaffed hours against the expected ticket volume.",
                    count=roster.understaffed_hours,
                )
            )
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True
