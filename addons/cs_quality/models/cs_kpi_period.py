from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import tz_name, utc_day_start
from odoo.tools import SQL, date_utils

from .cs_kpi_metrics import PERIOD_TYPES

PERIOD_BATCH = 20


class CsKpiPeriod(models.Model):
    """A day, week, month, quarter or year of a company whose KPI snapshots are (re)computed by the cron."""

    _name = "cs.kpi.period"
    _inherit = ["cs.batch.cron.mixin"]
    _description = "KPI Period"
    _order = "date_start desc, period_type"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    period_type = fields.Selection(PERIOD_TYPES, required=True)
    date_start = fields.Date(required=True)
    date_end = fields.Date(compute="_compute_date_end", store=True, help="Last day of the period.")
    state = fields.Selection([("todo", "To Compute"), ("done", "Computed")], default="todo", required=True, index=True)
    computed_date = fields.Datetime(string="Computed On", readonly=True)
    snapshot_ids = fields.One2many("cs.kpi.snapshot", "period_id", string="Snapshots")

    _sql_constraints = [
        ("period_uniq", "unique (company_id, period_type, date_start)", "This period already exists."),
    ]

    @api.depends("period_type", "date_start")
    def _compute_name(self):
        labels = dict(self._fields["period_type"]._description_selection(self.env))
        for period in self:
            period.name = f"{labels.get(period.period_type, '')} {period.date_start or ''}".strip()

    @api.depends("period_type", "date_start")
    def _compute_date_end(self):
        for period in self:
            period.date_end = period.date_start and date_utils.end_of(period.date_start, period.period_type)

    @api.model
    def _ensure(self, company, day, period_types=None):
        """Periods of ``company`` containing ``day``, created when missing and marked to compute."""
        periods = self._find_or_create(company, day, period_types)
        periods.state = "todo"
        return periods

    @api.model
    def _find_or_create(self, company, day, period_types=None):
        periods = self.browse()
        for period_type, _label in PERIOD_TYPES:
            if period_types and period_type not in period_types:
                continue
            start = date_utils.start_of(day, period_type)
            period = self.search(
                [("company_id", "=", company.id), ("period_type", "=", period_type), ("date_start", "=", start)]
            )
            periods |= period or self.create(
                {"company_id": company.id, "period_type": period_type, "date_start": start}
            )
        return periods

    @api.model
    def _cron_compute(self):
        """Close off yesterday's periods and compute today's, then work the queue off in batches.

        A period is queued at most once a day (when not computed yet today): the runs that work a long
        queue off call this again, and queueing the day's periods at each call never let it end (several
        companies' periods outnumber a batch).
        """
        today = fields.Date.context_today(self)
        start_of_today = utc_day_start(today, tz_name(self.env))
        for company in self.env["res.company"].search([]):
            # yesterday's periods are closed off; today's keep moving
            current = self._find_or_create(company, today - timedelta(days=1)) | self._find_or_create(company, today)
            current.filtered(lambda p: not p.computed_date or p.computed_date < start_of_today).state = "todo"
        return self._cs_run_batch(
            [("state", "=", "todo")],
            lambda periods: periods._compute_snapshots(),
            "cs_quality.ir_cron_kpi_snapshot",
            batch_size=PERIOD_BATCH,
        )

    def _utc_bounds(self):
        tz = tz_name(self.env)
        return utc_day_start(self.date_start, tz), utc_day_start(self.date_end + timedelta(days=1), tz)

    def _compute_snapshots(self):
        """Replace the snapshots of the periods: one SQL statement per period aggregates every agent and team."""
        Snapshot = self.env["cs.kpi.snapshot"]
        Snapshot.flush_model()
        models_read = ("cs.ticket", "cs.qa.review", "cs.qa.check", "cs.followup", "survey.user_input", "sale.order")
        for model in (*models_read, "cs.call", "discuss.channel", "mail.message", "rating.rating"):
            if model in self.env:
                self.env[model].flush_model()
        # The planner guesses tens of thousands of (agent, team) groups where there are hundreds and sorts every
        # ticket to group them (on disk from 100,000 tickets on), and past 100,000 tickets the cost it adds up has
        # PostgreSQL compile the query (JIT: seconds, for a query that runs in less). Hashing the groups is linear
        # and compiling never pays off here: sorting (but for the few small sorts left) and JIT are off for these
        # statements, then set back.
        self.env.cr.execute("SELECT current_setting('enable_sort'), current_setting('jit')")
        enable_sort, jit = self.env.cr.fetchone()
        self.env.cr.execute("SET LOCAL enable_sort = off; SET LOCAL jit = off")
        for period in self:
            self.env.cr.execute(SQL("DELETE FROM cs_kpi_snapshot WHERE period_id = %s", period.id))
            start, end = period._utc_bounds()
            self.env.cr.execute(Snapshot._aggregate_query(period, start, end))
        self.env.cr.execute(
            SQL("SELECT set_config('enable_sort', %s, true), set_config('jit', %s, true)", enable_sort, jit)
        )
        Snapshot.invalidate_model()
        self.write({"state": "done", "computed_date": fields.Datetime.now()})
        return len(self)

    def action_compute(self):
        self._compute_snapshots()
        return True
