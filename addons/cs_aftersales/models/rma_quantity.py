from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from .rma_eligibility import WINDOW_KINDS

# Values that change how much of a delivery a request takes back (plus a cancelled request set back to draft).
QUANTITY_FIELDS = ("move_id", "product_uom_qty", "product_uom", "operation_id")


class Rma(models.Model):
    _inherit = "rma"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        rmas = super().create(vals_list)
        rmas._cs_check_quantities()
        return rmas

    def write(self, vals):
        res = super().write(vals)
        if any(f in vals for f in QUANTITY_FIELDS) or vals.get("state") == "draft":
            self._cs_check_quantities()
        return res

    def _cs_takes_back(self):
        """Requests that take goods back for good against their origin delivery move. Repairs and warranty
        claims send the same unit back to the customer, so they may come again."""
        return self.filtered(
            lambda r: r.kind in WINDOW_KINDS
            and r.move_id
            and r.operation_id.action_create_receipt
            and r.state != "cancelled"
        )

    def _cs_lock_moves(self, moves):
        """Serialise the requests on the same delivery lines.

        NOWAIT: a concurrent transaction holding the row makes this one fail with a lock error, which Odoo's
        RPC layer retries. The no-op UPDATE makes a transaction whose snapshot predates a committed
        concurrent request fail with a serialization error (also retried) instead of reading stale sums
        under REPEATABLE READ.
        """
        ids = tuple(moves.ids)
        self.env.cr.execute(SQL("SELECT id FROM stock_move WHERE id IN %s FOR NO KEY UPDATE NOWAIT", ids))
        self.env.cr.execute(SQL("UPDATE stock_move SET write_date = write_date WHERE id IN %s", ids))

    def _cs_check_quantities(self):
        rmas = self._cs_takes_back()
        if not rmas:
            return
        moves = rmas.sudo().move_id
        self._cs_lock_moves(moves)
        self.flush_model(["move_id", "product_uom_qty", "product_uom", "state", "operation_id"])
        taken = moves._cs_quantity_taken_back()
        for move in moves:
            if float_compare(taken[move], move.quantity, precision_rounding=move.product_uom.rounding) > 0:
                requested = rmas.filtered(lambda r, m=move: r.move_id == m)
                already = taken[move] - sum(
                    r.product_uom._compute_quantity(r.product_uom_qty, move.product_uom) for r in requested
                )
                raise UserError(
                    self.env._(
                        "%(product)s: %(delivered)s %(uom)s delivered by %(picking)s, %(already)s already asked "
                        "back by earlier requests; at most %(remaining)s %(uom)s can still be returned.",
                        product=move.product_id.display_name,
                        delivered=move.quantity,
                        uom=move.product_uom.name,
                        picking=move.picking_id.name,
                        already=already,
                        remaining=max(move.quantity - already, 0.0),
                    )
                )


class StockMove(models.Model):
    _inherit = "stock.move"

    def _cs_quantity_taken_back(self):
        """Quantity (in each move's unit) asked back from these delivery moves: every open return or
        exchange request plus returns made outside RMA (the plain return wizard)."""
        taken = defaultdict(float)
        if not self:
            return taken
        Rma = self.env["rma"].sudo()
        groups = Rma._read_group(
            [
                ("move_id", "in", self.ids),
                ("state", "!=", "cancelled"),
                ("kind", "in", WINDOW_KINDS),
                ("operation_id.action_create_receipt", "!=", False),
            ],
            ["move_id", "product_uom"],
            ["product_uom_qty:sum"],
        )
        for move, uom, qty in groups:
            taken[move] += uom._compute_quantity(qty, move.product_uom)
        plain_returns = (
            self.env["stock.move"]
            .sudo()
            ._read_group(
                [
                    ("origin_returned_move_id", "in", self.ids),
                    ("state", "!=", "cancel"),
                    ("rma_receiver_ids", "=", False),
                ],
                ["origin_returned_move_id", "product_uom"],
                ["product_uom_qty:sum"],
            )
        )
        for move, uom, qty in plain_returns:
            taken[move] += uom._compute_quantity(qty, move.product_uom)
        return taken
