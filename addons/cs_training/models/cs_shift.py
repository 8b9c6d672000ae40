from datetime import datetime, time, timedelta

import pytz
from odoo import api, fields, models
from odoo.exceptions import ValidationError


def hour_to_time(hour):
    """A float hour of a float_time field (16.5) as a time; 24 is midnight."""
    minutes = round(hour * 60) % (24 * 60)
    return time(minutes // 60, minutes % 60)


class CsShift(models.Model):
    """A shift template (班次): when it starts and ends in the team's time zone and how long is worked."""

    _name = "cs.shift"
    _description = "Shift Template"
    _order = "sequence, start_hour, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    start_hour = fields.Float(string="Starts At", required=True, help="Local time of the team (its working hours).")
    end_hour = fields.Float(
        string="Ends At",
        required=True,
        help="Local time; an end at or before the start is on the next day (a late shift ending at 00:00).",
    )
    duration = fields.Float(string="Span (hours)", compute="_compute_duration", help="Hours from start to end.")
    work_hours = fields.Float(
        string="Working Hours", required=True, default=8.0, help="Hours worked in the shift, breaks excluded."
    )

    _sql_constraints = [
        (
            "hours_valid",
            "CHECK (start_hour >= 0 AND start_hour < 24 AND end_hour >= 0 AND end_hour <= 24 AND work_hours > 0)",
            "A shift starts and ends between 00:00 and 24:00 and has working hours.",
        ),
    ]

    @api.depends("start_hour", "end_hour")
    def _compute_duration(self):
        for shift in self:
            shift.duration = (shift.end_hour - shift.start_hour) % 24 or 24

    @api.constrains("work_hours", "start_hour", "end_hour")
    def _check_work_hours(self):
        for shift in self:
            if shift.work_hours > shift.duration:
                raise ValidationError(
                    self.env._(
                        "Shift %(shift)s cannot have more working hours than its span of %(hours)s hours.",
                        shift=shift.display_name,
                        hours=shift.duration,
                    )
                )

    def _interval(self, day, tz_name):
        """(start, end) in naive UTC of this shift on local ``day`` in time zone ``tz_name``."""
        self.ensure_one()
        tz = pytz.timezone(tz_name)
        start = tz.localize(datetime.combine(day, hour_to_time(self.start_hour)))
        end = tz.localize(
            datetime.combine(
                day + timedelta(days=1 if self.end_hour <= self.start_hour or self.end_hour >= 24 else 0),
                hour_to_time(self.end_hour),
            )
        )
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )
