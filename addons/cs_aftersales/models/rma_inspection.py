from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .rma_quantity import RETURN_KINDS

INSPECTION_RESULTS = [("pass", "Passed"), ("fail", "Failed")]
NEGOTIATION_OUTCOMES = [
    ("return_to_customer", "Return to Customer"),
    ("partial_refund", "Partial Refund"),
    ("refuse", "Refuse"),
]


class Rma(models.Model):
    _inherit = "rma"  # pylint: disable=consider-merging-classes-inherited

    inspection_result = fields.Selection(INSPECTION_RESULTS, readonly=True, copy=False, tracking=True)
    inspection_note = fields.Text(string="Inspection Notes", copy=False)
    inspection_attachment_ids = fields.Many2many(
        "ir.attachment", "rma_inspection_attachment_rel", "rma_id", "attachment_id", string="Inspection Photos"
    )
    inspection_user_id = fields.Many2one("res.users", string="Inspected By", readonly=True, copy=False)
    inspection_date = fields.Datetime(string="Inspected On", readonly=True, copy=False)
    negotiation_outcome = fields.Selection(NEGOTIATION_OUTCOMES, readonly=True, copy=False, tracking=True)
    negotiation_note = fields.Text(copy=False)
    partial_refund_amount = fields.Float(
        string="Agreed Refund", digits="Product Price", copy=False, help="Untaxed amount agreed with the customer."
    )

    def _cs_check_inspectable(self):
        if not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(self.env._("Only warehouse users inspect returned goods."))
        for rma in self:
            if rma.state != "received" or rma.inspection_result:
                raise UserError(
                    self.env._("%(rma)s: only received, not yet inspected goods can be inspected.", rma=rma.name)
                )

    def _cs_record_inspection(self, result):
        self.write(
            {"inspection_result": result, "inspection_user_id": self.env.uid, "inspection_date": fields.Datetime.now()}
        )
        self._cs_notify("cs_aftersales.mail_template_rma_inspected")

    def action_inspect_pass(self):
        """Passed: refund (draft credit note from the invoice), replacement or repair, as the request says."""
        self._cs_check_inspectable()
        self._cs_record_inspection("pass")
        self.filtered(lambda r: r.kind == "return" and r.can_be_refunded).action_refund()
        for rma in self.filtered(lambda r: r.kind == "exchange" and r.can_be_replaced):
            rma.create_replace(
                fields.Datetime.now(), rma.warehouse_id, rma.product_id, rma.product_uom_qty, rma.product_uom
            )
        # the product came back: its warranty ends (an exchange's replacement takes over the rest)
        self.env["cs.warranty"]._void_for_rmas(self.filtered(lambda r: r.kind in RETURN_KINDS))
        self._cs_after_inspection_pass()

    def _cs_after_inspection_pass(self):
        """Repair and warranty requests whose goods passed inspection get their repair order (rma_repair)."""
        for rma in self.filtered(lambda r: r.kind in ("repair", "warranty") and r.can_be_repaired):
            rma._create_repair()

    def action_inspect_fail(self):
        """Failed: the agent negotiates with the customer and records the outcome."""
        self._cs_check_inspectable()
        if self.filtered(lambda r: not (r.inspection_note or "").strip()):
            raise UserError(self.env._("Describe what the inspection found before failing it."))
        self._cs_record_inspection("fail")

    def action_negotiation_done(self, outcome, amount=0.0, note=None):
        for rma in self:
            if rma.inspection_result != "fail" or rma.negotiation_outcome:
                raise UserError(self.env._("%(rma)s: no negotiation is open.", rma=rma.name))
        if outcome not in dict(NEGOTIATION_OUTCOMES):
            raise UserError(self.env._("Choose the outcome of the negotiation."))
        if outcome == "partial_refund" and amount <= 0:
            raise UserError(self.env._("A partial refund needs a positive amount."))
        self.write({"negotiation_outcome": outcome, "negotiation_note": note, "partial_refund_amount": amount})
        if outcome == "return_to_customer":
            for rma in self.filtered("can_be_returned"):
                rma.create_return(fields.Datetime.now(), rma.product_uom_qty, rma.product_uom)
        elif outcome == "partial_refund":
            self.with_context(cs_partial_refund=True).action_refund()
        else:
            self.write({"state": "finished"})

    def _prepare_refund_line_vals(self):
        vals = super()._prepare_refund_line_vals()
        if self.env.context.get("cs_partial_refund") and self.partial_refund_amount:
            vals.update(quantity=1.0, price_unit=self.partial_refund_amount, discount=0.0)
        return vals

    @api.depends("negotiation_outcome")
    def _compute_can_be_refunded(self):
        """A negotiated partial refund is possible on a kind without refund action (e.g. exchange)."""
        res = super()._compute_can_be_refunded()
        for rma in self.filtered(lambda r: r.negotiation_outcome == "partial_refund" and r.state == "received"):
            rma.can_be_refunded = True
        return res
