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
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("cs.legal.case") or "/"
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
        """One case in preparation per customer reaching the legal level; an open case is extended."""
        open_cases = self.search(
            [("partner_id", "in", lines.partner_id.commercial_partner_id.ids), ("state", "in", ("draft", "filed"))]
        )
        for customer in lines.partner_id.commercial_partner_id:
            customer_lines = lines.filtered(lambda item, c=customer: item.partner_id.commercial_partner_id == c)
            case = open_cases.filtered(lambda c, p=customer: c.partner_id == p)[:1]
            invoices = customer_lines.invoice_id
            if case:
                case.invoice_ids = [Command.link(inv.id) for inv in invoices]
            else:
                self.create(
                    {
                        "partner_id": customer.id,
                        "company_id": customer_lines[0].company_id.id,
                        "invoice_ids": [Command.set(invoices.ids)],
                        "amount_claimed": sum(customer_lines.mapped("balance_due")),
                        "user_id": customer_lines[0].cs_agent_id.id or self.env.user.id,
                    }
                )
