from odoo import fields, models
from odoo.addons.cs_helpdesk.models.cs_report_mixin import rate_sql
from odoo.tools import SQL

from .cs_aftersales_reason import REASON_TYPES
from .repair_order import SERVICE_TYPES
from .rma_inspection import INSPECTION_RESULTS
from .rma_operation import KINDS

REPORT_KINDS = KINDS + [kind for kind in SERVICE_TYPES if kind[0] not in dict(KINDS)]
REPORT_STATES = [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")]
# OCA rma states that end a request
RMA_DONE_STATES = ("refunded", "returned", "replaced", "finished", "locked")


def _hours(end, start):
    return SQL("EXTRACT(EPOCH FROM (%s - %s)) / 3600.0", end, start)


class CsAftersalesReport(models.Model):
    """After-sales analysis: one row per after-sales request (OCA RMA) or repair/installation order.

    Counts, lead time of each step, refunds and fees, warranty share, by product, category, team and month.
    No customer column: data analysts read it without contact data.
    """

    _name = "cs.aftersales.report"
    _inherit = "cs.report.mixin"
    _description = "After-sales Analysis"
    _auto = False
    _order = "date desc"
    _depends = {
        "rma": [
            "date",
            "state",
            "kind",
            "product_id",
            "company_id",
            "ticket_id",
            "reception_move_id",
            "refund_line_id",
        ],
        "repair.order": [
            "create_date",
            "state",
            "cs_service_type",
            "product_id",
            "company_id",
            "cs_ticket_id",
            "cs_contact_date",
            "cs_dispatch_date",
            "cs_done_date",
            "under_warranty",
        ],
        "cs.fee": ["res_model", "res_id", "price_subtotal", "state"],
        "cs.ticket": ["team_id", "first_response_date"],
    }

    source = fields.Selection([("rma", "After-sales Request"), ("repair", "Repair Order")], readonly=True)
    kind = fields.Selection(REPORT_KINDS, readonly=True)
    state = fields.Selection(REPORT_STATES, string="Status", readonly=True)
    date = fields.Datetime(string="Request Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Team", readonly=True)
    reason_type = fields.Selection(REASON_TYPES, readonly=True)
    reason_id = fields.Many2one("cs.aftersales.reason", string="Reason Code", readonly=True)
    inspection_result = fields.Selection(INSPECTION_RESULTS, readonly=True)
    nbr = fields.Integer(string="Count", readonly=True, aggregator="sum")
    reply_hours = fields.Float(
        string="Hours to First Reply", readonly=True, aggregator="avg", help="From the ticket to the first reply."
    )
    receipt_hours = fields.Float(
        string="Hours to Receipt", readonly=True, aggregator="avg", help="From the request to the goods received."
    )
    inspection_hours = fields.Float(
        string="Hours Receipt to Inspection",
        readonly=True,
        aggregator="avg",
        help="From the receipt to the inspection.",
    )
    inspection_pass_rate = fields.Float(
        string="Inspection Pass Rate (%)", readonly=True, aggregator="avg", help="Share of inspected goods that passed."
    )
    refund_hours = fields.Float(
        string="Hours Receipt to Refund", readonly=True, aggregator="avg", help="From the receipt to the credit note."
    )
    contact_hours = fields.Float(
        string="Hours to Contact", readonly=True, aggregator="avg", help="From the repair request to the appointment."
    )
    dispatch_hours = fields.Float(
        string="Hours Contact to Dispatch", readonly=True, aggregator="avg", help="From the contact to the dispatch."
    )
    done_hours = fields.Float(
        string="Hours to Repaired", readonly=True, aggregator="avg", help="From the repair request to its end."
    )
    warranty_rate = fields.Float(
        string="Under Warranty (%)", readonly=True, aggregator="avg", help="Share of repairs under warranty."
    )
    refund_amount = fields.Monetary(readonly=True, aggregator="sum")
    fee_amount = fields.Monetary(string="Fees Charged", readonly=True, aggregator="sum")

    def _query(self):
        return SQL(
            """
            SELECT r.id * 2 AS id, 'rma' AS source, r.kind, r.date, r.company_id, c.currency_id,
                   r.product_id, pt.categ_id, t.team_id, r.reason_type, r.reason_id, r.inspection_result, 1 AS nbr,
                   CASE WHEN r.state = 'cancelled' THEN 'cancelled'
                        WHEN r.state IN %(done)s THEN 'done' ELSE 'open' END AS state,
                   %(reply)s AS reply_hours,
                   CASE WHEN rm.state = 'done' THEN %(receipt)s END AS receipt_hours,
                   CASE WHEN rm.state = 'done' THEN %(inspection)s END AS inspection_hours,
                   %(pass_rate)s AS inspection_pass_rate,
                   CASE WHEN rm.state = 'done' AND refund.id IS NOT NULL THEN %(refund)s END AS refund_hours,
                   NULL::float8 AS contact_hours, NULL::float8 AS dispatch_hours, NULL::float8 AS done_hours,
                   NULL::float8 AS warranty_rate,
                   COALESCE(rl.price_subtotal, 0) AS refund_amount, 0 AS fee_amount
              FROM rma r
              JOIN res_company c ON c.id = r.company_id
              LEFT JOIN product_product pp ON pp.id = r.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN cs_ticket t ON t.id = r.ticket_id
              LEFT JOIN stock_move rm ON rm.id = r.reception_move_id
              LEFT JOIN account_move_line rl ON rl.id = r.refund_line_id
              LEFT JOIN account_move refund ON refund.id = rl.move_id
            UNION ALL
            SELECT ro.id * 2 + 1 AS id, 'repair' AS source, ro.cs_service_type AS kind, ro.create_date AS date,
                   ro.company_id, c.currency_id, ro.product_id, pt.categ_id, t.team_id,
                   NULL AS reason_type, NULL::integer AS reason_id, NULL AS inspection_result, 1 AS nbr,
                   CASE WHEN ro.state = 'cancel' THEN 'cancelled'
                        WHEN ro.state = 'done' THEN 'done' ELSE 'open' END AS state,
                   %(repair_reply)s AS reply_hours,
                   NULL::float8 AS receipt_hours, NULL::float8 AS inspection_hours,
                   NULL::float8 AS inspection_pass_rate, NULL::float8 AS refund_hours,
                   %(contact)s AS contact_hours, %(dispatch)s AS dispatch_hours, %(done_h)s AS done_hours,
                   %(warranty)s AS warranty_rate,
                   0 AS refund_amount, COALESCE(fees.amount, 0) AS fee_amount
              FROM repair_order ro
              JOIN res_company c ON c.id = ro.company_id
              LEFT JOIN product_product pp ON pp.id = ro.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN cs_ticket t ON t.id = ro.cs_ticket_id
              LEFT JOIN (
                    SELECT res_id, SUM(price_subtotal) AS amount
                      FROM cs_fee
                     WHERE res_model = 'repair.order' AND state NOT IN ('cancelled', 'waived')
                  GROUP BY res_id
              ) fees ON fees.res_id = ro.id
            """,
            done=RMA_DONE_STATES,
            reply=_hours(SQL("t.first_response_date"), SQL("t.create_date")),
            receipt=_hours(SQL("rm.date"), SQL("r.date")),
            inspection=_hours(SQL("r.inspection_date"), SQL("rm.date")),
            pass_rate=SQL(
                "100 * %s", rate_sql(SQL("r.inspection_result = 'pass'"), SQL("r.inspection_result IS NOT NULL"))
            ),
            refund=_hours(SQL("refund.create_date"), SQL("rm.date")),
            repair_reply=_hours(SQL("t.first_response_date"), SQL("t.create_date")),
            contact=_hours(SQL("ro.cs_contact_date"), SQL("ro.create_date")),
            dispatch=_hours(SQL("ro.cs_dispatch_date"), SQL("ro.cs_contact_date")),
            done_h=_hours(SQL("ro.cs_done_date"), SQL("ro.create_date")),
            warranty=SQL("100 * %s", rate_sql(SQL("ro.under_warranty"), SQL("ro.state != 'cancel'"))),
        )
