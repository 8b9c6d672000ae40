from odoo import api, fields, models
from odoo.tools import date_utils


class ReportPartnerStatement(models.AbstractModel):
    """Customer statement (对账单): the receivable of a customer over a period, from the journal items,
    with the opening balance, every movement (invoices, credit notes, payments) and the closing balance."""

    _name = "report.cs_billing.report_partner_statement"
    _description = "Customer Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        today = fields.Date.context_today(self)
        date_from = fields.Date.to_date(data.get("date_from")) or date_utils.start_of(today, "month")
        date_to = fields.Date.to_date(data.get("date_to")) or today
        company = self.env.company
        partners = self.env["res.partner"].browse(data.get("partner_ids") or docids).commercial_partner_id
        statements = {partner.id: self._statement(partner, company, date_from, date_to) for partner in partners}
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "currency": company.currency_id,
            "date_from": date_from,
            "date_to": date_to,
            "statements": statements,
        }

    @api.model
    def _statement(self, partner, company, date_from, date_to):
        Line = self.env["account.move.line"]
        domain = [
            ("partner_id", "child_of", partner.id),
            ("company_id", "=", company.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
        ]
        [(opening,)] = Line._read_group(domain + [("date", "<", date_from)], [], ["balance:sum"])
        lines = Line.search(domain + [("date", ">=", date_from), ("date", "<=", date_to)], order="date, move_name, id")
        balance = opening or 0.0
        movements = []
        for line in lines:
            balance += line.balance
            movements.append(
                {
                    "date": line.date,
                    "reference": line.move_id.name,
                    "label": line.move_id.ref or line.move_id.invoice_origin or line.name or "",
                    "due": line.date_maturity if line.move_id.move_type == "out_invoice" else False,
                    "debit": line.debit,
                    "credit": line.credit,
                    "balance": balance,
                }
            )
        return {
            "opening": opening or 0.0,
            "debit": sum(lines.mapped("debit")),
            "credit": sum(lines.mapped("credit")),
            "closing": balance,
            "lines": movements,
        }
