import re

from odoo import api, fields, models


def cs_phone_key(records, number, country=None):
    """The number in E.164 (phone_validation), so "138 0013 8000" typed on a contact and "+8613800138000"
    reported by the switch meet; the bare digits when the number cannot be parsed. False without digits."""
    if not number:
        return False
    key = records._phone_format(number=number, country=country or records.env.company.country_id)
    if key:
        return key
    digits = re.sub(r"\D", "", number)
    if not digits:
        return False
    return f"+{digits}" if number.strip().startswith("+") else digits


class ResPartner(models.Model):
    """Contacts found by the number a call comes from (screen pop, call tickets, SMS replies)."""

    _inherit = "res.partner"

    # contact data by derivation (see base.py): hidden wherever phone and mobile are
    cs_phone_key = fields.Char(
        string="Phone (E.164)", compute="_compute_cs_phone_keys", store=True, index="btree_not_null"
    )
    cs_mobile_key = fields.Char(
        string="Mobile (E.164)", compute="_compute_cs_phone_keys", store=True, index="btree_not_null"
    )

    @api.depends("phone", "mobile", "country_id")
    def _compute_cs_phone_keys(self):
        for partner in self:
            country = partner.country_id or partner.company_id.country_id or None
            partner.cs_phone_key = cs_phone_key(partner, partner.phone, country)
            partner.cs_mobile_key = cs_phone_key(partner, partner.mobile, country)

    @api.model
    def _cs_find_by_phone(self, number, company=None):
        """The customer calling from ``number``: a contact whose phone or mobile is that number, the most
        recently created first; contacts of internal users and other companies' contacts are left out."""
        company = company or self.env.company
        key = cs_phone_key(self, number, company.country_id or None)
        if not key:
            return self.browse()
        return self.search(
            [
                "|",
                ("cs_phone_key", "=", key),
                ("cs_mobile_key", "=", key),
                ("company_id", "in", [False, company.id]),
                "|",
                ("user_ids", "=", False),
                ("user_ids.share", "=", True),
            ],
            order="id desc",
            limit=1,
        )
