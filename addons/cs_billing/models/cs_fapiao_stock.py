from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

FAPIAO_TYPES = [("normal", "General VAT Fapiao"), ("special", "Special VAT Fapiao")]
NUMBER_DIGITS = 8  # paper fapiao are numbered with 8 digits (发票号码)


class CsFapiaoStock(models.Model):
    """A block of paper fapiao (票据领用/核销, seeds §4.7): received from the tax office into stock
    (入库), assigned to a collector (领用), its numbers issued or voided on invoices, the unused rest
    returned (剩余收回). A collector issues paper fapiao from the blocks assigned to them only."""

    _name = "cs.fapiao.stock"
    _description = "Paper Fapiao Block"
    _inherit = ["mail.thread"]
    _order = "fapiao_code, number_from"
    _rec_name = "display_name"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    fapiao_type = fields.Selection(FAPIAO_TYPES, required=True, default="normal")
    fapiao_code = fields.Char(required=True, help="发票代码 printed on the block.")
    number_from = fields.Integer(string="First Number", required=True)
    number_to = fields.Integer(string="Last Number", required=True)
    received_date = fields.Date(string="Received On", default=fields.Date.context_today, required=True)
    collector_id = fields.Many2one(
        "res.users", string="Collector", tracking=True, domain="[('share', '=', False)]", index=True
    )
    assigned_date = fields.Date(string="Assigned On", readonly=True, copy=False)
    returned_date = fields.Date(string="Returned On", readonly=True, copy=False)
    state = fields.Selection(
        [("in_stock", "In Stock"), ("assigned", "Assigned"), ("returned", "Returned")],
        string="Status",
        default="in_stock",
        required=True,
        tracking=True,
        copy=False,
    )
    move_ids = fields.One2many("account.move", "cs_fapiao_stock_id", string="Invoices", readonly=True)
    quantity = fields.Integer(compute="_compute_counts", string="Fapiao")
    issued_count = fields.Integer(compute="_compute_counts", string="Issued")
    voided_count = fields.Integer(compute="_compute_counts", string="Voided")
    remaining_count = fields.Integer(compute="_compute_counts", string="Unused")

    @api.depends("fapiao_code", "number_from", "number_to")
    def _compute_display_name(self):
        for block in self:
            block.display_name = (
                f"{block.fapiao_code or ''} {block.number_from:0{NUMBER_DIGITS}d}-{block.number_to:0{NUMBER_DIGITS}d}"
            )

    @api.depends("number_from", "number_to", "move_ids.cs_fapiao_state")
    def _compute_counts(self):
        for block in self:
            states = block.sudo().move_ids.mapped("cs_fapiao_state")
            block.quantity = max(block.number_to - block.number_from + 1, 0)
            block.issued_count = sum(1 for state in states if state in ("issued", "red"))
            block.voided_count = states.count("voided")
            block.remaining_count = block.quantity - len(states)

    @api.constrains("number_from", "number_to", "fapiao_code", "company_id")
    def _check_range(self):
        for block in self:
            if block.number_from <= 0 or block.number_to < block.number_from or block.number_to >= 10**NUMBER_DIGITS:
                raise ValidationError(
                    self.env._(
                        "A fapiao block runs from a first to a last number of at most %(digits)s digits.",
                        digits=NUMBER_DIGITS,
                    )
                )
            overlap = self.search_count(
                [
                    ("id", "!=", block.id),
                    ("company_id", "=", block.company_id.id),
                    ("fapiao_code", "=", block.fapiao_code),
                    ("number_from", "<=", block.number_to),
                    ("number_to", ">=", block.number_from),
                ]
            )
            if overlap:
                raise ValidationError(
                    self.env._(
                        "Fapiao block %(block)s overlaps another block of the same code.", block=block.display_name
                    )
                )

    def action_assign(self):
        for block in self:
            if block.state != "in_stock":
                raise UserError(
                    self.env._("Only blocks in stock can be assigned (%(block)s).", block=block.display_name)
                )
            if not block.collector_id:
                raise UserError(self.env._("Choose the collector of block %(block)s first.", block=block.display_name))
        self.write({"state": "assigned", "assigned_date": fields.Date.context_today(self)})

    def action_return(self):
        """剩余收回: the collector hands back the unused rest; nothing more is issued from the block."""
        if self.filtered(lambda block: block.state != "assigned"):
            raise UserError(self.env._("Only assigned blocks can be returned."))
        self.write({"state": "returned", "returned_date": fields.Date.context_today(self)})
        for block in self:
            block.message_post(
                body=self.env._(
                    "Returned: %(issued)s issued, %(voided)s voided, %(unused)s unused.",
                    issued=block.issued_count,
                    voided=block.voided_count,
                    unused=block.remaining_count,
                )
            )

    @api.model
    def _cs_block_for(self, move, user):
        """The block assigned to ``user`` holding the paper fapiao number of ``move``, or an error."""
        number = (move.cs_fapiao_number or "").strip()
        if not number.isdigit() or len(number) > NUMBER_DIGITS:
            raise ValidationError(
                self.env._(
                    "A paper fapiao number has at most %(digits)s digits (invoice %(invoice)s).",
                    digits=NUMBER_DIGITS,
                    invoice=move.name,
                )
            )
        block = self.sudo().search(
            [
                ("company_id", "=", move.company_id.id),
                ("state", "=", "assigned"),
                ("collector_id", "=", user.id),
                ("fapiao_type", "=", move.cs_fapiao_type),
                ("number_from", "<=", int(number)),
                ("number_to", ">=", int(number)),
            ],
            limit=1,
        )
        if not block:
            raise ValidationError(
                self.env._(
                    "Paper fapiao %(number)s is not in a block assigned to you: issue numbers of your own blocks only.",
                    number=number,
                )
            )
        return block
