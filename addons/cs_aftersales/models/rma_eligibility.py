import pytz
from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import tz_name
from odoo.exceptions import AccessError, UserError

# Kinds asked within a window counted from the delivery date: returns and exchanges (seeds §3.2), and
# reship / missing part (补发) with its own policy window.
WINDOW_KINDS = ("return", "exchange", "reship")
WINDOW_DAYS_FIELDS = {"return": "return_days", "exchange": "exchange_days", "reship": "reship_days"}
OVERRIDE_FIELDS = ("override_reason", "override_user_id", "override_date")


def customer_tz(env, partner):
    """The customer's time zone: theirs, else their company's, else the kit's fallback (never hard-coded)."""
    for candidate in (partner.tz, partner.commercial_partner_id.tz, env.company.partner_id.tz):
        if candidate and candidate in pytz.all_timezones_set:
            return candidate
    return tz_name(env)


def local_date(utc_datetime, tz):
    return pytz.utc.localize(utc_datetime).astimezone(pytz.timezone(tz)).date()


class Rma(models.Model):
    _inherit = "rma"  # pylint: disable=consider-merging-classes-inherited

    policy_id = fields.Many2one(
        "cs.aftersales.policy", string="After-sales Policy", compute="_compute_eligibility", compute_sudo=True
    )
    delivery_date = fields.Date(
        string="Received On",
        compute="_compute_eligibility",
        compute_sudo=True,
        help="Date the customer received the goods, in the customer's time zone.",
    )
    eligible = fields.Boolean(compute="_compute_eligibility", compute_sudo=True)
    eligibility_note = fields.Char(string="Eligibility", compute="_compute_eligibility", compute_sudo=True)
    override_reason = fields.Text(readonly=True, copy=False, tracking=True)
    override_user_id = fields.Many2one("res.users", string="Overridden By", readonly=True, copy=False)
    override_date = fields.Datetime(string="Overridden On", readonly=True, copy=False)

    @api.depends("kind", "date", "product_id", "company_id", "partner_id.tz", "picking_id.date_done", "order_id")
    def _compute_eligibility(self):
        policies = {}
        for company in self.company_id:
            records = self.filtered(lambda r, c=company: r.company_id == c)
            policies.update(
                {
                    (company, product): policy
                    for product, policy in self.env["cs.aftersales.policy"]
                    ._find_for_products(records.product_id, company)
                    .items()
                }
            )
        for rma in self:
            policy = policies.get((rma.company_id, rma.product_id), self.env["cs.aftersales.policy"])
            rma.policy_id = policy
            rma.delivery_date = False
            rma.eligible, rma.eligibility_note = rma._cs_eligibility(policy)

    def _cs_eligibility(self, policy):
        """(eligible, readable reason) of this request under ``policy``.

        Lenient where the suite has no say: requests without a kind or a policy follow plain OCA RMA.
        """
        self.ensure_one()
        if self.kind not in WINDOW_KINDS:
            return True, False
        delivered_at = self.picking_id.date_done if self.picking_id.state == "done" else False
        if not delivered_at:
            return False, self.env._("Not delivered yet: a return or exchange needs the goods to be received first.")
        if not policy:
            return True, self.env._("No after-sales policy applies to this product: no window is enforced.")
        tz = customer_tz(self.env, self.partner_id)
        self.delivery_date = local_date(delivered_at, tz)
        day = (local_date(self.date, tz) - self.delivery_date).days
        return self._cs_window_verdict(day, policy)

    def _cs_window_verdict(self, day, policy):
        days = policy[WINDOW_DAYS_FIELDS[self.kind]]
        if day <= days:
            return True, self.env._(
                "Day %(day)s after receipt, within the %(days)s-day %(window)s window",
                day=day,
                days=days,
                window=self._cs_window_name(),
            )
        return False, self.env._(
            "Day %(day)s after receipt, beyond the %(days)s-day %(window)s window",
            day=day,
            days=days,
            window=self._cs_window_name(),
        )

    def _cs_window_name(self):
        if self.kind == "reship":
            return self.env._("reship")
        return self.env._("exchange") if self.kind == "exchange" else self.env._("return")

    def _cs_check_eligibility(self):
        """Block the requests a policy rejects unless a manager overrode; never the undelivered ones."""
        for rma in self.filtered(lambda r: r.kind in WINDOW_KINDS):
            if rma.eligible or (rma.override_reason and rma.picking_id.state == "done"):
                continue
            if rma.picking_id.state != "done":
                raise UserError(self.env._("%(rma)s: %(note)s", rma=rma.display_name, note=rma.eligibility_note))
            raise UserError(
                self.env._(
                    "%(rma)s: %(note)s. Only an RMA manager can override the policy, with a reason.",
                    rma=rma.display_name,
                    note=rma.eligibility_note,
                )
            )

    def _cs_override_eligibility(self, reason):
        if not self.env.user.has_group("rma.rma_group_manager"):
            raise AccessError(self.env._("Only an RMA manager can override the after-sales policy."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for overriding the after-sales policy."))
        self.sudo().write(
            {
                "override_reason": reason.strip(),
                "override_user_id": self.env.uid,
                "override_date": fields.Datetime.now(),
            }
        )

    def write(self, vals):
        if any(f in vals for f in OVERRIDE_FIELDS) and not self.env.su:
            raise AccessError(self.env._("The policy override is recorded through the override button only."))
        return super().write(vals)
