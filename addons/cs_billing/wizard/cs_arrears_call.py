from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.credit_control_line import CALL_RESULTS


class CsArrearsCall(models.TransientModel):
    """Log the outcome of an arrears call. Agents only read reminder lines: this is their one way to write."""

    _name = "cs.arrears.call"
    _description = "Log Arrears Call"

    line_id = fields.Many2one("credit.control.line", string="Reminder", required=True, readonly=True)
    partner_id = fields.Many2one(related="line_id.partner_id")
    balance_due = fields.Float(related="line_id.balance_due")
    call_result = fields.Selection(CALL_RESULTS, string="Call Outcome", required=True)
    promise_date = fields.Date(string="Promised Payment Date")
    promise_amount = fields.Float(string="Promised Amount")
    next_action = fields.Char()
    next_action_date = fields.Date(string="Next Action On")
    note = fields.Text()

    @api.constrains("call_result", "promise_date", "promise_amount")
    def _check_promise(self):
        for call in self.filtered(lambda c: c.call_result == "promised"):
            if not call.promise_date or call.promise_amount <= 0:
                raise UserError(self.env._("A promise to pay needs a date and a positive amount."))

    def action_log(self):
        self.ensure_one()
        line = self.line_id
        line.check_access("read")
        line = line.sudo()
        line.write(
            {
                "cs_call_result": self.call_result,
                "cs_call_date": fields.Datetime.now(),
                "cs_promise_date": self.promise_date,
                "cs_promise_amount": self.promise_amount,
                "cs_next_action": self.next_action,
                "cs_next_action_date": self.next_action_date,
                "state": "sent" if line.state in ("draft", "to_be_sent", "queued") else line.state,
                "date_sent": fields.Date.context_today(self),
            }
        )
        result = dict(self._fields["call_result"]._description_selection(self.env))[self.call_result]
        body = self.env._("Arrears call by %(agent)s: %(result)s.", agent=self.env.user.name, result=result)
        if self.note:
            body += "\n" + self.note
        line.message_post(body=body, author_id=self.env.user.partner_id.id)
        line.activity_feedback(["mail.mail_activity_data_call"], feedback=result)
        return {"type": "ir.actions.act_window_close"}
