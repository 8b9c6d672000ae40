from collections import defaultdict
from datetime import datetime, time

import pytz
from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_int_param
from odoo.tools import SQL, date_utils

SLA_BREACH_LIMIT_PARAM = "cs_training.sla_breach_limit"
DEFAULT_SLA_BREACH_LIMIT = 5  # the seeds give no count: breaches allowed per month before a penalty draft
ATTENDANCE_TOLERANCE_PARAM = "cs_training.attendance_tolerance_minutes"
DEFAULT_ATTENDANCE_TOLERANCE = 0


class CsIncentiveRecord(models.Model):
    """Monthly automatic drafts: full attendance (R4-1) and SLA breaches over the configured limit."""

    _inherit = "cs.incentive.record"

    @api.model
    def _cs_employees(self, company):
        """Employees of ``company`` whose user belongs to a customer service team."""
        return (
            self.env["hr.employee"]
            .sudo()
            .search([("company_id", "=", company.id), ("user_id.cs_team_ids", "!=", False)])
        )

    @api.model
    def _draft_monthly(self, rule, employees, month_start, note):
        """One draft per employee and month of ``rule``, dated the month's last day; never twice."""
        month_end = date_utils.end_of(month_start, "month")
        existing = self.sudo().search(
            [
                ("rule_id", "=", rule.id),
                ("employee_id", "in", employees.ids),
                ("date", ">=", month_start),
                ("date", "<=", month_end),
                ("state", "!=", "cancelled"),
            ]
        )
        employees -= existing.employee_id
        # a system draft: its source and note say where it comes from, no creation message per record
        return (
            self.sudo()
            .with_context(mail_create_nolog=True)
            .create(
                [
                    {
                        "employee_id": employee.id,
                        "rule_id": rule.id,
                        "date": month_end,
                        "res_model": "hr.employee",
                        "res_id": employee.id,
                        "note": note,
                    }
                    for employee in employees
                ]
            )
        )

    # ------------------------------------------------------------------ full attendance
    @api.model
    def _full_attendance(self, employees, month_start):
        """Employees present on every working day of the month, never late nor leaving early, without leave.

        Working days and hours come from each employee's working schedule (resource.calendar); presence from
        hr_attendance; leave from validated hr_holidays leaves touching the month.
        """
        month_end = date_utils.end_of(month_start, "month")
        tolerance = get_int_param(self.env, ATTENDANCE_TOLERANCE_PARAM, DEFAULT_ATTENDANCE_TOLERANCE) * 60
        start = datetime.combine(month_start, time.min)
        stop = datetime.combine(month_end, time.max)
        employees = employees.filtered("resource_calendar_id")
        on_leave = (
            self.env["hr.leave"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("state", "=", "validate"),
                    ("request_date_from", "<=", month_end),
                    ("request_date_to", ">=", month_start),
                ]
            )
            .employee_id
        )
        attendances = defaultdict(list)
        for attendance in (
            self.env["hr.attendance"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", (employees - on_leave).ids),
                    # a margin of a day on both sides: days are local, check-ins are UTC
                    ("check_in", ">=", start - date_utils.relativedelta(days=1)),
                    ("check_in", "<=", stop + date_utils.relativedelta(days=1)),
                ]
            )
        ):
            attendances[attendance.employee_id].append(attendance)
        present = employees - on_leave
        # one call per working schedule for all its employees (each resource in its own time zone)
        intervals = {}
        for calendar, members in present.grouped("resource_calendar_id").items():
            tz = pytz.timezone(calendar.tz or "UTC")
            intervals.update(
                calendar._work_intervals_batch(tz.localize(start), tz.localize(stop), resources=members.resource_id)
            )
        full = self.env["hr.employee"]
        for employee in present:
            tz = pytz.timezone(employee.tz or employee.resource_calendar_id.tz or "UTC")
            days = {}
            for begin, end, __ in intervals[employee.resource_id.id]:
                day = begin.astimezone(tz).date()
                first, last = days.get(day, (begin, end))
                days[day] = (min(first, begin), max(last, end))
            presence = {}
            for attendance in attendances[employee]:
                check_in = pytz.utc.localize(attendance.check_in).astimezone(tz)
                check_out = attendance.check_out and pytz.utc.localize(attendance.check_out).astimezone(tz)
                first, last = presence.get(check_in.date(), (check_in, check_out))
                presence[check_in.date()] = (min(first, check_in), last and check_out and max(last, check_out))
            if days and all(
                day in presence
                and presence[day][1]
                and (presence[day][0] - begin).total_seconds() <= tolerance
                and (end - presence[day][1]).total_seconds() <= tolerance
                for day, (begin, end) in days.items()
            ):
                full |= employee
        return full

    # ------------------------------------------------------------------ SLA breaches
    @api.model
    def _sla_breaches(self, employees, month_start):
        """{employee: breached SLA targets of their tickets due in the month}."""
        month_end = date_utils.end_of(month_start, "month")
        users = employees.user_id
        if not users:
            return dict.fromkeys(employees, 0)
        self.env["cs.ticket.sla"].flush_model(["status", "ticket_id", "deadline"])
        self.env["cs.ticket"].flush_model(["user_id"])
        # one grouped query over the month's failed targets (a ticket's SLA lines are not grouped by its agent)
        groups = self.env.execute_query(
            SQL(
                """SELECT ticket.user_id, COUNT(*)
                     FROM cs_ticket_sla sla
                     JOIN cs_ticket ticket ON ticket.id = sla.ticket_id
                    WHERE sla.status = 'failed' AND ticket.user_id IN %(users)s
                      AND sla.deadline >= %(start)s AND sla.deadline <= %(stop)s
                 GROUP BY ticket.user_id""",
                users=tuple(users.ids),
                start=datetime.combine(month_start, time.min),
                stop=datetime.combine(month_end, time.max),
            )
        )
        counts = dict(groups)
        return {employee: counts.get(employee.user_id.id, 0) for employee in employees}

    # ------------------------------------------------------------------ monthly run
    @api.model
    def _draft_month(self, month_start, companies=None):
        """Drafts the month's attendance rewards and SLA penalties of every company's CS employees."""
        limit = get_int_param(self.env, SLA_BREACH_LIMIT_PARAM, DEFAULT_SLA_BREACH_LIMIT)
        Rule = self.env["cs.incentive.rule"]
        drafts = self.browse()
        for company in companies or self.env["res.company"].sudo().search([]):
            employees = self._cs_employees(company)
            rule = Rule._automatic("attendance", company)
            if rule and employees:
                drafts |= self._draft_monthly(
                    rule,
                    self._full_attendance(employees, month_start),
                    month_start,
                    self.env._("Full attendance in %(month)s", month=month_start.strftime("%Y-%m")),
                )
            rule = Rule._automatic("sla", company)
            if rule and employees:
                breaches = self._sla_breaches(employees, month_start)
                over = self.env["hr.employee"].browse(e.id for e, count in breaches.items() if count > limit)
                drafts |= self._draft_monthly(
                    rule,
                    over,
                    month_start,
                    self.env._(
                        "More than %(limit)s SLA breaches in %(month)s",
                        limit=limit,
                        month=month_start.strftime("%Y-%m"),
                    ),
                )
        return drafts

    @api.model
    def _cron_monthly_drafts(self):
        """First days of a month: drafts of the month before (a second run adds nothing)."""
        today = fields.Date.context_today(self)
        return self._draft_month(date_utils.start_of(today - date_utils.relativedelta(months=1), "month"))
