from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        items = partials.debit_move_id | partials.credit_move_id
        self.env["credit.control.line"].sudo().search([("move_line_id", "in", items.ids)])._cs_stop_paid()
        return partials
