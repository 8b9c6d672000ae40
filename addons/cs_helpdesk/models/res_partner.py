import calendar
from collections import defaultdict

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import format_list

from .base import AGENT
from .cs_selections import CONTACT_METHODS
from .cs_settings import get_bool_param, get_int_param, get_record_param, recipient_lang
from .res_config_settings import (
    DEFAULT_SEGMENT_ACTIVE_ORDERS,
    DEFAULT_SEGMENT_CHURN_DAYS,
    DEFAULT_SEGMENT_DORMANT_DAYS,
)

# the partner fields mail sends to the web client when it asks for none (mail's res.partner._to_store)
CS_STORE_PARTNER_FIELDS = ["active", "avatar_128", "email", "im_status", "is_company", "name", "user"]
# lifecycle segments 新客户 / 活跃客户 / 沉睡客户 / 流失客户, thresholds in Settings (readme/CONFIGURE.md)
SEGMENTS = [
    ("new", "New Customer"),
    ("active", "Active Customer"),
    ("dormant", "Dormant Customer"),
    ("churned", "Churned Customer"),
]


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "cs.batch.cron.mixin"]

    cs_ticket_ids = fields.One2many("cs.ticket", "partner_id", string="Tickets")
    cs_ticket_count = fields.Integer(string="Ticket Count", compute="_compute_cs_ticket_count")
    # customer profile (客户档案): personal details, interests and consent used for care and return visits
    cs_vip_level_id = fields.Many2one(
        "cs.vip.level", string="VIP Level", tracking=True, index="btree_not_null", ondelete="restrict"
    )
    cs_segment = fields.Selection(
        SEGMENTS,
        string="Lifecycle Segment",
        readonly=True,
        copy=False,
        index=True,
        help="Recomputed every night from purchases and contacts with the thresholds set in Settings.",
    )
    cs_segment_date = fields.Date(string="Segment Updated On", readonly=True, copy=False)
    cs_preferred_contact = fields.Selection(CONTACT_METHODS, string="Preferred Contact Method", groups=AGENT)
    cs_birthday = fields.Date(string="Birthday", copy=False, groups=AGENT)
    cs_occupation = fields.Char(string="Occupation", groups=AGENT)
    cs_interests = fields.Char(
        string="Interests", groups=AGENT, help="Hobbies and interests, to personalise care messages."
    )
    # consent: no care or marketing message without it
    cs_consent_care = fields.Boolean(
        string="Care Messages Consent",
        tracking=True,
        copy=False,
        groups=AGENT,
        help="The customer agreed to receive birthday and holiday greetings.",
    )
    cs_consent_care_date = fields.Datetime(
        string="Care Consent Given On",
        compute="_compute_cs_consent_care_date",
        store=True,
        copy=False,
        groups=AGENT,
    )
    cs_consent_marketing = fields.Boolean(
        string="Marketing Consent",
        tracking=True,
        copy=False,
        groups=AGENT,
        help="The customer agreed to receive news, product updates and offers.",
    )
    cs_consent_marketing_date = fields.Datetime(
        string="Marketing Consent Given On",
        compute="_compute_cs_consent_marketing_date",
        store=True,
        copy=False,
        groups=AGENT,
    )
    cs_last_care_date = fields.Date(string="Last Care Activity On", readonly=True, copy=False, groups=AGENT)
    # payment and identity data: hidden from agents and analysts (group Payment and Identity Data, readme/CONFIGURE.md)
    cs_id_number = fields.Char(string="ID Number", copy=False, groups="cs_helpdesk.group_sensitive_data")
    # service summary
    cs_complaint_count = fields.Integer(string="Complaints", compute="_compute_cs_service_summary", groups=AGENT)
    cs_feedback_count = fields.Integer(string="Feedback Count", compute="_compute_cs_service_summary", groups=AGENT)
    cs_rating_count = fields.Integer(string="Rating Count", compute="_compute_cs_service_summary", groups=AGENT)
    cs_rating_avg = fields.Float(
        string="Average Rating",
        compute="_compute_cs_service_summary",
        digits=(3, 2),
        groups=AGENT,
        help="Average of the satisfaction ratings the customer gave on tickets.",
    )

    def _compute_cs_ticket_count(self):
        groups = self.env["cs.ticket"]._read_group(
            [("partner_id", "child_of", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.cs_ticket_count = sum(
                count for pid, count in counts.items() if pid in (partner | partner.child_ids).ids
            )

    @api.depends("cs_consent_care")
    def _compute_cs_consent_care_date(self):
        now = fields.Datetime.now()
        for partner in self:
            if not partner.cs_consent_care:
                partner.cs_consent_care_date = False
            elif not partner.cs_consent_care_date:
                partner.cs_consent_care_date = now

    @api.depends("cs_consent_marketing")
    def _compute_cs_consent_marketing_date(self):
        now = fields.Datetime.now()
        for partner in self:
            if not partner.cs_consent_marketing:
                partner.cs_consent_marketing_date = False
            elif not partner.cs_consent_marketing_date:
                partner.cs_consent_marketing_date = now

    def _compute_cs_service_summary(self):
        """Complaints, feedback and ratings of each partner's commercial entity, as the smart buttons show."""
        commercial_ids = self.commercial_partner_id.ids
        complaints, feedback, rating_sum, rating_count = (defaultdict(int) for _i in range(4))
        for partner, count in self.env["cs.ticket"]._read_group(
            [("partner_id.commercial_partner_id", "in", commercial_ids), ("type_id.code", "=", "complaint")],
            ["partner_id"],
            ["__count"],
        ):
            complaints[partner.commercial_partner_id.id] += count
        for partner, count in self.env["cs.feedback"]._read_group(
            [("partner_id.commercial_partner_id", "in", commercial_ids)], ["partner_id"], ["__count"]
        ):
            feedback[partner.commercial_partner_id.id] += count
        # ratings are customers' answers about tickets they can see: summed, never shown one by one here
        for partner, total, count in (
            self.env["rating.rating"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "cs.ticket"),
                    ("partner_id.commercial_partner_id", "in", commercial_ids),
                    ("consumed", "=", True),
                    ("rating", ">", 0),
                ],
                ["partner_id"],
                ["rating:sum", "__count"],
            )
        ):
            rating_sum[partner.commercial_partner_id.id] += total
            rating_count[partner.commercial_partner_id.id] += count
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.cs_complaint_count = complaints[key]
            partner.cs_feedback_count = feedback[key]
            partner.cs_rating_count = rating_count[key]
            partner.cs_rating_avg = rating_sum[key] / rating_count[key] if rating_count[key] else 0.0

    def action_view_cs_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_ticket_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_cs_complaints(self):
        action = self.action_view_cs_tickets()
        action["domain"] += [("type_id.code", "=", "complaint")]
        action["context"] = dict(action["context"], search_default_open=0)
        return action

    def action_view_cs_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_feedback_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_cs_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rating.rating_rating_action")
        action["domain"] = [
            ("res_model", "=", "cs.ticket"),
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("consumed", "=", True),
        ]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------ privacy (see base.py)
    def _cs_has_customer_data(self):
        # sudo: res.partner - whether a contact is a customer's or a colleague's decides what is shown
        return any(partner.partner_share for partner in self.sudo())

    @api.model
    def _search_display_name(self, operator, value):
        """Data analysts find customers by name, never by an email they may not read."""
        if self._cs_contact_read_restricted():
            contact = self._cs_contact_field_names()
            names = [name for name in self._rec_names_search if name not in contact]
            domains = [[(name, operator, value)] for name in names]
            negative = operator in expression.NEGATIVE_TERM_OPERATORS
            return expression.AND(domains) if negative else expression.OR(domains)
        return super()._search_display_name(operator, value)

    def _compute_display_name(self):
        if (self.env.context.get("show_email") or self.env.context.get("show_address")) and (
            self._cs_contact_read_restricted()
        ):
            self.check_field_access_rights("read", ["email", "street"])
        return super()._compute_display_name()

    def _to_store(self, store, /, *, fields=None, **kwargs):
        """Chatter and avatar cards: no customer's email for data analysts."""
        if self._cs_contact_read_restricted(even_sudo=True) and self._cs_has_customer_data():
            fields = [name for name in fields or CS_STORE_PARTNER_FIELDS if name not in self._cs_contact_field_names()]
        return super()._to_store(store, fields=fields, **kwargs)

    # ------------------------------------------------------------------ lifecycle segments
    @api.model
    def _cs_customer_domain(self):
        """Customers whose lifecycle is followed: commercial entities outside the company and its staff."""
        company_partners = self.env["res.company"].sudo().with_context(active_test=False).search([]).partner_id
        return [("parent_id", "=", False), ("partner_share", "=", True), ("id", "not in", company_partners.ids)]

    def _cs_purchase_stats(self):
        """Purchases of these partners as ``[(partner, count, amount, last date)]``.

        Confirmed sales orders when Sales is installed, otherwise won opportunities. Addons that
        know other purchases (marketplace orders, …) override this.
        """
        if "sale.order" in self.env:
            return (
                self.env["sale.order"]
                .sudo()
                ._read_group(
                    [("partner_id", "in", self.ids), ("state", "=", "sale")],
                    ["partner_id"],
                    ["__count", "amount_total:sum", "date_order:max"],
                )
            )
        return (
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.ids), ("stage_id.is_won", "=", True)],
                ["partner_id"],
                ["__count", "expected_revenue:sum", "date_closed:max"],
            )
        )

    def _cs_customer_activity(self, with_tickets=True):
        """Activity of these commercial partners and their contacts.

        :return: ``{commercial partner id: {"orders": int, "amount": float, "last": date}}``,
            only for partners with a purchase (or a ticket when ``with_tickets``)
        """
        members = self.with_context(active_test=False).search([("commercial_partner_id", "in", self.ids)])
        commercial_of = {member.id: member.commercial_partner_id.id for member in members}
        stats = {}

        def add(member_id, moment, orders=0, amount=0.0):
            entry = stats.setdefault(commercial_of[member_id], {"orders": 0, "amount": 0.0, "last": None})
            entry["orders"] += orders
            entry["amount"] += amount or 0.0
            day = fields.Date.to_date(moment) if moment else None
            if day and (entry["last"] is None or day > entry["last"]):
                entry["last"] = day

        for partner, count, amount, last in members._cs_purchase_stats():
            add(partner.id, last, count, amount)
        if with_tickets:
            for partner, last in (
                self.env["cs.ticket"]
                .sudo()
                .with_context(active_test=False)
                ._read_group([("partner_id", "in", members.ids)], ["partner_id"], ["create_date:max"])
            ):
                add(partner.id, last)
        return stats

    @api.model
    def _cs_segment_for(self, activity, today, dormant_days, churn_days, active_orders):
        """Segment of a customer with ``activity`` (see ``_cs_customer_activity``) on ``today``.

        Idle for ``churn_days``: churned; for ``dormant_days``: dormant; otherwise active from
        ``active_orders`` purchases (a repeat customer), new below. No activity: no segment.
        """
        if not activity or not activity["last"]:
            return False
        idle_days = (today - activity["last"]).days
        if idle_days >= churn_days:
            return "churned"
        if idle_days >= dormant_days:
            return "dormant"
        return "active" if activity["orders"] >= active_orders else "new"

    def _cs_update_segments(self, today):
        """Recompute segment (and, when enabled, upgrade the VIP level) of these commercial partners."""
        env = self.env
        dormant_days = get_int_param(env, "cs_helpdesk.segment_dormant_days", DEFAULT_SEGMENT_DORMANT_DAYS, minimum=1)
        churn_days = max(
            get_int_param(env, "cs_helpdesk.segment_churn_days", DEFAULT_SEGMENT_CHURN_DAYS, minimum=1), dormant_days
        )
        active_orders = get_int_param(
            env, "cs_helpdesk.segment_active_orders", DEFAULT_SEGMENT_ACTIVE_ORDERS, minimum=1
        )
        activity = self._cs_customer_activity(
            with_tickets=not get_bool_param(env, "cs_helpdesk.segment_ignore_tickets")
        )
        levels = env["cs.vip.level"].search([]) if get_bool_param(env, "cs_helpdesk.vip_auto_assign") else None
        rank = {level.id: index for index, level in enumerate(levels or [])}
        groups = defaultdict(lambda: self.browse())
        for partner in self:
            stats = activity.get(partner.id)
            segment = self._cs_segment_for(stats, today, dormant_days, churn_days, active_orders)
            level = partner.cs_vip_level_id
            if levels and stats:
                best = levels._best_for(stats["orders"], stats["amount"], levels)
                if best and rank[best.id] > rank.get(level.id, -1):
                    level = best
            groups[segment, level.id if level != partner.cs_vip_level_id else None] |= partner
        for (segment, level_id), partners in groups.items():
            values = {"cs_segment": segment, "cs_segment_date": today}
            if level_id:
                values["cs_vip_level_id"] = level_id
            partners.write(values)

    @api.model
    def _cron_update_cs_segments(self, batch_size=1000):
        """Daily: the lifecycle segment depends on time, so it is recomputed in batches, one per call."""
        today = fields.Date.context_today(self)
        domain = self._cs_customer_domain() + ["|", ("cs_segment_date", "=", False), ("cs_segment_date", "<", today)]
        return self._cs_run_batch(
            domain,
            lambda partners: partners._cs_update_segments(today),
            "cs_helpdesk.ir_cron_cs_customer_segments",
            batch_size=batch_size,
        )

    # ------------------------------------------------------------------ care (客户关怀)
    @api.model
    def _cs_birthday_domain(self, day):
        domain = ["&", ("cs_birthday.month_number", "=", day.month), ("cs_birthday.day_of_month", "=", day.day)]
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):  # 29 February birthdays
            domain = ["|", *domain, "&", ("cs_birthday.month_number", "=", 2), ("cs_birthday.day_of_month", "=", 29)]
        return domain

    @api.model
    def _cs_care_domain(self, day, holidays):
        """Consenting customers not yet greeted on ``day``: all of them on a holiday, else those born that day."""
        domain = [
            ("cs_consent_care", "=", True),
            ("partner_share", "=", True),
            "|",
            ("cs_last_care_date", "=", False),
            ("cs_last_care_date", "<", day),
        ]
        return domain if holidays else domain + self._cs_birthday_domain(day)

    def _cs_schedule_care(self, day, holidays):
        """One greeting activity per customer, for their salesperson or the care responsible, in one batch."""
        care_type = self.env.ref("cs_helpdesk.mail_activity_type_cs_care")
        fallback = get_record_param(self.env, "cs_helpdesk.care_user_id", "res.users") or self.env.user
        model_id = self.env["ir.model"]._get_id(self._name)
        common_year_feb_28 = day.month == 2 and day.day == 28 and not calendar.isleap(day.year)
        birthdays = self.filtered(
            lambda p: p.cs_birthday
            and (
                (p.cs_birthday.month, p.cs_birthday.day) == (day.month, day.day)
                or common_year_feb_28
                and (p.cs_birthday.month, p.cs_birthday.day) == (2, 29)
            )
        )
        envs, methods = {}, {}
        vals_list = []
        for partner in self:
            user = partner.user_id if partner.user_id and not partner.user_id.share else fallback
            # written for the user who greets the customer, in that user's language (the cron runs as OdooBot)
            lang = recipient_lang(self.env, user)
            if lang not in envs:
                envs[lang] = self.with_context(lang=lang).env
                methods[lang] = dict(self._fields["cs_preferred_contact"]._description_selection(envs[lang]))
            env = envs[lang]
            occasions = [holiday.name for holiday in holidays.with_env(env)]
            lines = [holiday.greeting for holiday in holidays.with_env(env) if holiday.greeting]
            if partner in birthdays:
                occasions.insert(0, env._("Birthday"))
            method = methods[lang].get(partner.cs_preferred_contact) or env._("their usual channel")
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": care_type.id,
                    "user_id": user.id,
                    "date_deadline": day,
                    "summary": env._("Greeting: %(occasions)s", occasions=format_list(env, occasions)),
                    "note": env._(
                        "Send %(name)s a greeting by %(method)s. %(lines)s",
                        name=partner.name,
                        method=method,
                        lines=" ".join(lines),
                    ),
                }
            )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)
        self.write({"cs_last_care_date": day})

    @api.model
    def _cron_schedule_cs_care(self, batch_size=1000):
        """Daily: birthday and holiday greeting activities, for customers who consented only."""
        today = fields.Date.context_today(self)
        holidays = self.env["cs.care.holiday"]._for_date(today)
        domain = self._cs_care_domain(today, holidays)
        return self._cs_run_batch(
            domain,
            lambda partners: partners._cs_schedule_care(today, holidays),
            "cs_helpdesk.ir_cron_cs_customer_care",
            batch_size=batch_size,
        )
