import pytz
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.cs_report_mixin import rate_sql
from ..models.cs_selections import PRIORITIES
from ..models.cs_settings import tz_name

DATE_GRANULARITIES = ("day", "week", "month", "quarter", "year")
STATISTICS_PREFIX = "cs_ticket_report_date_"


class CsTicketReport(models.Model):
    """Ticket analysis: one row per active ticket, measures ready for pivot and graph.

    The view reads ``cs_ticket`` alone: stage flags, durations and the SLA summary
    are stored on the ticket, so Postgres aggregates the table directly (no join,
    no per-row subquery) and the ticket's own indexes serve the filters.
    """

    _name = "cs.ticket.report"
    _description = "Ticket Analysis"
    _inherit = "cs.report.mixin"
    _auto = False
    _rec_name = "number"
    _order = "create_date desc"
    # pre-aggregates by day (see cs.report.mixin), one per family of views: a rollup of every dimension at
    # once would hold about one row per ticket at 10,000 tickets a day and save nothing over the raw rows
    _rollup_date = "create_date"
    _rollup_sources = {"cs_ticket": "create_date"}
    _rollup_measures = ("nbr", "first_response_hours", "resolution_hours", "sla_met", "fcr", "reopen_count")
    _rollups = {
        "team": ("company_id", "team_id", "channel_id", "type_id"),
        "status": ("company_id", "team_id", "priority", "sla_status", "stage_id", "is_resolved", "is_closed"),
        "agent": ("company_id", "team_id", "user_id"),
        "category": ("company_id", "team_id", "category_id"),
    }
    _depends = {
        "cs.ticket": [
            "active",
            "number",
            "name",
            "create_date",
            "team_id",
            "user_id",
            "channel_id",
            "type_id",
            "category_id",
            "tag_ids",
            "priority",
            "stage_id",
            "partner_id",
            "company_id",
            "is_closed",
            "is_resolved",
            "sla_status",
            "first_response_date",
            "first_response_hours",
            "resolved_date",
            "resolution_hours",
            "reopen_count",
        ],
    }

    ticket_id = fields.Many2one("cs.ticket", string="Ticket", readonly=True)
    number = fields.Char(string="Ticket Number", readonly=True)
    name = fields.Char(string="Subject", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned To", readonly=True)
    # not in the SQL view: the report reads cs_ticket alone (see the class docstring)
    agent_number = fields.Char(related="user_id.cs_agent_number", string="Agent Number")
    channel_id = fields.Many2one("cs.ticket.channel", string="Channel", readonly=True)
    type_id = fields.Many2one("cs.ticket.type", string="Type", readonly=True)
    category_id = fields.Many2one("cs.ticket.category", string="Category", readonly=True)
    tag_ids = fields.Many2many(
        "cs.ticket.tag",
        relation="cs_ticket_cs_ticket_tag_rel",
        column1="cs_ticket_id",
        column2="cs_ticket_tag_id",
        string="Tags",
        readonly=True,
    )
    priority = fields.Selection(PRIORITIES, readonly=True)
    stage_id = fields.Many2one("cs.ticket.stage", string="Stage", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    is_resolved = fields.Boolean(string="Resolved", readonly=True)
    sla_status = fields.Selection(
        [("none", "No SLA"), ("running", "On Track"), ("failed", "Failed"), ("met", "Met")],
        string="SLA Status",
        readonly=True,
    )
    nbr = fields.Integer(string="# Tickets", readonly=True, aggregator="sum")
    first_response_hours = fields.Float(
        string="First Response (h)",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="Average elapsed hours to the first reply, over the tickets that got one.",
    )
    resolution_hours = fields.Float(
        string="Resolution (h)",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="Average elapsed hours to resolution, over the resolved tickets.",
    )
    sla_met = fields.Float(
        string="SLA Met",
        readonly=True,
        aggregator="avg",
        help="Share of tickets whose SLA was met: 1 when met, 0 when failed, empty when the ticket has no SLA "
        "or its targets are still running, so the average is the SLA met rate.",
    )
    fcr = fields.Float(
        string="First Contact Resolution",
        readonly=True,
        aggregator="avg",
        help="Share of resolved tickets that were never reopened: 1 or 0 on resolved tickets, empty otherwise.",
    )
    reopen_count = fields.Integer(string="Reopened", readonly=True, aggregator="sum")

    def _select(self):
        return SQL(
            """
            t.id AS id,
            t.id AS ticket_id,
            t.number,
            t.name,
            t.create_date,
            t.team_id,
            t.user_id,
            t.channel_id,
            t.type_id,
            t.category_id,
            t.priority,
            t.stage_id,
            t.partner_id,
            t.company_id,
            COALESCE(t.is_closed, FALSE) AS is_closed,
            COALESCE(t.is_resolved, FALSE) AS is_resolved,
            COALESCE(t.sla_status, 'none') AS sla_status,
            1 AS nbr,
            CASE WHEN t.first_response_date IS NOT NULL THEN t.first_response_hours END AS first_response_hours,
            CASE WHEN t.resolved_date IS NOT NULL THEN t.resolution_hours END AS resolution_hours,
            %(sla_met)s AS sla_met,
            %(fcr)s AS fcr,
            COALESCE(t.reopen_count, 0) AS reopen_count
            """,
            sla_met=rate_sql(SQL("t.sla_status = 'met'"), SQL("t.sla_status IN ('met', 'failed')")),
            fcr=rate_sql(SQL("COALESCE(t.reopen_count, 0) = 0"), SQL("t.is_resolved")),
        )

    def _from(self):
        return SQL("cs_ticket t")

    def _where(self):
        return SQL("t.active")

    def _query(self):
        return SQL("SELECT %s FROM %s WHERE %s", self._select(), self._from(), self._where())

    def init(self):
        # the dimensions are indexed by their fields on cs_ticket; the creation
        # date (date filters, day/week/month buckets) is not a declared field there
        tools.create_index(self.env.cr, tools.make_index_name("cs_ticket", "create_date"), "cs_ticket", ["create_date"])
        # the managers' default pivot (team x month) reads only these two columns: a covering index
        # lets PostgreSQL answer it from the index instead of scanning the wide ticket rows
        tools.create_index(
            self.env.cr,
            tools.make_index_name("cs_ticket", "report_team_create_date"),
            "cs_ticket",
            ["team_id", "create_date"],
            where="active",
        )
        res = super().init()
        self._create_date_statistics()
        return res

    def _date_statistics_timezones(self):
        """Time zones the date buckets are computed in: the company's and the most common of the users'."""
        self.env.cr.execute(
            """
            SELECT p.tz
              FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
             WHERE u.active AND NOT u.share AND p.tz IS NOT NULL
          GROUP BY p.tz
          ORDER BY count(*) DESC
             LIMIT 3
            """
        )
        timezones = [tz_name(self.env)] + [tz for (tz,) in self.env.cr.fetchall()]
        return [tz for tz in dict.fromkeys(timezones) if tz in pytz.all_timezones_set]

    def _create_date_statistics(self):
        """Planner statistics on the creation-date buckets the pivot and graph group by.

        Postgres estimates ``date_trunc('month', create_date)`` to have as many values as
        ``create_date`` itself (one per ticket), so it sorts the whole table, spilling to
        disk, instead of hashing a hundred groups: 2 s instead of 0.7 s on a million
        tickets. Extended statistics on the exact expressions the ORM generates (they
        depend on the user's time zone and the language's first day of the week) give
        the planner the real number of buckets.
        """
        cr = self.env.cr
        cr.execute("SELECT stxname FROM pg_statistic_ext WHERE stxname LIKE %s", [STATISTICS_PREFIX + "%"])
        for (name,) in cr.fetchall():
            cr.execute(SQL("DROP STATISTICS IF EXISTS %s", SQL.identifier(name)))
        languages = self.env["res.lang"].search([("active", "=", True)]).mapped("code") or ["en_US"]
        column = SQL.identifier(self._table, "create_date").code
        expressions = {}
        for tz in self._date_statistics_timezones():
            for lang in languages:
                report = self.with_context(tz=tz, lang=lang)
                query = report._search([])
                for granularity in DATE_GRANULARITIES:
                    expression = report._read_group_groupby(f"create_date:{granularity}", query)
                    code = expression.code.replace(column, '"create_date"')
                    expressions.setdefault(cr.mogrify(code, expression.params).decode(), SQL(code, *expression.params))
        for index, expression in enumerate(expressions.values()):
            cr.execute(
                SQL(
                    "CREATE STATISTICS %s ON (%s) FROM cs_ticket",
                    SQL.identifier(f"{STATISTICS_PREFIX}{index}"),
                    expression,
                )
            )
        cr.execute("ANALYZE cs_ticket")
