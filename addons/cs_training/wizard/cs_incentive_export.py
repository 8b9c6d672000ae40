import base64
import io

import xlsxwriter
from odoo import api, fields, models
from odoo.tools import date_utils

from ..models.cs_incentive_record import COUNTED_STATES


class CsIncentiveExport(models.TransientModel):
    """The month's approved rewards and penalties per employee, as a spreadsheet for payroll."""

    _name = "cs.incentive.export"
    _description = "Reward/Penalty Payroll Export"

    month = fields.Date(
        required=True,
        default=lambda self: date_utils.start_of(fields.Date.context_today(self), "month")
        - date_utils.relativedelta(months=1),
        help="Any day of the month to export.",
    )
    file = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.model
    def _summary(self, month_start):
        """[(employee, rewards, penalties, net, count)] of approved/applied records of the month, by employee."""
        month_end = date_utils.end_of(month_start, "month")
        groups = self.env["cs.incentive.record"]._read_group(
            [("date", ">=", month_start), ("date", "<=", month_end), ("state", "in", COUNTED_STATES)],
            ["employee_id", "kind"],
            ["amount:sum", "__count"],
        )
        rows = {}
        for employee, kind, amount, count in groups:
            rewards, penalties, total = rows.get(employee, (0.0, 0.0, 0))
            if kind == "reward":
                rewards += amount
            else:
                penalties += amount
            rows[employee] = (rewards, penalties, total + count)
        return [
            (employee, rewards, penalties, rewards - penalties, count)
            for employee, (rewards, penalties, count) in sorted(rows.items(), key=lambda item: item[0].name)
        ]

    def _workbook(self, month_start):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        sheet = workbook.add_worksheet(self.env._("Summary"))
        headers = [
            self.env._("Employee"),
            self.env._("Badge ID"),
            self.env._("Department"),
            self.env._("Rewards"),
            self.env._("Penalties"),
            self.env._("Net Amount"),
            self.env._("Records"),
        ]
        sheet.write_row(0, 0, headers, bold)
        for row, (employee, rewards, penalties, net, count) in enumerate(self._summary(month_start), start=1):
            sheet.write_row(row, 0, [employee.name, employee.barcode or "", employee.department_id.name or ""])
            sheet.write_number(row, 3, rewards, money)
            sheet.write_number(row, 4, penalties, money)
            sheet.write_number(row, 5, net, money)
            sheet.write_number(row, 6, count)
        sheet.set_column(0, 2, 18)
        sheet.set_column(3, 6, 12)
        detail = workbook.add_worksheet(self.env._("Records"))
        detail.write_row(
            0,
            0,
            [
                self.env._("Date"),
                self.env._("Employee"),
                self.env._("Rule"),
                self.env._("Kind"),
                self.env._("Amount"),
                self.env._("Status"),
                self.env._("Approved By"),
            ],
            bold,
        )
        records = self.env["cs.incentive.record"].search(
            [
                ("date", ">=", month_start),
                ("date", "<=", date_utils.end_of(month_start, "month")),
                ("state", "in", COUNTED_STATES),
            ],
            order="employee_id, date, id",
        )
        kinds = dict(records._fields["kind"]._description_selection(self.env))
        states = dict(records._fields["state"]._description_selection(self.env))
        for row, record in enumerate(records, start=1):
            detail.write_row(
                row,
                0,
                [
                    fields.Date.to_string(record.date),
                    record.employee_id.name,
                    record.rule_id.display_name,
                    kinds.get(record.kind, ""),
                ],
            )
            detail.write_number(row, 4, record.signed_amount, money)
            detail.write_row(row, 5, [states[record.state], record.approver_id.name or ""])
        detail.set_column(0, 6, 16)
        workbook.close()
        return buffer.getvalue()

    def action_export(self):
        self.ensure_one()
        month_start = date_utils.start_of(self.month, "month")
        self.write(
            {
                "file": base64.b64encode(self._workbook(month_start)),
                "file_name": self.env._("rewards-penalties-%(month)s.xlsx", month=month_start.strftime("%Y-%m")),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=file&filename_field=file_name&download=true",
        }
