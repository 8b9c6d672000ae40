from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import date_utils


class CsFee(models.Model):
    _inherit = "cs.fee"

    @api.model
    def _generate_demo_billing(self):
        """Demo: fees on the demo customers, invoices of which some are long overdue, a payment,
        an approved waiver waiting for the billing department and the first arrears run."""
        ref = self.env.ref
        company = self.env.company
        today = fields.Date.context_today(self)
        agent = ref("cs_helpdesk.user_agent_demo")
        customers = [ref(f"cs_helpdesk.partner_{index}_demo") for index in range(1, 7)]
        customers[0].user_id = agent
        customers[1].user_id = agent
        rules = {
            name: ref(f"cs_billing.fee_rule_{name}_demo")
            for name in ("repair", "parts", "shipping", "installation", "restocking")
        }
        plan = [  # customer, rules, days ago
            (0, ("repair", "parts"), 75),
            (1, ("installation",), 70),
            (2, ("shipping", "restocking"), 40),
            (3, ("repair",), 35),
            (4, ("installation",), 20),
            (5, ("shipping",), 5),
        ]
        fees = self.browse()
        for index, names, days in plan:
            ticket = self.env["cs.ticket"].create(
                {
                    "name": "保外维修与上门服务" if "repair" in names else "退货与安装服务",
                    "partner_id": customers[index].id,
                    "user_id": agent.id,
                    "category_id": ref("cs_helpdesk.category_repair").id,
                }
            )
            for name in names:
                fees |= self._create_from_source(
                    ticket, rules[name], date=today - timedelta(days=days), warranty_status="out_of_warranty"
                )
        fees[:-1].action_confirm()
        invoices = fees[:-2]._create_invoices()
        for invoice in invoices:
            day = min(invoice.invoice_line_ids.cs_fee_id.mapped("date"))
            invoice.write({"invoice_date": day, "invoice_date_due": day + timedelta(days=15)})
        invoices.action_post()
        paid = invoices.filtered(lambda m: m.partner_id == customers[2])
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=paid.ids).create(
            {"payment_date": today - timedelta(days=10)}
        )._create_payments()

        self.env["cs.billing.adjustment"].create(
            {
                "adjustment_type": "waiver",
                "partner_id": customers[4].id,
                "fee_id": fees.filtered(lambda f: f.partner_id == customers[4])[:1].id,
                "reason": "安装师傅迟到两小时，客户投诉后同意减免安装费。",
                "requested_by_id": agent.id,
            }
        ).action_submit()
        self._demo_credit_policy(company)
        self.env["credit.control.run"]._cron_cs_daily_run()
        self._demo_collection(customers, agent, today)

    @api.model
    def _demo_collection(self, customers, agent, today):
        """A prepayment waiting for the next invoice, a temporary on-account receipt and this month's
        collection plan of the demo agent, filled from the arrears queue."""
        Payment = self.env["account.payment"]
        Payment._cs_new_prepayment(customers[5], 300, date=today - timedelta(days=3))
        Payment._cs_new_prepayment(customers[3], 50, kind="on_account", date=today - timedelta(days=1))
        plan = self.env["cs.collection.plan"].create(
            {
                "user_id": agent.id,
                "date_from": date_utils.start_of(today, "month"),
                "date_to": date_utils.end_of(today, "month"),
                "note": "<p>本月重点：两个月以上欠费客户逐一电话联系，确认还款日期。</p>",
            }
        )
        plan.action_fill_from_arrears()
        if plan.line_ids:
            plan.line_ids[:1].write(
                {"promise_date": today + timedelta(days=5), "promise_amount": 100, "note": "客户承诺下周一付款"}
            )
            plan.action_start()

    @api.model
    def _demo_credit_policy(self, company):
        receivable = self.env["account.account"].search(
            [*self.env["account.account"]._check_company_domain(company), ("account_type", "=", "asset_receivable")]
        )
        levels = [
            (1, "逾期提醒：坐席电话催缴", "net_days", 10, "phone", "phone"),
            (2, "二次催缴：书面通知", "previous_date", 15, "letter", False),
            (3, "暂停付费服务", "previous_date", 15, "letter", "suspend"),
            (4, "准备起诉", "previous_date", 30, "letter", "legal"),
        ]
        policy = self.env["credit.control.policy"].create(
            {
                "name": "客服中心清欠",
                "company_id": company.id,
                "account_ids": [Command.set(receivable.ids)],
                "level_ids": [
                    Command.create(self.env["credit.control.policy.level"]._cs_level_values(*values))
                    for values in levels
                ],
            }
        )
        company.credit_policy_id = policy
