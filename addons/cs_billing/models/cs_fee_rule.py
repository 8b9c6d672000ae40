from odoo import api, fields, models

WARRANTY_STATUSES = [("in_warranty", "In Warranty"), ("out_of_warranty", "Out of Warranty")]


class CsFeeRule(models.Model):
    """A fee standard (售后服务费用标准): which service product is charged for which kind of service.

    Price and taxes always come from the product, so finance maintains one price list.
    """

    _name = "cs.fee.rule"
    _description = "Service Fee Standard"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    product_id = fields.Many2one(
        "product.product",
        string="Service Product",
        required=True,
        check_company=True,
        domain="[('type', '=', 'service'), ('sale_ok', '=', True)]",
        help="The fee is charged at this product's sales price with its customer taxes.",
    )
    fee_type = fields.Selection(
        [
            ("repair", "Out-of-warranty Repair"),
            ("parts", "Spare Parts"),
            ("shipping", "Return Shipping"),
            ("installation", "Installation / On-site Service"),
            ("restocking", "Restocking"),
            ("package", "Service Package"),
            ("other", "Other Service"),
        ],
        required=True,
        default="other",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", help="Quantity charged by default.")
    list_price = fields.Float(related="product_id.lst_price", string="Sales Price")
    ticket_type_ids = fields.Many2many("cs.ticket.type", string="Ticket Types", help="Empty: every ticket type.")
    ticket_category_ids = fields.Many2many(
        "cs.ticket.category", string="Ticket Categories", help="Empty: every category."
    )
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Categories of the serviced product (not the fee product). Empty: every product.",
    )
    vip_level_ids = fields.Many2many(
        "cs.vip.level", string="Customer Levels", help="Customer segments charged this fee. Empty: every customer."
    )
    warranty_status = fields.Selection(
        WARRANTY_STATUSES, help="Only for services in or out of warranty. Empty: regardless of the warranty."
    )
    auto_apply = fields.Boolean(
        string="Charge Automatically",
        help="Add a draft fee to matching tickets when they are resolved; the agent still confirms it.",
    )
    description = fields.Text(translate=True)

    @api.model
    def _match(self, ticket=None, product=None, warranty_status=None, partner=None, company=None):
        """Active rules of ``company`` that apply to the ticket / serviced product / warranty / customer."""
        company = company or (ticket and ticket.company_id) or self.env.company
        partner = partner or (ticket and ticket.partner_id) or self.env["res.partner"]
        rules = self.search([("company_id", "=", company.id)])
        # the serviced product's category and its parents: a rule on "Appliances" covers "Appliances / TV"
        categ_path = {int(cid) for cid in (product.categ_id.parent_path or "").split("/") if cid} if product else set()

        def applies(rule):
            return (
                (not rule.ticket_type_ids or (ticket and ticket.type_id in rule.ticket_type_ids))
                and (not rule.ticket_category_ids or (ticket and ticket.category_id in rule.ticket_category_ids))
                and (not rule.product_categ_ids or bool(set(rule.product_categ_ids.ids) & categ_path))
                and (not rule.vip_level_ids or partner.commercial_partner_id.cs_vip_level_id in rule.vip_level_ids)
                and (not rule.warranty_status or rule.warranty_status == warranty_status)
            )

        return rules.filtered(applies)
