from odoo import fields, models
from odoo.tools import SQL

AGEING_BUCKETS = [("0_30", "0–30 days"), ("31_60", "31–60 days"), ("61_90", "61–90 days"), ("90_plus", "Over 90 days")]


class CsAgeingReport(models.Model):
    """Open receivable journal items by age past their due date (arrears summary and detail)."""

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

    def _query(self):
        # CURRENT_DATE: the view ages items on the day it is read, like the ageing reports of accounting
        return SQL(
            """
            SELECT l.id, l.id AS move_line_id, l.move_id, l.company_id,
                   COALESCE(p.commercial_partner_id, l.partner_id) AS partner_id, l.account_id, l.date,
                   COALESCE(l.date_maturity, l.date) AS date_maturity,
                   GREATEST(CURRENT_DATE - COALESCE(l.date_maturity, l.date), 0) AS days_overdue,
                   CASE WHEN CURRENT_DATE - COALESCE(l.date_maturity, l.date) <= 30 THEN '0_30'
                        WHEN CURRENT_DATE - COALESCE(l.date_maturity, l.date) <= 60 THEN '31_60'
                        WHEN CURRENT_DATE - COALESCE(l.date_maturity, l.date) <= 90 THEN '61_90'
                        ELSE '90_plus' END AS bucket,
                   COALESCE(l.date_maturity, l.date) < CURRENT_DATE AS is_overdue,
                   l.company_currency_id AS currency_id,
                   l.amount_residual,
                   CASE WHEN COALESCE(l.date_maturity, l.date) < CURRENT_DATE
                        THEN l.amount_residual ELSE 0 END AS overdue_amount
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id AND a.account_type = 'asset_receivable'
              LEFT JOIN res_partner p ON p.id = l.partner_id
             WHERE l.parent_state = 'posted'
               AND NOT l.reconciled
               AND l.amount_residual != 0
            """
        )
