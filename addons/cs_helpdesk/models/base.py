from odoo import api, models
from odoo.exceptions import AccessError
from odoo.models import fix_import_export_id_paths
from odoo.tools import format_list

# Customer contact and payment data (email, phone, address, ID number, bank account) that only customer service
# managers export, whichever model the export starts from: ``partner_id/email`` on a ticket
# reaches the same data as ``email`` on a contact.
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
    "res.partner.bank": {"acc_number", "acc_holder_name"},
    "cs.ticket": {"email_from", "partner_phone", "email_cc"},
    "crm.lead": {"email_from", "email_normalized", "phone", "mobile", "phone_sanitized", "street", "street2", "zip"},
}


class Base(models.AbstractModel):
    _inherit = "base"

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
    def _cs_export_restricted(self):
        user = self.env.user
        return (
            not self.env.su
            and (user.has_group("cs_helpdesk.group_agent") or user.has_group("cs_helpdesk.group_analyst"))
            and not user.has_group("cs_helpdesk.group_manager")
        )

    @api.model
    def _cs_contact_paths(self, field_paths):
        """The exported paths (``a/b/c``) that end on or pass through a customer contact field."""
        blocked = []
        for path in field_paths:
            model = self
            for name in fix_import_export_id_paths(path):
                field = model._fields.get(name)
                if field is None:
                    break
                if name in CS_CONTACT_FIELDS.get(model._name, ()):
                    blocked.append(path)
                    break
                if not field.relational:
                    break
                model = self.env[field.comodel_name]
        return blocked
