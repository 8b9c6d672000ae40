from odoo import models, tools
from odoo.tools import SQL


class CsBillingReportView(models.AbstractModel):
    """(Re)creates the SQL view of a billing report from its ``_query()``.

    Stand-in for cs_helpdesk's shared ``cs.report.mixin`` until the kit lands on main; the
    reports switch to it then and this file goes away.
    """

    _name = "cs.billing.report.view"
    _description = "Billing Report View"

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
