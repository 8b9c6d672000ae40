from datetime import datetime, timedelta

import pytz
from odoo import Command, api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_float_param, tz_name
from odoo.exceptions import UserError, ValidationError
from odoo.tools import date_utils

from .cs_shift import hour_to_time
from .kpi_snapshot import agent_snapshots

MEETING_HOUR_PARAM = "cs_training.weekly_meeting_hour"
DEFAULT_MEETING_HOUR = 14.5  # every Monday 14:30 (seeds N34)
MEETING_DURATION = 1.0
KPI_FIELDS = ["ticket_count", "qa_score_avg", "csat_avg", "sla_met_rate"]


class CsWorkReport(models.Model):
    """An agent's weekly report (周报) for the Monday meeting: last week's KPIs, goals, problems, improvements."""

    _name = "cs.work.report"
    _inherit = ["mail.thread"]
    _description = "Weekly Work Report"
    _order = "week_start desc, employee_id"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        check_company=True,
        default=lambda self: self.env.user.employee_id,
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index="btree_not_null", string="User")
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
    week_start = fields.Date(
        string="Week Of",
        required=True,
        default=lambda self: date_utils.start_of(fields.Date.context_today(self) - timedelta(days=7), "week"),
        help="Monday of the week reported on.",
    )
    state = fields.Selection([("draft", "Draft"), ("submitted", "Submitted")], default="draft", tracking=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    qa_score_avg = fields.Float(string="QA Average", readonly=True)
    csat_avg = fields.Float(string="Average Rating", readonly=True)
    sla_met_rate = fields.Float(string="SLA Met", readonly=True)
    goals = fields.Text(string="Goals Reached", help="Last week's goals and how far they were reached.")
    problems = fields.Text()
    improvements = fields.Text(help="What will be done better, and the goals of the coming week.")

    _sql_constraints = [
        ("employee_week_unique", "UNIQUE (employee_id, week_start)", "One weekly report per employee and week."),
    ]

    @api.constrains("week_start")
    def _check_monday(self):
        if any(report.week_start.weekday() for report in self):
            raise ValidationError(self.env._("A weekly report starts on a Monday."))

    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        reports._prefill_kpis()
        return reports

    def _prefill_kpis(self):
        """The agent's cs_quality KPI snapshot of the week (computed now when missing)."""
        for report in self.sudo():
            row = agent_snapshots(
                self.env, report.company_id, "week", report.week_start, report.user_id, KPI_FIELDS
            ).get(report.user_id.id, {})
            report.write({name: row.get(name) or 0 for name in KPI_FIELDS})

    def action_submit(self):
        if self.filtered(lambda r: not (r.goals or r.problems or r.improvements)):
            raise UserError(self.env._("Write the goals, problems or improvements of the week before submitting."))
        self.write({"state": "submitted"})
        return True

    @api.model
    def _schedule_weekly_meeting(self, company=None):
        """The department's recurring Monday meeting (N34) in the company's time zone, with every CS member."""
        company = company or self.env.company
        tz = pytz.timezone(tz_name(self.env))
        hour = get_float_param(self.env, MEETING_HOUR_PARAM, DEFAULT_MEETING_HOUR)
        today = fields.Date.context_today(self)
        monday = today + timedelta(days=(7 - today.weekday()) % 7)
        start = tz.localize(datetime.combine(monday, hour_to_time(hour))).astimezone(pytz.utc).replace(tzinfo=None)
        members = self.env["cs.ticket.team"].search([("company_id", "=", company.id)])
        partners = (members.member_ids | members.leader_id | self.env.user).partner_id
        return self.env["calendar.event"].create(
            {
                "name": self.env._("Weekly customer service meeting"),
                "description": self.env._("Each agent reports last week's goal completion, problems and improvements."),
                "start": start,
                "stop": start + timedelta(hours=MEETING_DURATION),
                "user_id": self.env.uid,
                "partner_ids": [Command.set(partners.ids)],
                "recurrency": True,
                "rrule_type": "weekly",
                "interval": 1,
                "mon": True,
                "end_type": "forever",
                "event_tz": tz.zone,
            }
        )

    @api.model
    def action_schedule_weekly_meeting(self):
        event = self._schedule_weekly_meeting()
        return {"type": "ir.actions.act_window", "res_model": "calendar.event", "res_id": event.id, "view_mode": "form"}
