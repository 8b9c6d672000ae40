from odoo import api, fields, models
from odoo.exceptions import UserError

from .cs_aftersales_reason import REASON_TYPES


class Rma(models.Model):
    _inherit = "rma"  # pylint: disable=consider-merging-classes-inherited

    reason_type = fields.Selection(
        REASON_TYPES,
        compute="_compute_reason_type",
        store=True,
        readonly=False,
        tracking=True,
        help="Quality problems are shipped back at the company's cost; non-quality returns at the customer's "
        "when the policy says so.",
    )
    reason_id = fields.Many2one("cs.aftersales.reason", string="Reason Code", tracking=True)
    evidence_attachment_ids = fields.Many2many(
        "ir.attachment", "rma_evidence_attachment_rel", "rma_id", "attachment_id", string="Evidence Photos"
    )
    fee_ids = fields.One2many(
        "cs.fee", "res_id", string="Fees", domain=[("res_model", "=", "rma")], readonly=True, copy=False
    )
    customer_tracking_ref = fields.Char(
        string="Return Tracking Number",
        copy=False,
        tracking=True,
        help="Carrier tracking number of the parcel " "the customer ships back.",
    )
    return_address_id = fields.Many2one(
        "res.partner", string="Return Address", compute="_compute_return_address_id", compute_sudo=True
    )

    @api.depends("reason_id")
    def _compute_reason_type(self):
        for rma in self.filtered("reason_id"):
            rma.reason_type = rma.reason_id.reason_type

    @api.depends("policy_id", "warehouse_id")
    def _compute_return_address_id(self):
        for rma in self:
            rma.return_address_id = rma.policy_id.return_address_id or rma.warehouse_id.partner_id

    def action_confirm(self):
        todo = self.filtered(lambda r: r.state == "draft")
        todo._cs_check_eligibility()
        todo._cs_check_reason()
        res = super().action_confirm()
        approved = todo.filtered(lambda r: r.state == "confirmed")
        approved._cs_create_fees()
        approved.filtered("kind")._cs_notify("cs_aftersales.mail_template_rma_approved")
        return res

    def _cs_notify(self, template_xmlid):
        """Email the customer at each step (subtype RMA notification, which customers follow)."""
        for rma in self.filtered("partner_id"):
            rma._add_message_subscribe_partner()
            rma.message_post_with_source(template_xmlid, subtype_xmlid="rma.mt_rma_notification")

    def _cs_check_reason(self):
        for rma in self.filtered("kind"):
            if rma.kind in ("return", "exchange") and not rma.reason_type:
                raise UserError(
                    self.env._("%(rma)s: say whether it is a quality problem or not.", rma=rma.display_name)
                )
            if rma.reason_id.evidence_required and not rma.evidence_attachment_ids:
                raise UserError(
                    self.env._(
                        "%(rma)s: the reason %(reason)s needs at least one evidence photo.",
                        rma=rma.display_name,
                        reason=rma.reason_id.name,
                    )
                )

    def _cs_create_fees(self):
        """Non-quality returns and exchanges: the customer pays the return shipping (seeds §3.2) and the
        optional restocking/service fee, as cs_billing fees on the request."""
        Fee = self.env["cs.fee"].sudo()
        for rma in self.filtered(lambda r: r.kind in ("return", "exchange") and r.reason_type == "non_quality"):
            policy = rma.policy_id
            rules = policy.service_fee_rule_id
            if policy.non_quality_shipping_bearer == "customer":
                rules = policy.shipping_fee_rule_id | rules
            for rule in rules:
                Fee._create_from_source(rma, rule, partner_id=rma.partner_invoice_id.id or rma.partner_id.id)

    def action_cancel(self):
        received = self.filtered(lambda r: r.kind and r.reception_move_id.state == "done")
        if received:
            raise UserError(
                self.env._(
                    "%(rmas)s: the goods were already received; the request can no longer be cancelled.",
                    rmas=", ".join(received.mapped("name")),
                )
            )
        # Cancelling a request cancels its pending receipt: agents may do that without stock rights.
        self.check_access("write")
        return super(Rma, self.sudo()).action_cancel()

    def action_cs_set_tracking(self, tracking_ref):
        """The customer (portal) or an agent records the return parcel's tracking number once approved."""
        self.ensure_one()
        tracking_ref = (tracking_ref or "").strip()
        if self.state != "confirmed":
            raise UserError(self.env._("The tracking number can be entered once the request is approved."))
        if not tracking_ref:
            raise UserError(self.env._("Enter the tracking number of the parcel."))
        self.sudo().customer_tracking_ref = tracking_ref[:64]

    def action_cs_open_override(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override the After-sales Policy"),
            "res_model": "cs.aftersales.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rma_ids": self.ids},
        }

    def action_cs_open_negotiation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Negotiation Outcome"),
            "res_model": "cs.aftersales.negotiation.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rma_id": self.id},
        }

    def _cs_open_ticket(self):
        """An after-sales ticket per request without one, so cs_helpdesk's return/exchange SLA applies."""
        Ticket = self.env["cs.ticket"].sudo()
        for rma in self.filtered(lambda r: r.kind and not r.ticket_id):
            ticket = Ticket.create(rma._cs_ticket_values())
            rma.sudo().ticket_id = ticket

    def _cs_kind_label(self):
        return dict(self._fields["kind"]._description_selection(self.env)).get(self.kind, "")

    def _cs_ticket_values(self):
        self.ensure_one()
        values = {
            "name": self.env._("%(kind)s request %(rma)s", kind=self._cs_kind_label(), rma=self.name),
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
        }
        for field, xmlid in (
            ("type_id", "cs_helpdesk.type_aftersales"),
            ("category_id", "cs_helpdesk.category_return_exchange"),
        ):
            record = self.env.ref(xmlid, raise_if_not_found=False)
            if record:
                values[field] = record.id
        return values
