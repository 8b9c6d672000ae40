from odoo import fields, models
from odoo.tools import SQL


class CsCollectionReport(models.Model):
    """Day-end collection (日结回款): customer receipts per day, journal and collector."""

    _name = "cs.collection.report"
    _inherit = "cs.report.mixin"
    _description = "Day-end Collection"
    _auto = False
    _order = "date desc"
    _depends = {
        "account.payment": [
            "date",
            "company_id",
            "journal_id",
            "partner_id",
            "create_uid",
            "payment_type",
            "partner_type",
            "state",
            "amount_company_currency_signed",
        ],
    }

    payment_id = fields.Many2one("account.payment", string="Payment", readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    collector_id = fields.Many2one("res.users", string="Collector", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    payment_count = fields.Integer(string="Receipts", readonly=True, aggregator="sum")
    amount = fields.Monetary(string="Collected", readonly=True, aggregator="sum")

    def _query(self):
        return SQL(
            """
            SELECT pay.id, pay.id AS payment_id, pay.date, pay.company_id, pay.journal_id, pay.partner_id,
                   pay.create_uid AS collector_id, c.currency_id, 1 AS payment_count,
                   pay.amount_company_currency_signed AS amount
              FROM account_payment pay
              JOIN res_company c ON c.id = pay.company_id
             WHERE pay.payment_type = 'inbound'
               AND pay.partner_type = 'customer'
               AND pay.state IN ('in_process', 'paid')
            """
        )
