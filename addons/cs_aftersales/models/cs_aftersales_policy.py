from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_int_param

# The seeds give no warranty period: a setting, 12 months unless configured (readme/CONFIGURE.md).
DEFAULT_WARRANTY_MONTHS = 12
WARRANTY_MONTHS_PARAM = "cs_aftersales.default_warranty_months"
# Seeds §3.2: "7 days after receipt" for both quality and non-quality returns and exchanges.
DEFAULT_WINDOW_DAYS = 7
# The seeds give no window for reship / missing-part claims (补发): a policy field that starts with the
# return window, since a missing part shows when the parcel is unpacked (readme/CONFIGURE.md).
DEFAULT_RESHIP_DAYS = DEFAULT_WINDOW_DAYS

SHIPPING_BEARERS = [("customer", "Customer"), ("company", "Company")]


class CsAftersalesPolicy(models.Model):
    _name = "cs.aftersales.policy"
    _description = "After-sales Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The policy applies to products of these categories and their subcategories; empty: every product.",
    )
    return_days = fields.Integer(
        string="Return Window (days)",
        default=DEFAULT_WINDOW_DAYS,
        help="Days after the delivery date during which the customer may ask for a return.",
    )
    exchange_days = fields.Integer(
        string="Exchange Window (days)",
        default=DEFAULT_WINDOW_DAYS,
        help="Days after the delivery date during which the customer may ask for an exchange.",
    )
    reship_days = fields.Integer(
        string="Reship Window (days)",
        default=DEFAULT_RESHIP_DAYS,
        help="Days after the delivery date during which the customer may report a missing part and have it "
        "reshipped (the seeds give no number).",
    )
    warranty_months = fields.Integer(
        default=lambda self: get_int_param(self.env, WARRANTY_MONTHS_PARAM, DEFAULT_WARRANTY_MONTHS),
        help="Warranty period from the delivery date, used for repairs and warranty claims.",
    )
    non_quality_shipping_bearer = fields.Selection(
        SHIPPING_BEARERS,
        string="Return Shipping (non-quality)",
        default="customer",
        required=True,
        help="Who pays the return shipping when the reason is not a quality problem. "
        "Quality problems are always shipped back at the company's cost.",
    )
    shipping_fee_rule_id = fields.Many2one(
        "cs.fee.rule",
        string="Return Shipping Fee",
        help="Fee standard charged to the customer for the return shipping of a non-quality return.",
    )
    service_fee_rule_id = fields.Many2one(
        "cs.fee.rule",
        string="Restocking / Service Fee",
        help="Optional fee standard charged on every accepted non-quality return (restocking).",
    )
    return_address_id = fields.Many2one(
        "res.partner",
        string="Return Address",
        help="Address the customer ships the goods back to; empty: the warehouse's address.",
    )
    note = fields.Html(string="Terms", translate=True, help="Warranty scope and service content shown to agents.")

    _sql_constraints = [
        (
            "days_positive",
            "CHECK(return_days >= 0 AND exchange_days >= 0 AND reship_days >= 0)",
            "Windows cannot be negative.",
        ),
        ("warranty_positive", "CHECK(warranty_months >= 0)", "The warranty period cannot be negative."),
    ]

    @api.model
    def _find_for_products(self, products, company):
        """Map each product to the first policy (by sequence) of ``company`` matching its category.

        One search for all products, so the cost does not grow per line.
        """
        policies = self.sudo().search([("company_id", "=", company.id)])
        result = {}
        for product in products:
            categ_path = product.sudo().categ_id.parent_path or ""
            categ_ids = {int(x) for x in categ_path.split("/") if x}
            result[product] = next(
                (p for p in policies if not p.product_categ_ids or categ_ids & set(p.product_categ_ids.ids)),
                self.browse(),
            )
        return {product: policy.with_env(self.env) for product, policy in result.items()}

    @api.model
    def _find_for(self, product, company):
        """The policy that governs ``product`` sold by ``company`` (empty recordset when none matches)."""
        return self._find_for_products(product, company)[product]
