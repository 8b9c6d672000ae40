from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_int_param
from odoo.exceptions import UserError

SERVICE_TYPES = [("repair", "Repair"), ("installation", "Installation")]
# 维修流程 (seeds §10.4): applied → scheduled (contact ≤ 2 working days) → dispatched (派工单) → in repair → repaired
REPAIR_PROGRESS = [
    ("applied", "Applied"),
    ("scheduled", "Appointment Made"),
    ("dispatched", "Technician Dispatched"),
    ("in_repair", "In Repair"),
    ("repaired", "Repaired"),
    ("cancelled", "Cancelled"),
]
# The seeds give no delay for the return visit after a repair without a ticket team: a setting (readme/CONFIGURE.md).
DEFAULT_REPAIR_FOLLOWUP_DAYS = 1
REPAIR_FOLLOWUP_DAYS_PARAM = "cs_aftersales.repair_followup_days"


class RepairOrder(models.Model):
    """Repairs and installations (维修 / 安装) of the service center on Odoo's repair orders.

    The customer's request is a ticket (its SLA policies measure the contact within 2 working days and the
    urgent 4-hour handling); the order adds the appointment, the technician dispatched (派工单), the spare parts
    consumed from stock (Odoo's parts lines), the warranty check, the fees of an out-of-warranty repair
    (cs_billing instead of Odoo's quotation: one monthly invoice per customer, waivers and dunning apply) and
    the return visit (回访) once repaired.
    """

    _inherit = "repair.order"

    cs_ticket_id = fields.Many2one(
        "cs.ticket", string="Ticket", index="btree_not_null", check_company=True, copy=False, tracking=True
    )
    cs_service_type = fields.Selection(
        SERVICE_TYPES, string="Service Type", required=True, default="repair", index=True, tracking=True
    )
    cs_warranty_id = fields.Many2one(
        "cs.warranty",
        string="Warranty",
        compute="_compute_cs_warranty_id",
        store=True,
        readonly=False,
        check_company=True,
        index="btree_not_null",
        help="Warranty of the serviced product or serial number for this customer, found when the product is set.",
    )
    # Odoo's field becomes computed from the warranty; the service staff can still tick or untick it
    under_warranty = fields.Boolean(compute="_compute_under_warranty", store=True, readonly=False, tracking=True)
    cs_technician_id = fields.Many2one(
        "res.users",
        string="Technician",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    cs_appointment_date = fields.Datetime(string="Appointment", tracking=True, copy=False)
    cs_contact_date = fields.Datetime(string="Customer Contacted On", readonly=True, copy=False)
    cs_dispatch_date = fields.Datetime(string="Dispatched On", readonly=True, copy=False)
    cs_done_date = fields.Datetime(string="Repaired On", readonly=True, copy=False)
    cs_service_address = fields.Text(
        string="Service Address",
        compute="_compute_cs_service_address",
        store=True,
        readonly=False,
        groups="cs_helpdesk.group_agent,stock.group_stock_user",
        help="Where the technician goes; the customer's address unless changed.",
    )
    cs_progress = fields.Selection(
        REPAIR_PROGRESS, string="Progress", compute="_compute_cs_progress", store=True, index=True
    )
    cs_fee_ids = fields.One2many(
        "cs.fee",
        "res_id",
        string="Service Fees",
        domain=[("res_model", "=", "repair.order")],
        readonly=True,
        groups="cs_helpdesk.group_agent,cs_billing.group_billing_user",
    )
    cs_fee_count = fields.Integer(string="Fee Count", compute="_compute_cs_fee_count", compute_sudo=True)
    cs_followup_ids = fields.One2many(
        "cs.followup",
        "res_id",
        string="Return Visits",
        domain=[("res_model", "=", "repair.order")],
        readonly=True,
        groups="cs_helpdesk.group_agent",
    )

    @api.depends("partner_id", "product_id", "lot_id")
    def _compute_cs_warranty_id(self):
        Warranty = self.env["cs.warranty"]
        for repair in self:
            repair.cs_warranty_id = (
                Warranty._find_for_service(repair.partner_id, repair.product_id, repair.lot_id, repair.company_id)
                if repair.product_id and repair.partner_id
                else False
            )

    @api.depends("cs_warranty_id.date_start", "cs_warranty_id.date_end")
    def _compute_under_warranty(self):
        for repair in self:
            # on the day the customer asked, so that the outcome of a finished repair never changes
            day = fields.Date.context_today(repair, repair.create_date) if repair.create_date else None
            repair.under_warranty = bool(repair.cs_warranty_id) and repair.cs_warranty_id._covers(day)

    @api.depends("partner_id")
    def _compute_cs_service_address(self):
        for repair in self:
            partner = repair.partner_id
            repair.cs_service_address = partner._display_address(without_company=True) if partner else False

    @api.depends("state", "cs_contact_date", "cs_dispatch_date")
    def _compute_cs_progress(self):
        for repair in self:
            if repair.state == "cancel":
                repair.cs_progress = "cancelled"
            elif repair.state == "done":
                repair.cs_progress = "repaired"
            elif repair.state == "under_repair":
                repair.cs_progress = "in_repair"
            elif repair.cs_dispatch_date:
                repair.cs_progress = "dispatched"
            elif repair.cs_contact_date:
                repair.cs_progress = "scheduled"
            else:
                repair.cs_progress = "applied"

    def _compute_cs_fee_count(self):
        groups = self.env["cs.fee"]._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
        )
        counts = dict(groups)
        for repair in self:
            repair.cs_fee_count = counts.get(repair.id, 0)

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        tickets = self.env["cs.ticket"].browse({vals["cs_ticket_id"] for vals in vals_list if vals.get("cs_ticket_id")})
        urgent = {ticket.id for ticket in tickets if ticket.priority == "3"}
        for vals in vals_list:
            if vals.get("cs_ticket_id") in urgent:
                vals.setdefault("priority", "1")
        repairs = super().create(vals_list)
        for repair in repairs.filtered("cs_technician_id"):
            repair.message_subscribe(partner_ids=repair.cs_technician_id.partner_id.ids)
        return repairs

    def write(self, vals):
        res = super().write(vals)
        if vals.get("cs_technician_id"):
            for repair in self:
                repair.message_subscribe(partner_ids=repair.cs_technician_id.partner_id.ids)
        return res

    # ------------------------------------------------------------------ actions
    def action_cs_record_contact(self):
        """The customer was contacted and an appointment agreed: the ticket's first response is reached."""
        for repair in self:
            if repair.state in ("done", "cancel"):
                raise UserError(self.env._("Repair %(repair)s is already finished.", repair=repair.name))
            if not repair.cs_appointment_date:
                raise UserError(
                    self.env._("Set the appointment agreed with the customer on %(repair)s first.", repair=repair.name)
                )
        now = fields.Datetime.now()
        self.write({"cs_contact_date": now})
        for repair in self:
            repair.schedule_date = repair.cs_appointment_date
            ticket = repair.cs_ticket_id.sudo()
            if ticket:
                # a phone call is the contact the SLA measures: the engine's own first-response hook records it
                ticket._cs_first_response(None)
                ticket.message_post(
                    body=self.env._(
                        "Customer contacted for %(repair)s: appointment on %(date)s.",
                        repair=repair.name,
                        date=fields.Datetime.to_string(repair.cs_appointment_date),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return True

    def action_cs_dispatch(self):
        """Dispatch the technician (派工): a to-do on the appointment date and the dispatch sheet."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for repair in self:
            if repair.state in ("done", "cancel"):
                raise UserError(self.env._("Repair %(repair)s is already finished.", repair=repair.name))
            if not repair.cs_technician_id or not repair.cs_appointment_date:
                raise UserError(
                    self.env._(
                        "Choose the technician and the appointment of %(repair)s before dispatching.",
                        repair=repair.name,
                    )
                )
        self.write({"cs_dispatch_date": fields.Datetime.now()})
        for repair in self:
            if not repair.cs_contact_date:
                repair.action_cs_record_contact()
            repair.activity_schedule(
                activity_type_id=todo.id,
                date_deadline=fields.Date.context_today(repair, repair.cs_appointment_date),
                summary=self.env._("Service visit: %(repair)s", repair=repair.name),
                user_id=repair.cs_technician_id.id,
            )
        return True

    def action_cs_print_dispatch(self):
        return self.env.ref("cs_aftersales.action_report_repair_dispatch").report_action(self)

    def action_cs_create_fees(self):
        """Charge an out-of-warranty repair: its parts and the service fee standard, as draft cs_billing fees."""
        for repair in self:
            if repair.under_warranty:
                raise UserError(
                    self.env._("%(repair)s is under warranty: the customer is not charged.", repair=repair.name)
                )
            if repair.sale_order_id:
                raise UserError(
                    self.env._(
                        "%(repair)s is already charged by the quotation %(order)s.",
                        repair=repair.name,
                        order=repair.sale_order_id.name,
                    )
                )
            if repair.cs_fee_ids.filtered(lambda fee: fee.state != "cancelled"):
                raise UserError(self.env._("%(repair)s already has its fees.", repair=repair.name))
        fees = self._cs_create_fees()
        if not fees:
            raise UserError(self.env._("Nothing to charge: no parts and no matching fee standard."))
        return self.action_cs_view_fees()

    def action_cs_view_fees(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_billing.cs_fee_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        action["context"] = {"create": False}
        return action

    def action_create_sale_order(self):
        charged = self.filtered(lambda repair: repair.cs_fee_ids.filtered(lambda fee: fee.state != "cancelled"))
        if charged:
            raise UserError(
                self.env._(
                    "%(repairs)s are charged by service fees already: cancel them before making a quotation.",
                    repairs=", ".join(charged.mapped("name")),
                )
            )
        return super().action_create_sale_order()

    def action_repair_done(self):
        res = super().action_repair_done()
        self.write({"cs_done_date": fields.Datetime.now()})
        # the technician who ends the repair need not read fees: the check and the drafts are the system's
        to_charge = self.sudo().filtered(
            lambda r: not r.under_warranty
            and not r.sale_order_id
            and not r.cs_fee_ids.filtered(lambda fee: fee.state != "cancelled")
        )
        to_charge.with_env(self.env)._cs_create_fees()
        self._cs_plan_followups()
        self._cs_resolve_tickets()
        return res

    # ------------------------------------------------------------------ business
    def _cs_fee_rules(self):
        """Fee standards of the service itself (labour, on-site visit) for this out-of-warranty order."""
        self.ensure_one()
        fee_type = "installation" if self.cs_service_type == "installation" else "repair"
        rules = self.env["cs.fee.rule"]._match(
            ticket=self.cs_ticket_id or None,
            product=self.product_id or None,
            warranty_status="out_of_warranty",
            partner=self.partner_id,
            company=self.company_id,
        )
        return rules.filtered(lambda rule: rule.fee_type == fee_type)[:1]

    def _cs_create_fees(self):
        """Draft fees for the parts added and the service fee standard; the agent confirms them.

        As superuser: the technician who ends a repair is a stock user, not a billing user; the fees stay
        drafts until an agent or a billing user confirms them.
        """
        Fee = self.env["cs.fee"].sudo()
        fees = Fee.browse()
        for repair in self:
            common = {"warranty_status": "out_of_warranty", "user_id": self.env.uid}
            if repair.cs_ticket_id:
                common["ticket_id"] = repair.cs_ticket_id.id
            for move in repair.move_ids.filtered(lambda m: m.repair_line_type == "add" and m.state != "cancel"):
                quantity = move.quantity if move.state == "done" else move.product_uom_qty
                if quantity <= 0 or move.product_id.lst_price <= 0:
                    continue
                qty = move.product_uom._compute_quantity(quantity, move.product_id.uom_id)
                fees |= Fee._create_from_source(repair, move.product_id, quantity=qty, **common)
            rule = repair._cs_fee_rules()
            if rule and rule.product_id.lst_price > 0:
                fees |= Fee._create_from_source(repair, rule, **common)
        return fees.with_env(self.env)

    def _cs_plan_followups(self):
        """Plan the return visit (回访) of each repaired order through cs_helpdesk's return visits.

        A repair from a ticket is visited as the ticket's visit (the ticket's team sets the delay), so
        resolving the ticket does not plan a second one; a repair without ticket is a visit on the order.
        """
        default_days = get_int_param(self.env, REPAIR_FOLLOWUP_DAYS_PARAM, DEFAULT_REPAIR_FOLLOWUP_DAYS)
        now = fields.Datetime.now()
        vals_list = []
        for repair in self.filtered("partner_id"):
            ticket = repair.cs_ticket_id
            days = ticket.team_id.followup_delay_days if ticket.team_id else default_days
            vals = {
                "company_id": repair.company_id.id,
                "partner_id": repair.partner_id.id,
                "user_id": (ticket.user_id or repair.user_id or self.env.user).id,
                "method": ticket.team_id.followup_method or "phone",
                "date_planned": fields.Datetime.add(now, days=days),
                "res_model": repair._name,
                "res_id": repair.id,
            }
            if ticket:
                vals.update(ticket_id=ticket.id)
            else:
                vals.update(
                    source="other",
                    name=self.env._("Return visit: %(repair)s", repair=repair.name),
                )
            vals_list.append(vals)
        return self.env["cs.followup"].sudo().create(vals_list)

    def _cs_resolve_tickets(self):
        """A ticket whose repairs are all finished is resolved: its resolution SLA (urgent 4 hours) is reached."""
        tickets = self.cs_ticket_id.sudo().filtered(lambda t: not (t.is_resolved or t.is_closed))
        for ticket in tickets:
            if any(r.state not in ("done", "cancel") for r in ticket.cs_repair_ids):
                continue
            stage = ticket._cs_resolved_stage()
            if stage:
                ticket.stage_id = stage
