from contextlib import contextmanager

from odoo import api, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

# What a portal customer may read of their own tickets over RPC. Every other field of cs.ticket,
# including those other addons and later versions add, is internal: deny by default. The portal
# pages read what they show with sudo.
PORTAL_FIELDS = {
    "id",
    "display_name",
    "create_date",
    "write_date",
    "number",
    "name",
    "description",
    "active",
    "company_id",
    "partner_id",
    "partner_name",
    "type_id",
    "type_code",
    "category_id",
    "channel_id",
    "channel_type",
    "priority",
    "team_id",
    "user_id",
    "stage_id",
    "is_resolved",
    "is_closed",
    "fold",
    "resolved_date",
    "closed_date",
    "complaint_state",
    # portal.mixin
    "access_url",
    "access_token",
    "access_warning",
    # rating.mixin and the customer's own satisfaction scores
    "rating_ids",
    "rating_last_value",
    "rating_last_feedback",
    "rating_last_image",
    "rating_last_text",
    "rating_count",
    "rating_avg",
    "rating_avg_text",
    "rating_percentage_satisfaction",
    "rating_attitude_score",
    "rating_efficiency_score",
    "rating_solving_score",
    # mail.thread: the conversation, filtered by mail's own rules
    "message_ids",
    "website_message_ids",
    "message_follower_ids",
    "message_partner_ids",
    "message_is_follower",
    "message_attachment_count",
    "message_main_attachment_id",
    "has_message",
    "message_needaction",
    "message_needaction_counter",
    "message_has_error",
    "message_has_error_counter",
    "message_has_sms_error",
}

# Figures of the service measured by the system (reports, SLA, assessments): set by the ticket's own
# flows, never typed in. ``answer_seconds`` is entered once, when the call or chat is logged.
KPI_FIELDS = {
    "first_response_date",
    "first_response_hours",
    "resolved_date",
    "resolution_hours",
    "closed_date",
    "reopen_count",
    "answer_seconds",
    "sla_deadline",
    "sla_status",
    "complaint_escalation_level",
    "complaint_escalation_date",
}
KPI_FIELDS_AT_CREATE = {"answer_seconds"}
KPI_FLOW_KEY = "cs_helpdesk.kpi_flow"


class CsTicket(models.Model):
    """Privacy of tickets: internal fields hidden from the portal, measured figures protected,
    web form requests linked to a customer account only once an agent confirms it."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ record rules
    def _check_access(self, operation):
        """The record rules of tickets already read, decided by one SQL query.

        Odoo checks the rules of records it does not fetch again (a list's rows after its search, the
        form and the chatter of an open ticket, a reply, a stage change) with ``filtered_domain`` in
        Python. The agent's rule (own tickets, the team's, followed ones) and the portal's (followed
        by the customer's company) then load every ticket's followers, its team's members and the
        whole row: four to five queries on each of these requests. The same domain as one query gives
        the same answer. When it finds a ticket the user may not touch, Odoo's own check decides and
        writes the error.
        """
        ids = self._ids
        # creation keeps Odoo's check: the new tickets' values are all in the cache, a query would flush them
        if operation not in ("read", "write") or self.env.su or not ids or not all(isinstance(i, int) for i in ids):
            return super()._check_access(operation)
        if not self.env["ir.model.access"].check(self._name, operation, raise_exception=False):
            return super()._check_access(operation)
        domain = self.env["ir.rule"]._compute_domain(self._name, operation)
        if not domain:
            return None
        tickets = self.sudo().with_context(active_test=False)
        query = tickets._search(expression.AND([[("id", "in", ids)], domain]))
        if len(self.env.execute_query(query.select())) == len(set(ids)):
            return None
        return super()._check_access(operation)

    # ------------------------------------------------------------------ portal customers
    # Odoo's pattern for portal fields (project.task's SELF_READABLE_FIELDS): a list of what a
    # customer may read, every other field denied to them on every path (read, search, fields_get).
    def _portal_restricted(self):
        return not self.env.su and self.env.user._cs_roles().share

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        fields = super().fields_get(allfields=allfields, attributes=attributes)
        if self._portal_restricted():
            return {name: description for name, description in fields.items() if name in PORTAL_FIELDS}
        return fields

    @api.model
    def check_field_access_rights(self, operation, field_names):
        result = super().check_field_access_rights(operation, field_names)
        if not self._portal_restricted():
            return result
        if not field_names:
            return [name for name in result if name in PORTAL_FIELDS]
        denied = sorted(name for name in field_names if name in self._fields and name not in PORTAL_FIELDS)
        if denied:
            raise AccessError(
                self.env._(
                    "Customers cannot access these fields of their tickets: %(fields)s.",
                    fields=", ".join(denied),
                )
            )
        return result

    def _determine_fields_to_fetch(self, field_names, ignore_when_in_cache=False):
        if self._portal_restricted():  # no internal field prefetched along with a public one
            field_names = [name for name in field_names if name in PORTAL_FIELDS]
        return super()._determine_fields_to_fetch(field_names, ignore_when_in_cache)

    # ------------------------------------------------------------------ measured figures
    @contextmanager
    def _kpi_flow(self):
        """While a ticket's own flow runs (create, write and their hooks, a posted reply), it may
        record the figures. Counted on the transaction, not in the context an RPC client sends."""
        cache = self.env.cr.cache
        cache[KPI_FLOW_KEY] = cache.get(KPI_FLOW_KEY, 0) + 1
        try:
            yield
        finally:
            cache[KPI_FLOW_KEY] -= 1

    def _kpi_check_vals(self, field_names, allowed=()):
        if self.env.su or self.env.cr.cache.get(KPI_FLOW_KEY):
            return
        protected = (KPI_FIELDS - set(allowed)).intersection(field_names)
        if protected:
            labels = sorted(self._fields[name].get_description(self.env)["string"] for name in protected)
            raise AccessError(
                self.env._(
                    "%(fields)s are measured by the system and cannot be changed by hand.",
                    fields=", ".join(labels),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._kpi_check_vals({name for vals in vals_list for name in vals}, KPI_FIELDS_AT_CREATE)
        with self._kpi_flow():
            return super().create(vals_list)

    def write(self, vals):
        self._kpi_check_vals(vals)
        with self._kpi_flow():
            return super().write(vals)

    def message_post(self, **kwargs):
        # a reply may be the first response: its date is recorded by the posting flow
        with self._kpi_flow():
            return super().message_post(**kwargs)

    # ------------------------------------------------------------------ web form customers
    def _cs_customer_candidates(self):
        """Contacts whose email is the ticket's, partners of internal users excluded."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        email = tools.email_normalize(self.email_from or "")
        if not email:
            return Partner
        return Partner.search(
            [
                ("email_normalized", "=", email),
                ("company_id", "in", [False, self.company_id.id]),
                "|",
                ("user_ids", "=", False),
                ("user_ids.share", "=", True),
            ],
            order="id",
        )

    def action_cs_link_customer(self):
        """Confirm the customer of a request sent from the public web form: the contact with its
        email (created when there is none). A public form proves nobody's identity, so the request
        joins an account and its portal only through this step."""
        for ticket in self:
            if ticket.partner_id:
                continue
            if not ticket.email_from:
                raise UserError(
                    self.env._("Ticket %(ticket)s has no email to find its customer by.", ticket=ticket.display_name)
                )
            partner = ticket._cs_customer_candidates()[:1]
            if not partner:
                partner = self.env["res.partner"].create(
                    {"name": ticket.partner_name or ticket.email_from, "email": ticket.email_from}
                )
            ticket.write({"partner_id": partner.id})
        return True
