from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import date_utils


class CsStatementWizard(models.TransientModel):
    _name = "cs.statement.wizard"
    _description = "Print Customer Statements"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    date_from = fields.Date(
        string="From", required=True, default=lambda self: date_utils.start_of(fields.Date.context_today(self), "month")
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and "partner_ids" in fields_list:
            values["partner_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_print(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The statement period ends before it starts."))
        data = {"partner_ids": self.partner_ids.ids, "date_from": self.date_from, "date_to": self.date_to}
        return self.env.ref("cs_billing.action_report_partner_statement").report_action(self.partner_ids, data=data)
