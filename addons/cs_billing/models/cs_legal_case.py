from collections import defaultdict

from odoo import Command, api, fields, models


class CsLegalCase(models.Model):
    """A legal action (起诉) against a customer in arrears, the last step before bad-debt handling."""

    _name = "cs.legal.case"
    _description = "Arrears Legal Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, copy=False, default="/", readonly=True)
    case_number = fields.Char(string="Court Case Number", tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, check_company=True)
    invoice_ids = fields.Many2many("account.move", string="Invoices", check_company=True)
    amount_claimed = fields.Monetary(tracking=True)
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, tracking=True)
    court = fields.Char()
    filing_date = fields.Date(string="Filed On", tracking=True)
    judgment_date = fields.Date(string="Judged On", tracking=True)
    state = fields.Selection(
        [
            ("draft", "In Preparation"),
            ("filed", "Filed"),
            ("judged", "Judged"),
            ("closed", "Closed"),
            ("withdrawn", "Withdrawn"),
        ],
        string="Status",
        default="draft",
        required=True,
        tracking=True,
    )
    result = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        unnamed = [vals for vals in vals_list if vals.get("name", "/") == "/"]
        if unnamed:
            # next_by_code's sequence, looked up once for the batch (the daily run opens thousands)
            sequence = self.env["ir.sequence"].search(
                [("code", "=", "cs.legal.case"), ("company_id", "in", [self.env.company.id, False])],
                order="company_id",
                limit=1,
            )
            for vals in unnamed:
                vals["name"] = sequence._next() if sequence else "/"
        return super().create(vals_list)

    def action_file(self):
        self.write({"state": "filed", "filing_date": fields.Date.context_today(self)})

    def action_judge(self):
        self.write({"state": "judged", "judgment_date": fields.Date.context_today(self)})

    def action_close(self):
        self.write({"state": "closed"})

    def action_withdraw(self):
        self.write({"state": "withdrawn"})

    @api.model
    def _cs_open_for_lines(self, lines):
        """One case in preparation per customer reaching the legal level; an open case is extended.

        In batch (the daily run): one create for the new cases, their creation logged together,
        the responsible agents subscribed once per agent.
        """
        by_customer = lines.grouped(lambda line: line.partner_id.commercial_partner_id)
        if not by_customer:
            return self.browse()
        open_cases = {
            case.partner_id: case
            for case in self.search(
                [("partner_id", "in", [c.id for c in by_customer]), ("state", "in", ("draft", "filed"))],
                order="id",
            )
        }
        vals_list = []
        for customer, customer_lines in by_customer.items():
            case = open_cases.get(customer)
            if case:
                case.invoice_ids = [Command.link(inv.id) for inv in customer_lines.invoice_id]
                continue
            vals_list.append(
                {
                    "partner_id": customer.id,
                    "company_id": customer_lines[0].company_id.id,
                    "invoice_ids": [Command.set(customer_lines.invoice_id.ids)],
                    "amount_claimed": sum(customer_lines.mapped("balance_due")),
                    "user_id": customer_lines[0].cs_agent_id.id or self.env.user.id,
                }
            )
        cases = self.with_context(tracking_disable=True).create(vals_list).with_env(self.env)
        cases._message_log_batch(
            bodies=dict.fromkeys(
                cases.ids, self.env._("Opened by the daily credit control: the arrears reached legal action.")
            )
        )
        by_user = defaultdict(list)
        for case in cases:
            by_user[case.user_id.partner_id.id].append(case.id)
        for partner_id, case_ids in by_user.items():
            self.env["mail.followers"]._insert_followers(
                self._name, case_ids, [partner_id], subtypes=None, customer_ids=[], check_existing=True
            )
        return cases
