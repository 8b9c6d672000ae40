from datetime import timedelta

import pytz
from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_int_param, tz_name
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import float_compare

from .cs_aftersales_policy import DEFAULT_WARRANTY_MONTHS, WARRANTY_MONTHS_PARAM

# The seeds give no "expiring soon" horizon: a setting with this default (readme/CONFIGURE.md).
DEFAULT_EXPIRY_NOTICE_DAYS = 30
EXPIRY_NOTICE_DAYS_PARAM = "cs_aftersales.warranty_expiry_days"


class CsWarranty(models.Model):
    """Warranty (保修) of one delivered serial/lot, or of an order line's untracked units.

    Created when the delivery to the customer is validated: it starts on the delivery date (in the
    customer's time zone) and lasts the warranty months of the after-sales policy of the product.
    """

    _name = "cs.warranty"
    _description = "Warranty"
    _inherit = ["mail.thread"]
    _order = "date_end, id"
    _check_company_auto = True
    _rec_names_search = ["lot_id.name", "product_id", "sale_order_id.name"]

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True, tracking=True
    )
    product_id = fields.Many2one(
        "product.product", string="Product", required=True, index=True, check_company=True, ondelete="cascade"
    )
    categ_id = fields.Many2one(related="product_id.categ_id", string="Product Category", store=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Serial / Lot", index="btree_not_null", check_company=True, ondelete="cascade"
    )
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0)
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", index="btree_not_null", readonly=True)
    sale_order_id = fields.Many2one(
        related="sale_line_id.order_id", string="Sale Order", store=True, index="btree_not_null"
    )
    move_id = fields.Many2one("stock.move", string="Delivery Move", readonly=True, index="btree_not_null")
    picking_id = fields.Many2one(related="move_id.picking_id", string="Delivery", store=True)
    date_start = fields.Date(string="Start", required=True, tracking=True, help="Delivery date to the customer.")
    warranty_months = fields.Integer(string="Months", required=True, tracking=True)
    date_end = fields.Date(
        string="End", compute="_compute_date_end", store=True, index=True, help="Last day covered by the warranty."
    )
    state = fields.Selection(
        [("active", "Active"), ("expired", "Expired"), ("void", "Void")],
        string="Status",
        compute="_compute_state",
        search="_search_state",
    )
    voided = fields.Boolean(
        string="Void", tracking=True, copy=False, help="Ended early, e.g. the product was returned and refunded."
    )
    void_reason = fields.Char(readonly=True, copy=False, tracking=True)
    void_rma_id = fields.Many2one(
        "rma",
        string="Ended By Request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="rma.rma_group_user_own",
        help="Return or exchange request that took the product back.",
    )
    expiring_soon = fields.Boolean(compute="_compute_state", search="_search_expiring_soon")
    note = fields.Text()

    _sql_constraints = [
        ("months_positive", "CHECK(warranty_months >= 0)", "The warranty period cannot be negative."),
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a warranty must be positive."),
    ]

    @api.depends("date_start", "warranty_months")
    def _compute_date_end(self):
        for warranty in self:
            if warranty.date_start:
                end = warranty.date_start + relativedelta(months=warranty.warranty_months)
                warranty.date_end = end - timedelta(days=1)
            else:
                warranty.date_end = False

    @api.depends_context("uid")
    @api.depends("date_end", "voided")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=self._expiry_notice_days())
        for warranty in self:
            if warranty.voided:
                warranty.state = "void"
            else:
                warranty.state = "active" if warranty._covers(today) else "expired"
            warranty.expiring_soon = warranty.state == "active" and warranty.date_end <= horizon

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the warranty status."))
        values = {value} if isinstance(value, str) else set(value)
        today = fields.Date.context_today(self)
        domains = {
            "active": [("voided", "=", False), ("date_start", "<=", today), ("date_end", ">=", today)],
            "expired": [("voided", "=", False), "|", ("date_end", "<", today), ("date_start", ">", today)],
            "void": [("voided", "=", True)],
        }
        domain = expression.OR([domains[v] for v in values if v in domains])
        return ["!", *expression.normalize_domain(domain)] if operator in ("!=", "not in") else domain

    def _search_expiring_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on warranties expiring soon."))
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=self._expiry_notice_days())
        domain = [
            ("voided", "=", False),
            ("date_start", "<=", today),
            ("date_end", ">=", today),
            ("date_end", "<=", horizon),
        ]
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    @api.depends("product_id", "lot_id")
    def _compute_display_name(self):
        for warranty in self:
            name = warranty.product_id.display_name or ""
            warranty.display_name = f"{name} ({warranty.lot_id.name})" if warranty.lot_id else name

    # ------------------------------------------------------------------ business
    @api.model
    def _expiry_notice_days(self):
        return get_int_param(self.env, EXPIRY_NOTICE_DAYS_PARAM, DEFAULT_EXPIRY_NOTICE_DAYS)

    def _covers(self, day=None):
        """Whether the warranty covers ``day`` (the user's today by default)."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        return bool(not self.voided and self.date_start and self.date_end and self.date_start <= day <= self.date_end)

    @api.model
    def _warranty_months(self, products, company):
        """Warranty months of each product: the after-sales policy of its category, else the default setting."""
        default = get_int_param(self.env, WARRANTY_MONTHS_PARAM, DEFAULT_WARRANTY_MONTHS)
        policies = self.env["cs.aftersales.policy"]._find_for_products(products, company)
        return {product: (policies[product].warranty_months if policies[product] else default) for product in products}

    @api.model
    def _delivery_date(self, moment, partner, company):
        """The day of ``moment`` (naive UTC) for the customer: their time zone, else the company's."""
        tz = next(
            (name for name in (partner.tz, company.partner_id.tz) if name in pytz.all_timezones_set),
            None,
        ) or tz_name(self.env)
        local = pytz.utc.localize(moment).astimezone(pytz.timezone(tz))
        return local.date()

    @api.model
    def _create_from_moves(self, moves):
        """Warranties of the done customer deliveries ``moves``: one per serial/lot, else one per move."""
        moves = moves.filtered(
            lambda m: m.state == "done"
            and m.location_dest_id.usage == "customer"
            and m.location_id.usage != "customer"
            and not m.origin_returned_move_id
            and m.partner_id
            and m.product_id.type == "consu"
        )
        moves -= moves.filtered(lambda m: m.sudo().rma_id.kind not in (False, "exchange"))
        if not moves:
            return self.browse()
        takeover = self._exchange_takeover(moves.sudo().rma_id)
        existing = set(self.sudo().search([("move_id", "in", moves.ids)]).mapped(lambda w: (w.move_id.id, w.lot_id.id)))
        vals_list = []
        for company, company_moves in moves.grouped("company_id").items():
            months = self._warranty_months(company_moves.product_id, company)
            for move in company_moves:
                partner = move.sale_line_id.order_id.partner_id or move.partner_id or move.picking_id.partner_id
                partner = partner.commercial_partner_id
                start = self._delivery_date(move.date or fields.Datetime.now(), partner, company)
                common = {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "product_id": move.product_id.id,
                    "sale_line_id": move.sale_line_id.id,
                    "move_id": move.id,
                    "date_start": start,
                    "warranty_months": months[move.product_id],
                }
                common.update(takeover.get(move.sudo().rma_id, {}))
                lines = move.move_line_ids.filtered("lot_id")
                if lines:
                    for line in lines:
                        if (move.id, line.lot_id.id) not in existing:
                            vals_list.append(dict(common, lot_id=line.lot_id.id, quantity=line.quantity or 1.0))
                elif (move.id, False) not in existing and move.quantity > 0:
                    vals_list.append(dict(common, quantity=move.quantity))
        return self.sudo().create(vals_list).with_env(self.env)

    @api.model
    def _exchange_takeover(self, rmas):
        """Values a replacement shipped by an exchange inherits: the rest of the warranty the exchange voided
        (same start, same months), not a new full period. A repaired, reshipped or returned-to-customer unit
        goes back under the warranty it already has, so those deliveries make none (filtered above)."""
        voided = self.sudo().search([("void_rma_id", "in", rmas.filtered(lambda r: r.kind == "exchange").ids)])
        return {
            warranty.void_rma_id: {
                "partner_id": warranty.partner_id.id,
                "sale_line_id": warranty.sale_line_id.id,
                "date_start": warranty.date_start,
                "warranty_months": warranty.warranty_months,
            }
            for warranty in voided.sorted("id", reverse=True)
        }

    @api.model
    def _void_for_rmas(self, rmas):
        """End the warranty of what these return/exchange requests took back: voided with the reason and
        the request. Of an untracked line (or a lot) only the returned quantity ends; the rest stays."""
        Warranty = self.sudo()
        for rma in rmas.sudo().filtered("move_id"):
            move = rma.move_id
            todo = rma.product_uom._compute_quantity(rma.product_uom_qty, move.product_uom)
            if rma.kind == "exchange":
                reason = self.env._("Exchanged with %(rma)s: the replacement takes over the rest.", rma=rma.name)
            else:
                reason = self.env._("Returned with %(rma)s.", rma=rma.name)
            domain = [("move_id", "=", move.id), ("lot_id", "=", rma.lot_id.id), ("voided", "=", False)]
            for warranty in Warranty.search(domain, order="id"):
                if float_compare(todo, 0.0, precision_rounding=move.product_uom.rounding) <= 0:
                    break
                ended = warranty
                if float_compare(warranty.quantity, todo, precision_rounding=move.product_uom.rounding) > 0:
                    warranty.quantity -= todo
                    ended = warranty.copy({"quantity": todo})
                ended.write({"voided": True, "void_reason": reason, "void_rma_id": rma.id})
                todo -= ended.quantity

    @api.model
    def _find_for_service(self, partner, product, lot, company):
        """The warranty of ``product`` (serial ``lot`` when tracked) sold to ``partner``; the latest one first."""
        domain = [
            ("company_id", "=", company.id),
            ("partner_id", "=", partner.commercial_partner_id.id),
            ("product_id", "=", product.id),
            ("voided", "=", False),
        ]
        if lot:
            domain.append(("lot_id", "=", lot.id))
        return self.sudo().search(domain, order="date_end desc, id desc", limit=1).with_env(self.env)

    @api.model
    def _lookup_serial(self, serial, partner, company, product=None):
        """The warranty of serial number ``serial`` (of ``product`` when given) sold to ``partner``, or a
        clear error. The one check that a serial/lot was delivered to a customer: ticket lookups and
        after-sales requests both use it."""
        serial = (serial or "").strip()
        if not serial:
            raise UserError(self.env._("Enter the serial number to look up."))
        domain = [("lot_id.name", "=", serial), ("company_id", "=", company.id)]
        if product:
            domain.append(("product_id", "=", product.id))
        warranties = self.sudo().search(domain, order="date_end desc, id desc")
        if not warranties:
            raise UserError(self.env._("No delivered product has the serial number “%(serial)s”.", serial=serial))
        mine = warranties.filtered(lambda w: w.partner_id == partner.commercial_partner_id)
        if not partner or not mine:
            raise UserError(
                self.env._(
                    "The serial number “%(serial)s” was not sold to %(customer)s.",
                    serial=serial,
                    customer=partner.display_name or self.env._("this customer"),
                )
            )
        return mine[:1].with_env(self.env)

    # ------------------------------------------------------------------ actions
    def action_void(self):
        self.write({"voided": True})

    def action_unvoid(self):
        self.write({"voided": False, "void_reason": False})
        # the request link is not readable by every warranty manager: cleared with the reason it goes with
        self.sudo().void_rma_id = False
