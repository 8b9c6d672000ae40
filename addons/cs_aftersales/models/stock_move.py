from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"  # pylint: disable=consider-merging-classes-inherited

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        # the warranty (保修) of what reached the customer starts with the validated delivery
        self.env["cs.warranty"]._create_from_moves(moves)
        return moves
