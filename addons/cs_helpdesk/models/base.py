import re

from odoo import api, models, tools
from odoo.exceptions import AccessError
from odoo.models import fix_import_export_id_paths
from odoo.tools import format_list

from .cs_settings import get_int_param

# Customer contact and payment data (email, phone, address, ID number, bank account): the fields that
# hold it. Every field computed or related from one of them is contact data as well (see
# ``_cs_contact_field_map``): ``email_formatted``, ``contact_address``, a user's ``email`` or a
# follower's ``email`` are caught by their meaning, not by a list that each new field would have to join.
CS_CONTACT_FIELDS = {
    "res.partner": {
        "email",
        "email_normalized",
        "phone",
        "mobile",
        "phone_sanitized",
        "street",
        "street2",
        "zip",
        "bank_ids",
        "cs_id_number",
        "cs_birthday",
    },
    "res.users": {"login"},
    "res.partner.bank": {"acc_number", "acc_holder_name"},
    "mail.message": {"email_from", "reply_to"},
    "mail.mail": {"email_to", "email_cc"},
    "cs.ticket": {"email_from", "partner_phone", "email_cc"},
    "cs.followup": {"phone", "email"},
    "crm.lead": {"email_from", "email_normalized", "phone", "mobile", "phone_sanitized", "street", "street2", "zip"},
}
# names and technical fields that depend on contact data without showing it (a partner's name shows
# its email only with the ``show_email`` context, refused separately to the roles concerned)
CS_NOT_CONTACT_FIELDS = {"id", "display_name", "complete_name", "name", "write_date", "create_date", "__last_update"}
CS_TEXT_TYPES = {"char", "text", "html"}
# contact data readable at once by agents and leaders: a list page of the web client
CS_BULK_READ_PARAM = "cs_helpdesk.contact_bulk_read_limit"
CS_BULK_READ_DEFAULT = 80
# models on which data analysts who are not agents read no customer contact field at all
CS_ANALYST_GUARDED_MODELS = {"res.partner", "res.users", "mail.message", "mail.followers"}

AGENT = "cs_helpdesk.group_agent"
ANALYST = "cs_helpdesk.group_analyst"
MANAGER = "cs_helpdesk.group_manager"


class Base(models.AbstractModel):
    _inherit = "base"

    # ------------------------------------------------------------------ which fields are contact data
    @api.model
    @tools.ormcache()
    def _cs_contact_field_map(self):
        """``{model: frozenset(field names)}`` of contact data: the listed fields and, to a fixed point,
        every related or textual field whose dependencies (``related`` path or ``@api.depends``)
        reach one of them."""
        registry = self.env.registry
        contact = {
            (model, name)
            for model, names in CS_CONTACT_FIELDS.items()
            if model in registry
            for name in names
            if name in registry[model]._fields
        }
        candidates = []
        for model_name in registry:
            model = registry[model_name]
            if model._abstract:
                continue
            for name, field in model._fields.items():
                if name in CS_NOT_CONTACT_FIELDS or (model_name, name) in contact:
                    continue
                # a text showing the data (email_formatted, contact_address) or the same data under
                # another name (a user's email); not a figure or a flag computed from it
                if field.type not in CS_TEXT_TYPES and not field.related:
                    continue
                steps = set()
                for path in registry.field_depends.get(field, ()):
                    comodel = model
                    for step in path.split("."):
                        step_field = comodel._fields.get(step)
                        if step_field is None:
                            break
                        steps.add((comodel._name, step))
                        if not step_field.relational:
                            break
                        comodel = registry[step_field.comodel_name]
                if steps:
                    candidates.append(((model_name, name), steps))
        changed = True
        while changed:
            changed = False
            for key, steps in candidates:
                if key not in contact and not steps.isdisjoint(contact):
                    contact.add(key)
                    changed = True
        result = {}
        for model, name in contact:
            result.setdefault(model, set()).add(name)
        return {model: frozenset(names) for model, names in result.items()}

    @api.model
    def _cs_contact_field_names(self):
        return self.env["base"]._cs_contact_field_map().get(self._name, frozenset())

    # ------------------------------------------------------------------ who is restricted
    @api.model
    def _cs_export_restricted(self):
        """Customer service staff below manager: no export and no bulk read of contact data."""
        return not self.env.su and self.env.user._cs_roles().export_restricted

    @api.model
    def _cs_contact_read_restricted(self, even_sudo=False):
        """Data analysts who are not agents read reports, never a customer's contact data.

        ``even_sudo``: for what is sent to the analyst's web client after a sudo read (chatter).
        """
        return (even_sudo or not self.env.su) and self.env.user._cs_roles().contact_restricted

    # ------------------------------------------------------------------ export
    def export_data(self, fields_to_export):
        """Refuse exports of customer contact data to customer service staff below manager.

        Why ``export_data``: it is the one server entry point of every export (list Export,
        Export All, xlsx and csv downloads), and it sees the exported paths, so a relation such
        as ``partner_id/email`` is caught as well as the contact's own ``email``. The other
        mechanisms do not fit: ``base.group_allow_export`` would take every export from
        analysts, reports included, and ``groups=`` cannot go on a partner's email or phone,
        which every application reads. Users outside customer service keep their apps' rules.
        """
        if self._cs_export_restricted():
            blocked = self._cs_contact_paths(fields_to_export)
            if blocked:
                raise AccessError(
                    self.env._(
                        "Only customer service managers can export customer contact data (%(fields)s).",
                        fields=format_list(self.env, blocked),
                    )
                )
        return super().export_data(fields_to_export)

    @api.model
    def _cs_contact_paths(self, field_paths):
        """The exported paths (``a/b/c``) that end on or pass through a customer contact field."""
        field_map = self.env["base"]._cs_contact_field_map()
        blocked = []
        for path in field_paths:
            model = self
            for name in fix_import_export_id_paths(path):
                field = model._fields.get(name)
                if field is None:
                    break
                if name in field_map.get(model._name, ()):
                    blocked.append(path)
                    break
                if not field.relational:
                    break
                model = self.env[field.comodel_name]
        return blocked

    # ------------------------------------------------------------------ bulk reads
    def _read_format(self, fnames, load="_classic_read"):
        """Contact data of many records at once is an export: refused to the same roles above a list page.

        ``_read_format`` is where ``read``, ``search_read``, ``web_read`` (nested specifications
        included) and ``web_search_read`` meet, so a script cannot page around the export block.
        """
        if len(self) > 1 and not self.env.su:
            contact = self._cs_contact_field_names()
            asked = contact if fnames is None else contact.intersection(fnames)
            if asked and self._cs_export_restricted():
                limit = get_int_param(self.env, CS_BULK_READ_PARAM, CS_BULK_READ_DEFAULT, minimum=1)
                if len(self) > limit:
                    raise AccessError(
                        self.env._(
                            "Customer service staff read the contact data (%(fields)s) of at most %(limit)s "
                            "records at once: narrow the search, or ask a manager for an export.",
                            fields=format_list(self.env, sorted(asked)),
                            limit=limit,
                        )
                    )
        return super()._read_format(fnames, load=load)

    # ------------------------------------------------------------------ analysts
    @api.model
    def check_field_access_rights(self, operation, field_names):
        """Data analysts who are not agents read no customer contact data, whatever the path.

        ``groups=`` cannot go on a partner's email or phone, which every application reads, so
        the restriction is by field here, on the models where customers' addresses live. It
        concerns customers only (a colleague's email stays readable): searching, sorting or
        grouping on such a field (``self`` empty) is refused, since it could reveal it.
        """
        result = super().check_field_access_rights(operation, field_names)
        if (
            operation == "read"
            and self._name in CS_ANALYST_GUARDED_MODELS
            and not self.env.su
            and self._cs_contact_read_restricted()
        ):
            contact = self._cs_contact_field_names()
            if not field_names:
                return [name for name in result if name not in contact]
            denied = sorted(contact.intersection(field_names))
            if not self:  # a search: the model's default order (users by login) shows no value
                denied = [name for name in denied if name not in re.findall(r"\w+", self._order)]
            if denied and (not self or self._cs_has_customer_data()):
                raise AccessError(
                    self.env._(
                        "Data analysts cannot read customers' contact data (%(fields)s) of %(model)s.",
                        fields=format_list(self.env, denied),
                        model=self.env["ir.model"]._get(self._name).name,
                    )
                )
        return result

    def _determine_fields_to_fetch(self, field_names, ignore_when_in_cache=False):
        """No customer contact field prefetched for data analysts along with the fields they read
        (a contact's name for a report): asked for explicitly, it was refused above."""
        if (
            self._name in CS_ANALYST_GUARDED_MODELS
            and not self.env.su
            and field_names
            and self._cs_contact_read_restricted()
        ):
            contact = self._cs_contact_field_names()
            if not contact.isdisjoint(field_names) and (not self or self._cs_has_customer_data()):
                field_names = [name for name in field_names if name not in contact]
        return super()._determine_fields_to_fetch(field_names, ignore_when_in_cache=ignore_when_in_cache)

    def _fetch_query(self, query, fields):
        # also the fields a computed one depends on (a contact's display name depends on its email)
        if self._name in CS_ANALYST_GUARDED_MODELS and not self.env.su and self._cs_contact_read_restricted():
            contact = self._cs_contact_field_names()
            if any(field.name in contact for field in fields) and (not self or self._cs_has_customer_data()):
                fields = [field for field in fields if field.name not in contact]
        return super()._fetch_query(query, fields)

    def _cs_has_customer_data(self):
        """Whether these records hold a customer's (not a colleague's) contact data; models override."""
        return True
