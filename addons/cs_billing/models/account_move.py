from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

BILLING_GROUPS = "account.group_account_invoice"


class AccountMove(models.Model):
    """Fapiao (发票, seeds §4.7) of a customer invoice: the tax document issued for it, its number and state.

    The invoice stays Odoo's accounting document; voiding or red-letter reversing a fapiao never changes
    the entry, a red-letter fapiao goes with the credit note that reverses the invoice.
    """

    _inherit = "account.move"

    cs_fapiao_type = fields.Selection(
        [("normal", "General VAT Fapiao"), ("special", "Special VAT Fapiao")],
        string="Fapiao Type",
        copy=False,
        groups=BILLING_GROUPS,
    )
    cs_fapiao_medium = fields.Selection(
        [("electronic", "Electronic"), ("paper", "Paper")],
        string="Fapiao Medium",
        copy=False,
        groups=BILLING_GROUPS,
    )
    cs_fapiao_number = fields.Char(
        string="Issued Fapiao Number", copy=False, index="btree_not_null", groups=BILLING_GROUPS
    )
    cs_fapiao_date = fields.Date(string="Fapiao Issued On", copy=False, groups=BILLING_GROUPS)
    cs_fapiao_state = fields.Selection(
        [("issued", "Issued"), ("voided", "Voided"), ("red", "Red-letter Reversed")],
        string="Fapiao Status",
        copy=False,
        tracking=True,
        groups=BILLING_GROUPS,
    )
    cs_fapiao_red_move_id = fields.Many2one(
        "account.move", string="Red-letter Credit Note", copy=False, readonly=True, groups=BILLING_GROUPS
    )
    cs_fapiao_stock_id = fields.Many2one(
        "cs.fapiao.stock",
        string="Paper Fapiao Block",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups=BILLING_GROUPS,
        help="The block assigned to the collector the paper fapiao number was issued from.",
    )

    _sql_constraints = [
        (
            "cs_fapiao_number_unique",
            "UNIQUE (company_id, cs_fapiao_number)",
            "A fapiao number can only be issued once per company.",
        ),
    ]

    @api.constrains("cs_fapiao_state", "cs_fapiao_number", "cs_fapiao_type", "cs_fapiao_medium")
    def _check_cs_fapiao(self):
        for move in self.filtered("cs_fapiao_state"):
            if move.move_type != "out_invoice" or move.state != "posted":
                raise ValidationError(self.env._("A fapiao is issued for a posted customer invoice only."))
            if not (move.cs_fapiao_number and move.cs_fapiao_type and move.cs_fapiao_medium):
                raise ValidationError(self.env._("An issued fapiao needs its type, medium and number."))

    @api.constrains("cs_fapiao_number", "cs_fapiao_stock_id")
    def _check_cs_fapiao_block(self):
        for move in self.filtered("cs_fapiao_stock_id"):
            block = move.cs_fapiao_stock_id
            number = move.cs_fapiao_number or ""
            if not number.isdigit() or not block.number_from <= int(number) <= block.number_to:
                raise ValidationError(
                    self.env._("Fapiao %(number)s is outside block %(block)s.", number=number, block=block.display_name)
                )

    def action_cs_issue_fapiao(self):
        for move in self:
            if move.cs_fapiao_state:
                raise UserError(self.env._("Invoice %(invoice)s already has a fapiao.", invoice=move.name))
            # a paper fapiao is issued by its collector from a block assigned to them
            if move.cs_fapiao_medium == "paper":
                move.cs_fapiao_stock_id = self.env["cs.fapiao.stock"]._cs_block_for(move, self.env.user)
        self.write({"cs_fapiao_state": "issued", "cs_fapiao_date": fields.Date.context_today(self)})

    def action_cs_void_fapiao(self):
        """作废: a fapiao voided before it left the company; the invoice is then cancelled or reissued."""
        if self.filtered(lambda m: m.cs_fapiao_state != "issued"):
            raise UserError(self.env._("Only issued fapiao can be voided."))
        self.write({"cs_fapiao_state": "voided"})

    def action_cs_red_letter_fapiao(self):
        """红字冲销: the invoice was reversed by a posted credit note, the fapiao is reversed with it."""
        for move in self:
            if move.cs_fapiao_state != "issued":
                raise UserError(self.env._("Only issued fapiao can be reversed."))
            refund = move.reversal_move_ids.filtered(lambda r: r.move_type == "out_refund" and r.state == "posted")[:1]
            if not refund:
                raise UserError(
                    self.env._(
                        "Reverse invoice %(invoice)s with a posted credit note before its fapiao.", invoice=move.name
                    )
                )
            move.write({"cs_fapiao_state": "red", "cs_fapiao_red_move_id": refund.id})
