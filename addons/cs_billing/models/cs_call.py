from odoo import api, models
from odoo.tools import format_amount


class CsCall(models.Model):
    """The screen pop card shows the caller's arrears (清欠) to the agents who may read them."""

    _inherit = "cs.call"

    @api.model
    def _cs_customer_card_sections(self, partner):
        sections = super()._cs_customer_card_sections(partner)
        if not partner or not self.env["res.partner"]._fields["cs_open_amount"].is_accessible(self.env):
            return sections
        # the figures are the partner's computed arrears fields: a fixed number of grouped queries
        currency = partner.cs_currency_id
        if not partner.cs_open_amount and not partner.cs_open_invoice_count:
            return sections
        label = self.env._(
            "Open %(open)s, overdue %(overdue)s, dunning level %(level)s",
            open=format_amount(self.env, partner.cs_open_amount, currency),
            overdue=format_amount(self.env, partner.cs_overdue_amount, currency),
            level=partner.cs_dunning_level,
        )
        sections.append(
            {
                "key": "arrears",
                "title": self.env._("Arrears"),
                "count": partner.cs_open_invoice_count,
                "items": [{"id": partner.id, "model": "res.partner", "label": label, "state": False}],
            }
        )
        return sections
