from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    cs_fee_id = fields.Many2one("cs.fee", string="Service Fee", index="btree_not_null", copy=False, readonly=True)
