from odoo import fields, models
from odoo.tools import SQL

from ..models.cs_fee import FEE_STATES


class CsFeeReport(models.Model):
    """Service fees charged, invoiced, paid and waived (fees invoiced vs paid)."""

    _name = "cs.fee.report"
    _inherit = "cs.report.mixin"
    _description = "Service Fee Analysis"
    _auto = False
    _order = "date desc"
    _depends = {
        "cs.fee": [
            "date",
            "company_id",
            "partner_id",
            "ticket_id",
            "user_id",
            "product_id",
            "rule_id",
            "invoice_id",
            "state",
            "price_total",
        ],
    }

    fee_id = fields.Many2one("cs.fee", string="Fee", readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    ticket_id = fields.Many2one("cs.ticket", string="Ticket", readonly=True)
    user_id = fields.Many2one("res.users", string="Raised By", readonly=True)
    product_id = fields.Many2one("product.product", string="Service Product", readonly=True)
    rule_id = fields.Many2one("cs.fee.rule", string="Fee Standard", readonly=True)
    invoice_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    state = fields.Selection(FEE_STATES, string="Status", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    fee_count = fields.Integer(string="Fees", readonly=True, aggregator="sum")
    amount_total = fields.Monetary(string="Charged", readonly=True, aggregator="sum")
    amount_invoiced = fields.Monetary(string="Invoiced", readonly=True, aggregator="sum")
    amount_paid = fields.Monetary(string="Paid", readonly=True, aggregator="sum")
    amount_waived = fields.Monetary(string="Waived", readonly=True, aggregator="sum")

    def _query(self):
        return SQL(
            """
            SELECT f.id, f.id AS fee_id, f.date, f.company_id, f.partner_id, f.ticket_id, f.user_id,
                   f.product_id, f.rule_id, f.invoice_id, f.state, c.currency_id,
                   1 AS fee_count,
                   CASE WHEN f.state != 'cancelled' THEN f.price_total ELSE 0 END AS amount_total,
                   CASE WHEN f.state IN ('invoiced', 'paid') THEN f.price_total ELSE 0 END AS amount_invoiced,
                   CASE WHEN f.state = 'paid' THEN f.price_total ELSE 0 END AS amount_paid,
                   CASE WHEN f.state = 'waived' THEN f.price_total ELSE 0 END AS amount_waived
              FROM cs_fee f
              JOIN res_company c ON c.id = f.company_id
            """
        )
