from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, date_utils

from .cs_fee_rule import WARRANTY_STATUSES

FEE_STATES = [
    ("draft", "Draft"),
    ("confirmed", "Confirmed"),
    ("invoiced", "Invoiced"),
    ("paid", "Paid"),
    ("waived", "Waived"),
    ("cancelled", "Cancelled"),
]


class CsFee(models.Model):
    """A service fee line (费用单) charged to a customer for a service document.

    The source is any document (``res_model``/``res_id``): a ticket (also linked by ``ticket_id``),
    an after-sales order... Confirmed fees are grouped into customer invoices; from then on the
    state follows the invoice: invoiced, then paid with its payment state.
    """

    _name = "cs.fee"
    _description = "Service Fee"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Description", compute="_compute_name", store=True, readonly=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    user_id = fields.Many2one(
        "res.users", string="Raised By", default=lambda self: self.env.user, domain="[('share', '=', False)]"
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, check_company=True)
    ticket_id = fields.Many2one("cs.ticket", string="Ticket", index="btree_not_null", check_company=True)
    res_model = fields.Char(string="Source Model", index="btree_not_null", readonly=True)
    res_id = fields.Many2oneReference(string="Source Record", model_field="res_model", readonly=True)
    rule_id = fields.Many2one("cs.fee.rule", string="Fee Standard", check_company=True)
    product_id = fields.Many2one("product.product", string="Service Product", check_company=True)
    warranty_status = fields.Selection(WARRANTY_STATUSES)
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0)
    price_unit = fields.Float(
        string="Unit Price", compute="_compute_price_unit", store=True, readonly=False, digits="Product Price"
    )
    tax_ids = fields.Many2many(
        "account.tax",
        string="Taxes",
        compute="_compute_tax_ids",
        store=True,
        readonly=False,
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
    )
    price_subtotal = fields.Monetary(string="Untaxed Amount", compute="_compute_amounts", store=True)
    price_total = fields.Monetary(string="Total", compute="_compute_amounts", store=True)
    manual_state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("waived", "Waived"), ("cancelled", "Cancelled")],
        string="Workflow Status",
        default="draft",
        required=True,
        copy=False,
    )
    state = fields.Selection(FEE_STATES, string="Status", compute="_compute_state", store=True, index=True)
    invoice_line_ids = fields.One2many("account.move.line", "cs_fee_id", string="Journal Items", readonly=True)
    invoice_id = fields.Many2one(
        "account.move", string="Invoice", readonly=True, copy=False, index="btree_not_null", check_company=True
    )
    payment_state = fields.Selection(related="invoice_id.payment_state", string="Payment Status")

    @api.depends("product_id")
    def _compute_name(self):
        for fee in self:
            fee.name = fee.product_id.get_product_multiline_description_sale() or fee.name

    @api.depends("product_id", "company_id")
    def _compute_price_unit(self):
        for fee in self:
            fee.price_unit = fee.product_id.with_company(fee.company_id).lst_price

    @api.depends("product_id", "partner_id", "company_id")
    def _compute_tax_ids(self):
        for fee in self:
            taxes = fee.product_id.taxes_id._filter_taxes_by_company(fee.company_id)
            fpos = self.env["account.fiscal.position"].with_company(fee.company_id)._get_fiscal_position(fee.partner_id)
            fee.tax_ids = fpos.map_tax(taxes)

    @api.depends("quantity", "price_unit", "tax_ids", "currency_id")
    def _compute_amounts(self):
        for fee in self:
            taxes = fee.tax_ids.compute_all(
                fee.price_unit, fee.currency_id, fee.quantity, fee.product_id, fee.partner_id
            )
            fee.price_subtotal = taxes["total_excluded"]
            fee.price_total = taxes["total_included"]

    @api.depends("manual_state", "invoice_id.state", "invoice_id.payment_state")
    def _compute_state(self):
        # on the invoice, not its lines: the lines change many times while an invoice is built
        for fee in self:
            invoice = fee.invoice_id
            if fee.manual_state in ("waived", "cancelled") or not invoice or invoice.state == "cancel":
                fee.state = fee.manual_state
            elif invoice.payment_state in ("paid", "in_payment"):
                fee.state = "paid"
            elif invoice.payment_state == "reversed":
                fee.state = "cancelled"
            else:
                fee.state = "invoiced"

    @api.onchange("rule_id")
    def _onchange_rule_id(self):
        if self.rule_id:
            self.product_id = self.rule_id.product_id
            self.quantity = self.rule_id.quantity or 1.0

    @api.constrains("product_id", "price_unit", "quantity")
    def _check_amount(self):
        for fee in self:
            if not fee.product_id:
                raise ValidationError(self.env._("A fee needs a service product or a fee standard."))
            if fee.quantity <= 0 or fee.price_unit <= 0:
                raise ValidationError(
                    self.env._("A fee must have a positive quantity and unit price (%(fee)s).", fee=fee.name)
                )

    @api.constrains("ticket_id", "manual_state")
    def _check_ticket_active(self):
        for fee in self:
            if fee.ticket_id and not fee.ticket_id.active and fee.manual_state in ("draft", "confirmed"):
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s is cancelled: no fee can be charged on it.",
                        ticket=fee.ticket_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        rules = self.env["cs.fee.rule"].browse({vals["rule_id"] for vals in vals_list if vals.get("rule_id")})
        for vals in vals_list:
            rule = rules.filtered(lambda r, v=vals: r.id == v.get("rule_id"))
            if rule:
                vals.setdefault("product_id", rule.product_id.id)
                vals.setdefault("quantity", rule.quantity or 1.0)
            if vals.get("ticket_id") and not vals.get("res_model"):
                vals.update(res_model="cs.ticket", res_id=vals["ticket_id"])
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(fee.state not in ("draft", "cancelled") for fee in self):
            raise UserError(self.env._("Only draft or cancelled fees can be deleted."))

    # ------------------------------------------------------------------ API
    @api.model
    def _create_from_source(self, record, rule_or_product, quantity=None, price_unit=None, **values):
        """Create a draft fee for ``record`` (a ticket or any document with a customer).

        ``rule_or_product`` is a ``cs.fee.rule`` or a ``product.product``; quantity and price default to
        the rule's quantity and the product's sales price; ``values`` are extra ``cs.fee`` values
        (``partner_id``, ``ticket_id``, ``warranty_status``...). This is what other addons call.
        """
        record.ensure_one()
        vals = {"res_model": record._name, "res_id": record.id}
        if record._name == "cs.ticket":
            vals["ticket_id"] = record.id
        elif "ticket_id" in record._fields and record.ticket_id:
            vals["ticket_id"] = record.ticket_id.id
        if "partner_id" in record._fields:
            vals["partner_id"] = record.partner_id.id
        if "company_id" in record._fields and record.company_id:
            vals["company_id"] = record.company_id.id
        if rule_or_product._name == "cs.fee.rule":
            vals["rule_id"] = rule_or_product.id
        else:
            vals["product_id"] = rule_or_product.id
        if quantity is not None:
            vals["quantity"] = quantity
        if price_unit is not None:
            vals["price_unit"] = price_unit
        vals.update(values)
        if not vals.get("partner_id"):
            raise UserError(self.env._("A fee needs a customer: %(record)s has none.", record=record.display_name))
        return self.create(vals)

    # ------------------------------------------------------------------ actions
    def action_confirm(self):
        if self.filtered(lambda f: f.state != "draft"):
            raise UserError(self.env._("Only draft fees can be confirmed."))
        self.manual_state = "confirmed"

    def action_cancel(self):
        if self.filtered(lambda f: f.state not in ("draft", "confirmed")):
            raise UserError(
                self.env._("Invoiced fees cannot be cancelled: request a waiver so that a credit note is issued.")
            )
        self.manual_state = "cancelled"

    def action_reset_draft(self):
        if self.filtered(lambda f: f.state not in ("cancelled", "confirmed")):
            raise UserError(self.env._("Only confirmed or cancelled fees can be reset to draft."))
        self.manual_state = "draft"

    def action_create_invoices(self):
        """Group the confirmed fees into one customer invoice per paying customer, company and month."""
        moves = self._create_invoices()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", moves.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        return action

    def _create_invoices(self):
        if not self:
            return self.env["account.move"]
        # two clerks invoicing the same fees at once: the second waits, then sees them invoiced
        self.env.cr.execute(SQL("SELECT id FROM cs_fee WHERE id IN %s FOR UPDATE", tuple(self.ids)))
        self.invalidate_recordset(["manual_state", "state", "invoice_id"])
        not_ready = self.filtered(lambda f: f.state != "confirmed")
        if not_ready:
            raise UserError(
                self.env._(
                    "Only confirmed fees that are not invoiced yet can be invoiced: %(fees)s.",
                    fees=", ".join(not_ready[:10].mapped("display_name")),
                )
            )
        groups = defaultdict(lambda: self.browse())
        for fee in self:
            period = date_utils.start_of(fee.date, "month")
            groups[fee.company_id, fee._invoice_partner(), period] |= fee
        journals = {}
        vals_list = []
        for (company, partner, period), fees in groups.items():
            if company not in journals:
                journals[company] = self._sale_journal(company)
            vals_list.append(fees._prepare_invoice_vals(company, partner, period, journals[company]))
        moves = self.env["account.move"].with_context(default_move_type="out_invoice").create(vals_list)
        for move, fees in zip(moves, groups.values(), strict=True):
            fees.invoice_id = move
        return moves

    def _invoice_partner(self):
        """The customer who pays: the paying organisation (单位承担) of the customer if any."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        return customer.cs_paying_partner_id or customer

    @api.model
    def _sale_journal(self, company):
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "sale")], limit=1
        )
        if not journal:
            raise UserError(self.env._("Company %(company)s has no sales journal.", company=company.name))
        return journal

    def _prepare_invoice_vals(self, company, partner, period, journal):
        return {
            "move_type": "out_invoice",
            "company_id": company.id,
            "journal_id": journal.id,
            "partner_id": partner.id,
            "currency_id": company.currency_id.id,
            "invoice_origin": self.env._("Service fees %(period)s", period=period.strftime("%Y-%m")),
            "invoice_line_ids": [
                Command.create(
                    {
                        "cs_fee_id": fee.id,
                        "product_id": fee.product_id.id,
                        "name": fee._invoice_line_name(),
                        "quantity": fee.quantity,
                        "price_unit": fee.price_unit,
                        "tax_ids": [Command.set(fee.tax_ids.ids)],
                    }
                )
                for fee in self
            ],
        }

    def _invoice_line_name(self):
        self.ensure_one()
        if self.ticket_id:
            return f"{self.name} ({self.ticket_id.number})"
        return self.name

    def action_open_source(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
