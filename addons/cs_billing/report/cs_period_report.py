from odoo import fields, models
from odoo.tools import SQL

PERIOD_SOURCES = [("fee", "Service Fees"), ("collection", "Collection"), ("refund", "Refunds and Compensations")]


class CsPeriodReport(models.Model):
    """Same-period comparison (同期对比, seeds §4.10): fees invoiced and customer receipts of a period
    beside the same period of the year before, and refunds approved, issued and paid.

    Every amount appears twice: on its own date (this period) and one year later (the "same period
    last year" measure of that later date), so a pivot by month, quarter or year shows both
    columns side by side for any filter.
    """

    _name = "cs.period.report"
    _inherit = "cs.report.mixin"
    _description = "Same-period Comparison"
    _auto = False
    _order = "date desc"
    _depends = {
        "cs.fee": ["date", "company_id", "partner_id", "state", "price_total"],
        "account.payment": [
            "date",
            "company_id",
            "partner_id",
            "payment_type",
            "partner_type",
            "state",
            "amount_company_currency_signed",
        ],
        "cs.billing.adjustment": ["approved_date", "company_id", "partner_id", "adjustment_type", "state", "amount"],
        "account.move": ["state", "payment_state"],
    }

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    source = fields.Selection(PERIOD_SOURCES, readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    fee_amount = fields.Monetary(string="Fees Invoiced", readonly=True, aggregator="sum")
    fee_amount_last_year = fields.Monetary(string="Fees Invoiced, Last Year", readonly=True, aggregator="sum")
    collected = fields.Monetary(readonly=True, aggregator="sum")
    collected_last_year = fields.Monetary(string="Collected, Last Year", readonly=True, aggregator="sum")
    refund_approved = fields.Monetary(string="Refunds Approved", readonly=True, aggregator="sum")
    refund_issued = fields.Monetary(string="Refunds Issued", readonly=True, aggregator="sum")
    refund_paid = fields.Monetary(string="Refunds Paid", readonly=True, aggregator="sum")

    def _query(self):
        # refunds are dated by their approval; "paid" is a credit note settled (paid, reversed or
        # reconciled with the invoice it reduces)
        return SQL(
            """
            WITH rows AS (
                SELECT f.date, f.company_id, f.partner_id, 'fee' AS source,
                       f.price_total AS fee_amount, 0.0 AS fee_amount_last_year, 0.0 AS collected,
                       0.0 AS collected_last_year, 0.0 AS refund_approved, 0.0 AS refund_issued, 0.0 AS refund_paid
                  FROM cs_fee f WHERE f.state IN ('invoiced', 'paid')
                UNION ALL
                SELECT (f.date + interval '1 year')::date, f.company_id, f.partner_id, 'fee',
                       0.0, f.price_total, 0.0, 0.0, 0.0, 0.0, 0.0
                  FROM cs_fee f WHERE f.state IN ('invoiced', 'paid')
                UNION ALL
                SELECT p.date, p.company_id, p.partner_id, 'collection',
                       0.0, 0.0, p.amount_company_currency_signed, 0.0, 0.0, 0.0, 0.0
                  FROM account_payment p
                 WHERE p.payment_type = 'inbound' AND p.partner_type = 'customer' AND p.state IN ('in_process', 'paid')
                UNION ALL
                SELECT (p.date + interval '1 year')::date, p.company_id, p.partner_id, 'collection',
                       0.0, 0.0, 0.0, p.amount_company_currency_signed, 0.0, 0.0, 0.0
                  FROM account_payment p
                 WHERE p.payment_type = 'inbound' AND p.partner_type = 'customer' AND p.state IN ('in_process', 'paid')
                UNION ALL
                SELECT a.approved_date::date, a.company_id, a.partner_id, 'refund', 0.0, 0.0, 0.0, 0.0,
                       a.amount,
                       CASE WHEN a.state = 'executed' AND m.state = 'posted' THEN a.amount ELSE 0.0 END,
                       CASE WHEN a.state = 'executed' AND m.state = 'posted'
                             AND m.payment_state IN ('paid', 'in_payment', 'reversed') THEN a.amount ELSE 0.0 END
                  FROM cs_billing_adjustment a
                  LEFT JOIN account_move m ON m.id = a.move_id
                 WHERE a.state IN ('approved', 'executed')
                   AND a.adjustment_type IN ('waiver', 'compensation', 'service_refund')
            )
            SELECT row_number() OVER (ORDER BY r.date, r.source, r.partner_id) AS id, r.date, r.company_id,
                   r.partner_id, r.source, c.currency_id, r.fee_amount, r.fee_amount_last_year, r.collected,
                   r.collected_last_year, r.refund_approved, r.refund_issued, r.refund_paid
              FROM rows r
              JOIN res_company c ON c.id = r.company_id
            """
        )
