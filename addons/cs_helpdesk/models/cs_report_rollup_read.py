from datetime import time

import pytz
from odoo import fields, models
from odoo.osv import expression
from odoo.tools import SQL

from .cs_report_rollup import DATE_OPERATORS, ROLLUP_FUNCTIONS


class CsReportMixin(models.AbstractModel):
    """Answering pivot and graph requests from the rollups kept by ``cs_report_rollup`` (see its class doc)."""

    _inherit = "cs.report.mixin"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ answering from a rollup
    def _rollup_choose(self, domain, groupby, aggregates):
        """The key of the smallest rollup that answers this request exactly, or None."""
        if not self._rollups or self.env.context.get("cs_rollup_off"):
            return None
        tz = self._rollup_tz()
        by_date = self._rollup_by_date()
        derived = self._rollup_day_columns("r")
        uses_date = False
        needed = set()
        for spec in groupby:
            fname = spec.split(":")[0].split(".")[0]
            if fname == self._rollup_date and (":" in spec or by_date):
                uses_date = True
            elif fname not in derived:
                needed.add(fname)
        for spec in aggregates:
            if spec == "__count":
                continue
            fname, _sep, func = spec.partition(":")
            if func in ("max", "min") and fname not in self._rollup_measures:
                # a value that is the same for every raw row of a rollup row has the same extremes
                if fname == self._rollup_date and not by_date:
                    return None
                if fname != self._rollup_date and fname not in derived:
                    needed.add(fname)
            elif func not in ROLLUP_FUNCTIONS or not self._rollup_is_measure(fname, derived):
                return None
        rules = self.env["ir.rule"]._compute_domain(self._name, "read")
        for leaf in expression.normalize_domain(domain or []) + expression.normalize_domain(rules or []):
            if not expression.is_leaf(leaf) or leaf in (expression.TRUE_LEAF, expression.FALSE_LEAF):
                continue
            fname = leaf[0].split(".")[0] if isinstance(leaf[0], str) else None
            if fname == self._rollup_date:
                # a Date rollup keeps the view's own values: every comparison on them is exact
                if not by_date and not self._rollup_date_leaf_exact(leaf, tz):
                    return None
                uses_date = True
            elif fname not in derived:
                needed.add(fname)
        if uses_date and not by_date and self.env.context.get("tz") != tz:
            return None
        candidates = [key for key, dims in self._rollups.items() if needed <= set(dims)]
        if not candidates:
            return None
        sizes = self._rollup_sizes()
        return min(candidates, key=lambda key: (sizes.get(self._rollup_table(key), 0), len(self._rollups[key])))

    def _rollup_sizes(self):
        """Rows of each rollup table as the planner estimates them (kept current by autovacuum's analyze)."""
        tables = [self._rollup_table(key) for key in self._rollups]
        self.env.cr.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [tables])
        return dict(self.env.cr.fetchall())

    def _rollup_date_leaf_exact(self, leaf, tz):
        """A filter on the date is exact on days when it cuts at a day boundary of the rollup's time zone."""
        _fname, operator, value = leaf
        if operator not in DATE_OPERATORS or not value:
            return False
        try:
            instant = fields.Datetime.to_datetime(value)
        except ValueError:
            return False
        local = pytz.utc.localize(instant).astimezone(pytz.timezone(tz))
        if operator == "<=":
            # the web client's "until the end of the day": 23:59:59 (its last second belongs to the day)
            return (local.hour, local.minute, local.second) == (23, 59, 59)
        return local.time() == time.min

    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        key = self._rollup_choose(domain, groupby, aggregates)
        if key:
            self = self.with_context(cs_rollup=key, cs_rollup_dirty=tuple(self._rollup_dirty_days()))
        return super()._read_group(
            domain, groupby=groupby, aggregates=aggregates, having=having, offset=offset, limit=limit, order=order
        )

    @property
    def _table_sql(self):
        """In rollup mode: the rollup's clean days, and the days changed since its refresh from the raw rows.

        Reading never writes (a read-only cursor or a replica serves it too), and it is exact: what a
        writer has not committed is neither in the raw rows nor marked dirty for this transaction.
        """
        key = self.env.context.get("cs_rollup")
        if not key or key not in self._rollups:
            return super()._table_sql
        dirty = list(self.env.context.get("cs_rollup_dirty") or ())
        rows = SQL(
            "SELECT %s FROM %s WHERE day <> ALL(%s)",
            self._rollup_columns(key),
            SQL.identifier(self._rollup_table(key)),
            dirty,
        )
        if dirty:
            rows = SQL("%s UNION ALL %s", rows, self._rollup_aggregate(key, dirty))
        date = SQL("r.day")
        if not self._rollup_by_date():
            date = SQL("timezone('UTC', timezone(%s, r.day::timestamp))", self._rollup_tz())
        columns = [SQL("%s AS %s", date, SQL.identifier(self._rollup_date))]
        columns += [SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in self._rollup_day_columns("r").items()]
        return SQL("(SELECT r.*, %s FROM (%s) r)", SQL(", ").join(columns), rows)

    def _read_group_select(self, aggregate_spec, query):
        if not self.env.context.get("cs_rollup"):
            return super()._read_group_select(aggregate_spec, query)
        if aggregate_spec == "__count":
            return SQL("COALESCE(SUM(%s), 0)::int8", SQL.identifier(self._table, "row_count"))
        fname, _sep, func = aggregate_spec.partition(":")
        if func not in ROLLUP_FUNCTIONS or not self._rollup_is_measure(fname, self._rollup_day_columns("r")):
            return super()._read_group_select(aggregate_spec, query)  # max/min of a dimension
        total, count = (SQL.identifier(self._table, name) for name in self._rollup_measure_columns(fname))
        integer = self._fields[fname].type == "integer"
        if func == "sum":
            return SQL("SUM(%s)::int8", total) if integer else SQL("SUM(%s)", total)
        if func == "count":
            return SQL("COALESCE(SUM(%s), 0)::int8", count)
        return SQL("SUM(%s)::float8 / NULLIF(SUM(%s), 0)", total, count)
