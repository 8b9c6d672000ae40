from odoo import models, tools
from odoo.tools import SQL


def rate_sql(condition, applicable=None):
    """A rate as a 1/0/NULL column: averaged by the pivot, NULL rows (not applicable) stay out of the rate.

    ``condition`` and ``applicable`` are ``SQL`` boolean expressions; without ``applicable`` every row counts.
    """
    value = SQL("CASE WHEN %s THEN 1.0 ELSE 0.0 END", condition)
    if applicable is None:
        return SQL("(%s)::float8", value)
    return SQL("(CASE WHEN %s THEN %s END)::float8", applicable, value)


class CsReportMixin(models.AbstractModel):
    """Base of the suite's pivot/graph reports: a read-only model over the SQL view of ``_query()``.

    A report declares ``_auto = False``, its fields (measures with an ``aggregator``) and ``_query()``,
    which returns the ``SELECT`` (with an ``id`` column) as ``odoo.tools.SQL``; ``init()`` (re)creates the
    view when the module is installed or updated. Rates are 1/0/NULL columns from ``rate_sql`` with
    ``aggregator="avg"``, so every grouping of the pivot computes them right.
    """

    _name = "cs.report.mixin"
    _description = "Customer Service Report Base"

    def _query(self):
        raise NotImplementedError(f"{self._name} must define _query()")

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
