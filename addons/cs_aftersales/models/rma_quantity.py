from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

# Kinds that take goods back for good; repairs and warranty claims send the same unit back to the customer.
RETURN_KINDS = ("return", "exchange")
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

    def _cs_quantity_pool(self):
        """Which of a delivery line's quantities this request uses up: "return" (taken back for good),
        "reship" (a missing part sent again), or None (repairs, warranty claims, plain RMA)."""
        self.ensure_one()
        if not self.move_id or self.state == "cancelled":
            return None
        if self.kind in RETURN_KINDS and self.operation_id.action_create_receipt:
            return "return"
        return "reship" if self.kind == "reship" else None

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
        """Returns and exchanges never take back more than was delivered minus earlier requests and returns;
        reships never send more than was delivered minus earlier reships. Both under the same row lock."""
        pools = self.grouped(lambda r: r._cs_quantity_pool())
        pools.pop(None, None)
        if not pools:
            return
        self._cs_lock_moves(self.browse().union(*pools.values()).sudo().move_id)
        self.flush_model(["move_id", "product_uom_qty", "product_uom", "state", "operation_id"])
        for pool, rmas in pools.items():
            moves = rmas.sudo().move_id
            taken = moves._cs_quantity_taken_back() if pool == "return" else moves._cs_quantity_reshipped()
            for move in moves:
                if float_compare(taken[move], move.quantity, precision_rounding=move.product_uom.rounding) > 0:
                    requested = rmas.filtered(lambda r, m=move: r.move_id == m)
                    already = taken[move] - sum(
                        r.product_uom._compute_quantity(r.product_uom_qty, move.product_uom) for r in requested
                    )
                    rmas._cs_raise_quantity(pool, move, already)

    def _cs_raise_quantity(self, pool, move, already):
        values = {
            "product": move.product_id.display_name,
            "delivered": move.quantity,
            "uom": move.product_uom.name,
            "picking": move.picking_id.name,
            "already": already,
            "remaining": max(move.quantity - already, 0.0),
        }
        if pool == "reship":
            raise UserError(
                self.env._(
                    "%(product)s: %(delivered)s %(uom)s delivered by %(picking)s, %(already)s already reshipped "
                    "by earlier requests; at most %(remaining)s %(uom)s can still be reshipped.",
                    **values,
                )
            )
        raise UserError(
            self.env._(
                "%(product)s: %(delivered)s %(uom)s delivered by %(picking)s, %(already)s already asked "
                "back by earlier requests; at most %(remaining)s %(uom)s can still be returned.",
                **values,
            )
        )


class StockMove(models.Model):
    _inherit = "stock.move"

    def _cs_quantity_taken_back(self):
        """Quantity (in each move's unit) asked back from these delivery moves: every open return or
        exchange request plus returns made outside RMA (the plain return wizard)."""
        if not self:
            return defaultdict(float)
        taken = self._cs_quantities(
            "rma",
            [
                ("move_id", "in", self.ids),
                ("state", "!=", "cancelled"),
                ("kind", "in", RETURN_KINDS),
                ("operation_id.action_create_receipt", "!=", False),
            ],
            "move_id",
        )
        plain_returns = self._cs_quantities(
            "stock.move",
            [("origin_returned_move_id", "in", self.ids), ("state", "!=", "cancel"), ("rma_receiver_ids", "=", False)],
            "origin_returned_move_id",
        )
        for move, quantity in plain_returns.items():
            taken[move] += quantity
        return taken

    def _cs_quantity_reshipped(self):
        """Quantity (in each move's unit) already asked again by the open reship requests of these moves."""
        domain = [("move_id", "in", self.ids), ("state", "!=", "cancelled"), ("kind", "=", "reship")]
        return self._cs_quantities("rma", domain, "move_id")

    def _cs_quantities(self, model, domain, move_field):
        """{move: quantity in the move's unit} of the ``model`` records of ``domain``, by their ``move_field``."""
        quantities = defaultdict(float)
        groups = self.env[model].sudo()._read_group(domain, [move_field, "product_uom"], ["product_uom_qty:sum"])
        for move, uom, quantity in groups:
            quantities[move] += uom._compute_quantity(quantity, move.product_uom)
        return quantities
