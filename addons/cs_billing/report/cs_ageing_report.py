from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

AGEING_BUCKETS = [("0_30", "0–30 days"), ("31_60", "31–60 days"), ("61_90", "61–90 days"), ("90_plus", "Over 90 days")]

# the open items the report reads: a partial index on their due date finds the items of a few due days
DUE_INDEX = "account_move_line_cs_ageing_due_idx"
DUE_DATE = "COALESCE(date_maturity, date)"
OPEN_ITEMS = "parent_state = 'posted' AND NOT reconciled"


def age_columns(due):
    """What the report derives from a due date, aged on the day it is read (never stored)."""
    age = SQL("CURRENT_DATE - %s", due)
    return {
        "days_overdue": SQL("GREATEST(%s, 0)", age),
        "bucket": SQL(
            "CASE WHEN %s <= 30 THEN '0_30' WHEN %s <= 60 THEN '31_60' WHEN %s <= 90 THEN '61_90' ELSE '90_plus' END",
            age,
            age,
            age,
        ),
        "is_overdue": SQL("%s < CURRENT_DATE", due),
    }


def overdue(due, amount):
    return SQL("CASE WHEN %s < CURRENT_DATE THEN %s ELSE 0 END", due, amount)


class CsAgeingReport(models.Model):
    """Open receivable journal items by age past their due date (arrears summary and detail).

    Its pivot and graph read per-due-day rollups of the open amounts (cs_helpdesk's ``cs.report.mixin``):
    one by company and account, one by customer too. Statement triggers on the journal items mark the due
    days a change touches, reads take those days from the journal items until the rollup cron refreshes
    them, and the age columns are computed from the due day when read, so the figures never go stale.
    Changes the triggers do not see (an account's type, a contact moved to another company) need
    ``_rollup_rebuild()`` (server action "Rebuild receivable ageing figures").
    """

    _name = "cs.ageing.report"
    _inherit = "cs.report.mixin"
    _description = "Receivable Ageing"
    _auto = False
    _order = "date_maturity"
    _depends = {
        "account.move.line": [
            "move_id",
            "company_id",
            "partner_id",
            "account_id",
            "date",
            "date_maturity",
            "parent_state",
            "reconciled",
            "amount_residual",
            "company_currency_id",
        ],
        "account.account": ["account_type"],
        "res.partner": ["commercial_partner_id"],
    }
    _rollup_date = "date_maturity"
    _rollup_sources = {"account_move_line": SQL(DUE_DATE)}
    _rollup_source_filters = {
        "account_move_line": SQL(
            "parent_state = 'posted' AND account_id IN "
            "(SELECT id FROM account_account WHERE account_type = 'asset_receivable')"
        )
    }
    _rollup_measures = ("amount_residual",)
    _rollups = {
        "company": ("company_id", "currency_id", "account_id"),
        "partner": ("company_id", "currency_id", "account_id", "partner_id"),
    }

    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    date = fields.Date(string="Invoice Date", readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(AGEING_BUCKETS, string="Age", readonly=True)
    is_overdue = fields.Boolean(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_residual = fields.Monetary(string="Open Amount", readonly=True, aggregator="sum")
    overdue_amount = fields.Monetary(readonly=True, aggregator="sum")

    def init(self):
        create_index(self.env.cr, DUE_INDEX, "account_move_line", [DUE_DATE], where=OPEN_ITEMS)
        return super().init()

    def _query(self):
        # CURRENT_DATE: the view ages items on the day it is read, like the ageing reports of accounting
        due = SQL("COALESCE(l.date_maturity, l.date)")
        ages = [SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in age_columns(due).items()]
        return SQL(
            """
            SELECT l.id, l.id AS move_line_id, l.move_id, l.company_id,
                   COALESCE(p.commercial_partner_id, l.partner_id) AS partner_id, l.account_id, l.date,
                   %(due)s AS date_maturity, %(ages)s,
                   l.company_currency_id AS currency_id,
                   l.amount_residual,
                   %(overdue)s AS overdue_amount
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
              LEFT JOIN res_partner p ON p.id = l.partner_id
             WHERE l.parent_state = 'posted'
               AND NOT l.reconciled
               AND l.amount_residual != 0
            """,
            due=due,
            ages=SQL(", ").join(ages),
            overdue=overdue(due, SQL("l.amount_residual")),
        )

    def _rollup_day_columns(self, alias):
        day = SQL.identifier(alias, "day")
        total, count = self._rollup_measure_columns("amount_residual")
        overdue_total, overdue_count = self._rollup_measure_columns("overdue_amount")
        return {
            **age_columns(day),
            overdue_total: overdue(day, SQL.identifier(alias, total)),
            overdue_count: SQL.identifier(alias, count),  # overdue_amount is 0, never empty, when not due
        }
