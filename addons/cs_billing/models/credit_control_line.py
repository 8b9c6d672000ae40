from collections import defaultdict

from odoo import api, fields, models
from odoo.models import MAGIC_COLUMNS
from odoo.tools import SQL

CALL_RESULTS = [
    ("promised", "Promised to Pay"),
    ("paid_claimed", "Says Already Paid"),
    ("dispute", "Disputes the Amount"),
    ("no_answer", "No Answer"),
    ("refused", "Refuses to Pay"),
    ("wrong_contact", "Wrong Contact"),
]


def insert_records(model, vals_list):
    """Create records of ``model`` from ``vals_list`` with one ``INSERT … SELECT unnest(…)``.

    Why not ``create``: the daily arrears run creates tens of thousands of reminder lines and call
    activities at once, and the ORM's per-record work (defaults, cache and inverse updates, the
    recomputation of stored related fields whose values are given anyway) was most of its time
    (bench/bench_arrears.py). Only for plain values the ORM would store as they are: every field
    a stored column (no translation, no company-dependent or x2many value) and every stored
    computed field given. Returns None otherwise, and the caller uses ``create``.

    What ``create`` guarantees is kept: the model's create access and record rules on the new
    records (AccessError, the transaction rolls back), constraints, defaults, the recomputation
    of fields of other records that depend on the new ones, and the caches of inverse fields.
    There is no chatter: callers log and subscribe in batch what their records need.
    """
    model = model.browse()
    model.check_access("create")
    if model._inherits or model._parent_store:
        return None
    names = set().union(*vals_list)
    fields_ = model._fields
    if any(
        field is None or not field.store or not field.column_type or field.translate or field.company_dependent
        for field in map(fields_.get, names)
    ):
        return None  # the ORM raises on an unknown field
    missing = [
        name
        for name, field in fields_.items()
        if field.store and field.column_type and name not in names and name not in MAGIC_COLUMNS
    ]
    if any(fields_[name].compute for name in missing):
        return None
    defaults = model.default_get(missing)
    columns = sorted(names | set(defaults))
    required = [name for name in columns if fields_[name].required and fields_[name].type != "boolean"]
    if any(vals.get(name, defaults.get(name)) in (None, False) for vals in vals_list for name in required):
        return None  # the ORM says which value is missing
    values = {
        name: [
            fields_[name].convert_to_column_insert(vals.get(name, defaults.get(name)), model, vals)
            for vals in vals_list
        ]
        for name in columns
    }
    now = model.env.cr.now()
    values.update(
        create_uid=[model.env.uid] * len(vals_list),
        write_uid=[model.env.uid] * len(vals_list),
        create_date=[now] * len(vals_list),
        write_date=[now] * len(vals_list),
    )
    model.env.flush_all()
    model.env.cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT * FROM unnest(%s) RETURNING id",
            SQL.identifier(model._table),
            SQL(", ").join(SQL.identifier(name) for name in values),
            SQL(", ").join(
                SQL("%s::%s[]", column, SQL(fields_[name].column_type[1])) for name, column in values.items()
            ),
        )
    )
    records = model.browse(row[0] for row in model.env.cr.fetchall())
    for name in columns:
        for inverse in model.pool.field_inverses[fields_[name]]:
            model.env[inverse.model_name].invalidate_model([inverse.name], flush=False)
    computed = [fields_[name] for name in columns if fields_[name].compute]
    with model.env.protecting(computed, records):
        records.modified(columns, create=True)
    records._validate_fields(columns)
    records.check_access("create")
    return records


class CreditControlLine(models.Model):
    """The customer-service side of OCA's reminder lines: who calls, what the customer promised."""

    _inherit = "credit.control.line"

    state = fields.Selection(selection_add=[("cs_paid", "Stopped: Paid")], ondelete={"cs_paid": "set default"})
    cs_agent_id = fields.Many2one(
        "res.users",
        string="Agent",
        compute="_compute_cs_agent_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Calls the customer: the follow-up responsible of the customer, else their salesperson.",
    )
    cs_action = fields.Selection(related="policy_level_id.cs_action")
    cs_call_result = fields.Selection(CALL_RESULTS, string="Call Outcome", readonly=True, tracking=True)
    cs_call_date = fields.Datetime(string="Called On", readonly=True)
    cs_promise_date = fields.Date(string="Promised Payment Date", readonly=True, tracking=True)
    cs_promise_amount = fields.Float(string="Promised Amount", readonly=True, tracking=True)
    cs_next_action = fields.Char(string="Next Action", readonly=True)
    cs_next_action_date = fields.Date(string="Next Action On", readonly=True)

    @api.depends("partner_id")
    def _compute_cs_agent_id(self):
        for line in self:
            customer = line.partner_id.commercial_partner_id
            line.cs_agent_id = customer.payment_responsible_id or customer.user_id

    @api.model
    def create_or_update_from_mv_lines(
        self, lines, level, controlling_date, company, check_tolerance=True, default_lines_vals=None
    ):
        """OCA's per-level line creation, in batch and idempotent per day.

        Same contract as OCA's method (skip amounts under the company's tolerance, older draft or
        to-do lines of the level become ignored), but with one query for the older lines instead
        of one per journal item, the lines inserted in one statement (``insert_records``, the ORM's
        ``create`` when it cannot) and without a chatter entry per line: the daily run creates tens
        of thousands of lines (bench/bench_arrears.py). A re-run the same day skips the items
        already reminded at this level that day. The state of the level's customer-service
        action is set at creation (phone: to do; suspension, legal action: done).
        """
        if not lines:
            return self.browse()
        done = self.search(
            [
                ("move_line_id", "in", lines.ids),
                ("policy_level_id", "=", level.id),
                ("date", "=", controlling_date),
                ("state", "!=", "ignored"),
            ]
        ).move_line_id
        lines -= done
        tolerance = company.credit_control_tolerance
        vals_list = []
        for move_line in lines:
            foreign = move_line.currency_id and move_line.currency_id != company.currency_id
            open_amount = move_line.amount_residual_currency if foreign else move_line.amount_residual
            # OCA compares the open amount in its own currency with the tolerance converted from the
            # company currency; the amount in company currency compares the same without the rates
            if check_tolerance and move_line.amount_residual < tolerance:
                continue
            vals = self._prepare_from_move_line(
                move_line, level, controlling_date, open_amount, default_lines_vals or {}
            )
            vals.update(self._cs_initial_state(level, controlling_date))
            vals_list.append(vals)
        if not vals_list:
            return self.browse()
        created_items = [vals["move_line_id"] for vals in vals_list]
        self.search(
            [
                ("move_line_id", "in", created_items),
                ("policy_level_id", "=", level.id),
                ("state", "in", ("draft", "to_be_sent")),
            ]
        ).write({"state": "ignored"})
        new_lines = insert_records(self, vals_list)
        if new_lines is None:
            new_lines = self.with_context(tracking_disable=True).create(vals_list)
        new_lines._cs_subscribe_followers()
        return new_lines.with_env(self.env)

    @api.model
    def _prepare_from_move_line(self, move_line, level, controlling_date, open_amount, default_lines_vals):
        """The stored related and computed values too, so that the lines can be inserted as they are
        (``insert_records``), without computing anything again."""
        vals = super()._prepare_from_move_line(move_line, level, controlling_date, open_amount, default_lines_vals)
        customer = move_line.partner_id.commercial_partner_id
        vals.update(
            {
                "commercial_partner_id": customer.id,
                "date_entry": move_line.date,
                "account_id": move_line.account_id.id,
                "currency_id": move_line.currency_id.id,
                "company_id": move_line.company_id.id,
                "policy_id": level.policy_id.id,
                "level": level.level,
                "partner_user_id": move_line.partner_id.user_id.id,
                "cs_agent_id": (customer.payment_responsible_id or customer.user_id).id,
            }
        )
        return vals

    @api.model
    def _cs_initial_state(self, level, controlling_date):
        if level.cs_action == "phone":
            return {"state": "to_be_sent"}
        if level.cs_action in ("suspend", "legal"):
            return {"state": "sent", "date_sent": controlling_date}
        return {}

    def _cs_subscribe_followers(self):
        """OCA subscribes to each new line the followers of its customer who follow new reminders."""
        subtype = self.env.ref("account_credit_control.mt_credit_control_new")
        partners = self.partner_id | self.partner_id.commercial_partner_id
        followers = (
            self.env["mail.followers"]
            .sudo()
            .search(
                [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids), ("subtype_ids", "in", subtype.ids)]
            )
        )
        by_customer = defaultdict(set)
        for follower in followers:
            by_customer[follower.res_id].add(follower.partner_id.id)
        to_insert = defaultdict(list)
        for line in self:
            for partner_id in by_customer[line.partner_id.id] | by_customer[line.commercial_partner_id.id]:
                to_insert[partner_id].append(line.id)
        for partner_id, line_ids in to_insert.items():
            self.env["mail.followers"]._insert_followers(
                self._name, line_ids, [partner_id], subtypes=None, customer_ids=[], check_existing=True
            )

    def _cs_open(self):
        return self.filtered(lambda item: item.state not in ("ignored", "sent", "cs_paid"))

    def _cs_process_new(self):
        """Carry out the customer-service action of each new line's level, in batch.

        The call activities are created without the assignment e-mail (a daily run would send an
        agent one e-mail per overdue invoice): they show in the agent's activities and queue.
        """
        self.filtered(lambda item: item.cs_action == "phone" and item.cs_agent_id)._cs_schedule_calls()
        suspend = self.filtered(lambda item: item.cs_action == "suspend")
        customers = suspend.partner_id.commercial_partner_id.with_context(tracking_disable=True)
        suspended = customers._cs_set_service_status("suspended").with_env(self.env)
        suspended._message_log_batch(
            bodies=dict.fromkeys(
                suspended.ids, self.env._("Paid services suspended for arrears by the daily credit control.")
            )
        )
        legal = self.filtered(lambda item: item.cs_action == "legal")
        self.env["cs.legal.case"]._cs_open_for_lines(legal)

    def _cs_schedule_calls(self):
        """One call activity per line for its agent, inserted in batch (``insert_records``) with what
        ``mail.activity.create`` adds: the agent follows the line and their activity counter is told."""
        if not self:
            return self.env["mail.activity"]
        call = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = [
            {
                "res_model_id": model_id,
                "res_model": self._name,
                "res_id": line.id,
                "res_name": line.display_name,
                "activity_type_id": call.id,
                "date_deadline": line.date,
                "summary": self.env._(
                    "Arrears call: %(amount)s overdue", amount=line.company_id.currency_id.format(line.balance_due)
                ),
                "user_id": line.cs_agent_id.id,
                "user_tz": line.cs_agent_id.tz,
                "date_done": False,
                "automated": True,
            }
            for line in self
        ]
        Activity = self.env["mail.activity"].with_context(mail_activity_quick_update=True)
        activities = insert_records(Activity, vals_list)
        if activities is None:
            return Activity.create(vals_list)
        for agent, lines in self.grouped("cs_agent_id").items():
            lines.message_subscribe(partner_ids=agent.partner_id.ids)
        today = fields.Date.context_today(self)
        self.filtered(lambda line: line.date <= today).cs_agent_id._bus_send(
            "mail.activity/updated", {"activity_created": True}
        )
        return activities

    def _cs_stop_paid(self):
        """Stop the follow-up of reconciled items at once; a partial payment only moves the amount."""
        open_lines = self._cs_open()
        paid = open_lines.filtered(lambda item: item.move_line_id.reconciled)
        paid.write({"state": "cs_paid"})
        paid.activity_unlink(["mail.mail_activity_data_call"])
        for line in open_lines - paid:
            line.balance_due = line.move_line_id.amount_residual
        self._cs_resume_paid_up()
        return paid

    def _cs_resume_paid_up(self):
        """Resume the service of suspended customers who have nothing overdue any more."""
        suspended = self.partner_id.commercial_partner_id.sudo().filtered(lambda p: p.cs_service_status == "suspended")
        for customer in suspended.with_company(self.company_id[:1] or self.env.company):
            if customer.cs_overdue_amount <= 0:
                customer._cs_set_service_status("resumed")
                customer.message_post(body=self.env._("Service resumed: the overdue invoices are paid."))
