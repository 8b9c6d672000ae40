import hashlib
import logging
from datetime import timedelta

import pytz
from odoo import api, models
from odoo.tools import SQL

from .cs_settings import tz_name, utc_day_start

_logger = logging.getLogger(__name__)

ROLLUP_TZ_PARAM = "cs_helpdesk.report_rollup_tz"
# aggregates a rollup answers, from per-group sums and counts of non-empty values
ROLLUP_FUNCTIONS = ("sum", "avg", "count")
# comparisons on the report's date that a day-grained rollup answers exactly when the value is a day boundary
DATE_OPERATORS = (">=", "<", "<=")


class CsReportMixin(models.AbstractModel):
    """Rollups: per-day pre-aggregates that answer a report's pivot and graph requests at a year of volume.

    A report opts in by declaring, besides its ``_query()``:

    * ``_rollup_date``: the Datetime column of its view the rollup buckets by day (in the company's time
      zone), or a Date column (its value is the day, in no time zone), and ``_rollup_sources``:
      ``{table: date column}`` of the base tables whose rows make the view's rows on that date (their
      changes mark the day dirty); the column may be an ``SQL`` expression over the row, and
      ``_rollup_source_filters``: ``{table: SQL condition}`` leaves out rows that never make a view row;
    * ``_rollup_measures``: the measures kept as sums and counts (so sum, avg and count are exact);
    * ``_rollups``: ``{key: (dimension, ...)}``, one rollup table per key. Several narrow rollups beat a wide
      one: a request is answered by the smallest rollup whose dimensions cover its group-bys, filters and
      record rules, and from the view's raw rows otherwise (a finer filter, a free-text search, another time
      zone), with the same numbers either way;
    * optionally ``_rollup_day_columns(alias)``: view columns that are a function of the day alone (an age
      computed from today), as SQL over the rollup row ``alias``; a measure derived that way gives its
      ``<measure>__sum`` and ``<measure>__cnt`` columns. They are computed when read, never stored.

    How it is kept current: statement-level PostgreSQL triggers on the source tables record the days a
    statement touched in a small "dirty days" table, and a cron recomputes those days from the view every few
    minutes. A read takes the clean days from the rollup and the dirty ones from the raw rows, in one query:
    it is exact (a reader sees its own and every committed change) and never writes. The trade-off against
    updating the rollup in ``create``/``write``: writers only append a row per statement (no contention on
    rollup rows; raw SQL and the ORM alike are seen), and a read pays for the raw rows of the days changed
    since the last refresh (today's, mostly). ``_rollup_rebuild()`` rebuilds everything from scratch.
    """

    _inherit = "cs.report.mixin"

    _rollup_date = None
    _rollup_sources = {}
    _rollup_source_filters = {}
    _rollup_measures = ()
    _rollups = {}

    # ------------------------------------------------------------------ table names and layout
    def _rollup_table(self, key):
        return f"{self._table}_rollup_{key}"

    def _rollup_dirty_table(self):
        return f"{self._table}_rollup_dirty"

    def _rollup_measure_columns(self, measure):
        return f"{measure}__sum", f"{measure}__cnt"

    def _rollup_day_columns(self, alias):
        """``{column: SQL over the rollup row alias}`` computed from the day when read (see the class doc)."""
        return {}

    def _rollup_is_measure(self, fname, derived):
        return fname in self._rollup_measures or all(col in derived for col in self._rollup_measure_columns(fname))

    def _rollup_by_date(self):
        return self._fields[self._rollup_date].type == "date"  # a Date is its own day, in no time zone

    def _rollup_day_sql(self, value, tz):
        """The rollup day of ``value`` (SQL of a date or UTC datetime)."""
        if self._rollup_by_date():
            return SQL("(%s)::date", value)
        return SQL("(timezone(%s, timezone('UTC', %s)))::date", tz, value)

    def _rollup_column_type(self, fname):
        types = {"many2one": "int4", "integer": "int8", "boolean": "bool", "float": "float8", "monetary": "numeric"}
        return types.get(self._fields[fname].type, "varchar")

    def _rollup_signature(self, key):
        """What the content of a rollup depends on: changing it (an upgrade) rebuilds the rollup."""
        parts = [
            key,
            repr(self._rollups[key]),
            repr(self._rollup_measures),
            "" if self._rollup_by_date() else self._rollup_tz(),
            self.env.cr.mogrify(self._query().code, self._query().params).decode(),
        ]
        return hashlib.sha1("\n".join(parts).encode()).hexdigest()

    @api.model
    def _rollup_tz(self):
        """The time zone the rollups' days are cut in (stored when their schema was last created)."""
        tz = self.env["ir.config_parameter"].sudo().get_param(ROLLUP_TZ_PARAM)
        return tz if tz in pytz.all_timezones_set else self._rollup_preferred_tz()

    @api.model
    def _rollup_preferred_tz(self):
        """The company's time zone, else the one most of the customer service staff work in, else UTC."""
        company_tz = self.env.company.partner_id.tz
        if company_tz in pytz.all_timezones_set:
            return company_tz
        self.env.cr.execute(
            """
            SELECT p.tz
              FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
             WHERE u.active AND NOT u.share AND p.tz IS NOT NULL
          GROUP BY p.tz
          ORDER BY count(*) DESC, p.tz
             LIMIT 1
            """
        )
        row = self.env.cr.fetchone()
        return row[0] if row and row[0] in pytz.all_timezones_set else tz_name(self.env)

    # ------------------------------------------------------------------ schema: tables and triggers
    def init(self):
        res = super().init()
        if self._rollups and not self._abstract:
            self._rollup_create_schema()
        return res

    def _rollup_create_schema(self, force=False):
        """Triggers and rollup tables; a table is rebuilt when its signature changed, or always with ``force``."""
        cr = self.env.cr
        for model in self._rollup_depends_models():
            self.env[model].flush_model()  # a rebuild reads the view: the ORM's pending writes first
        tz = self._rollup_preferred_tz()
        params = self.env["ir.config_parameter"].sudo()
        previous = params.get_param(ROLLUP_TZ_PARAM)
        params.set_param(ROLLUP_TZ_PARAM, tz)
        if previous and previous != tz:
            # every report reads its days in this one time zone: the other reports' triggers and rollups,
            # cut in the previous one (e.g. a report of an addon installed later), are recreated with it
            for report in self._rollup_reports():
                if report._name != self._name:
                    report._rollup_create_schema()
        dirty = self._rollup_dirty_table()
        create = "CREATE TABLE IF NOT EXISTS %s (id bigserial PRIMARY KEY, day date NOT NULL)"
        cr.execute(SQL(create, SQL.identifier(dirty)))
        for table, column in self._rollup_sources.items():
            function = SQL.identifier(f"{dirty}_{table}_mark"[:63])
            value = column if isinstance(column, SQL) else SQL.identifier(column)
            day = self._rollup_day_sql(value, tz)
            condition = SQL("%s IS NOT NULL", value)
            if table in self._rollup_source_filters:
                condition = SQL("%s AND (%s)", condition, self._rollup_source_filters[table])

            def mark(rows, day=day, condition=condition):
                insert = "INSERT INTO %s (day) SELECT DISTINCT %s FROM %s WHERE %s"
                return SQL(insert, SQL.identifier(dirty), day, SQL.identifier(rows), condition)

            # plpgsql plans a statement when it first runs it: the branch of the other event never needs its table
            cr.execute(
                SQL(
                    """
                    CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $body$
                    BEGIN
                        IF TG_OP <> 'DELETE' THEN %s; END IF;
                        IF TG_OP <> 'INSERT' THEN %s; END IF;
                        RETURN NULL;
                    END
                    $body$
                    """,
                    function,
                    mark("new_rows"),
                    mark("old_rows"),
                )
            )
            for event, refs in (
                ("INSERT", "NEW TABLE AS new_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
            ):
                trigger = SQL.identifier(f"{dirty}_{table}_{event.lower()}"[:63])
                cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", trigger, SQL.identifier(table)))
                cr.execute(
                    SQL(
                        f"CREATE TRIGGER %s AFTER {event} ON %s REFERENCING {refs} "
                        "FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                        trigger,
                        SQL.identifier(table),
                        function,
                    )
                )
        # rollups an upgrade no longer declares
        cr.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE %s AND NOT relname = ANY(%s)",
            [f"{self._table}\\_rollup\\_%", [dirty, *(self._rollup_table(key) for key in self._rollups)]],
        )
        for (table,) in cr.fetchall():
            cr.execute(SQL("DROP TABLE %s", SQL.identifier(table)))
        for key in self._rollups:
            self._rollup_create_table(key, force)

    def _rollup_create_table(self, key, force=False):
        cr = self.env.cr
        table = self._rollup_table(key)
        signature = self._rollup_signature(key)
        cr.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", [table])
        if cr.fetchone()[0] == signature and not force:
            return
        columns = [SQL("day date NOT NULL"), SQL("row_count int8 NOT NULL")]
        for dim in self._rollups[key]:
            columns.append(SQL("%s %s", SQL.identifier(dim), SQL(self._rollup_column_type(dim))))
        for measure in self._rollup_measures:
            total, count = self._rollup_measure_columns(measure)
            total_type = "float8" if self._fields[measure].type == "float" else "numeric"
            columns.append(SQL("%s %s", SQL.identifier(total), SQL(total_type)))
            columns.append(SQL("%s int8", SQL.identifier(count)))
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
        cr.execute(SQL("CREATE TABLE %s (%s)", SQL.identifier(table), SQL(", ").join(columns)))
        cr.execute(SQL("CREATE INDEX ON %s (day)", SQL.identifier(table)))
        cr.execute(SQL("COMMENT ON TABLE %s IS %s", SQL.identifier(table), signature))
        self._rollup_refresh_days(key, None)
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        _logger.info("%s: rollup %s built", self._name, table)

    # ------------------------------------------------------------------ keeping the rollups current
    def _rollup_aggregate(self, key, days=None):
        """``SELECT`` of rollup ``key``'s rows computed from the view, for ``days`` (all days when None)."""
        tz = self._rollup_tz()
        date = SQL.identifier("v", self._rollup_date)
        day = self._rollup_day_sql(date, tz)
        dims = [SQL.identifier("v", dim) for dim in self._rollups[key]]
        values = [SQL("count(*)")]
        for measure in self._rollup_measures:
            column = SQL.identifier("v", measure)
            values += [SQL("sum(%s)", column), SQL("count(%s)", column)]
        where = SQL("%s IS NOT NULL", date)
        if days is not None and self._rollup_by_date():
            where = SQL("%s = ANY(%s)", date, sorted(days))
        elif days is not None:
            # a range on the date lets the base table's index find the rows of those days
            start = utc_day_start(min(days), tz)
            end = utc_day_start(max(days) + timedelta(days=1), tz)
            where = SQL("%s >= %s AND %s < %s AND %s = ANY(%s)", date, start, date, end, day, sorted(days))
        return SQL(
            "SELECT %s FROM (%s) v WHERE %s GROUP BY %s",
            SQL(", ").join([day, *dims, *values]),
            self._query(),
            where,
            SQL(", ").join([day, *dims]),
        )

    def _rollup_columns(self, key):
        names = ["day", *self._rollups[key], "row_count"]
        for measure in self._rollup_measures:
            names += self._rollup_measure_columns(measure)
        return SQL(", ").join(SQL.identifier(name) for name in names)

    def _rollup_refresh_days(self, key, days):
        """Recompute rollup ``key`` for ``days`` (a list of dates) from the view; all days when None."""
        cr = self.env.cr
        table = SQL.identifier(self._rollup_table(key))
        if days is None:
            cr.execute(SQL("TRUNCATE %s", table))
        elif days:
            cr.execute(SQL("DELETE FROM %s WHERE day = ANY(%s)", table, sorted(days)))
        else:
            return
        cr.execute(SQL("INSERT INTO %s (%s) %s", table, self._rollup_columns(key), self._rollup_aggregate(key, days)))

    def _rollup_dirty_days(self):
        """The days changed since the rollups were last refreshed (as this transaction sees them)."""
        for model in self._rollup_depends_models():
            self.env[model].flush_model()
        self.env.cr.execute(SQL("SELECT DISTINCT day FROM %s", SQL.identifier(self._rollup_dirty_table())))
        return sorted(day for (day,) in self.env.cr.fetchall())

    def _rollup_sync(self):
        """Recompute the days marked dirty; False when another transaction is at it (it will do them)."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", self._rollup_dirty_table()))
        if not cr.fetchone()[0]:
            return False
        days = self._rollup_dirty_days()
        # only the marks this transaction sees: those committed meanwhile stay for the next sync
        cr.execute(SQL("DELETE FROM %s WHERE day = ANY(%s)", SQL.identifier(self._rollup_dirty_table()), days))
        for key in self._rollups:
            self._rollup_refresh_days(key, days)
        return True

    def _rollup_depends_models(self):
        return list(self._depends or {})

    @api.model
    def _cron_sync_rollups(self):
        """Refresh the dirty days; rebuild everything when the time zone the days are cut in has changed."""
        rebuild = self._rollup_preferred_tz() != self._rollup_tz()
        for report in self._rollup_reports():
            if rebuild:
                report._rollup_create_schema()
            else:
                report._rollup_sync()

    @api.model
    def _rollup_reports(self):
        names = self.env.registry.descendants(["cs.report.mixin"], "_inherit")
        return [self.env[name] for name in names if not self.env[name]._abstract and self.env[name]._rollups]

    def _rollup_drop_schema(self):
        """Drop this report's rollup tables, dirty days and triggers (when its addon is uninstalled)."""
        cr = self.env.cr
        dirty = self._rollup_dirty_table()
        for table in self._rollup_sources:
            for event in ("insert", "update", "delete"):
                trigger = f"{dirty}_{table}_{event}"[:63]
                cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(trigger), SQL.identifier(table)))
            cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(f"{dirty}_{table}_mark"[:63])))
        for key in self._rollups:
            cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(self._rollup_table(key))))
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(dirty)))

    @api.model
    def _rollup_rebuild(self):
        """Rebuild this report's rollups (every report's on the mixin) from scratch, triggers and tz included."""
        reports = [self] if self._rollups and not self._abstract else self._rollup_reports()
        for report in reports:
            # the dirty table is created with the schema: a rebuild covers every day it marks
            report._rollup_create_schema(force=True)
            self.env.cr.execute(SQL("TRUNCATE %s", SQL.identifier(report._rollup_dirty_table())))
        return True
