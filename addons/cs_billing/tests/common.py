from datetime import date

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user


class CsBillingCase(AccountTestInvoicingCommon):
    """A company with a chart of accounts, a 15 % style sales tax, fee standards, tickets and the roles:
    two agents, a team leader, the customer service manager, a billing clerk and a billing manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        # the accounting test user also runs customer service and billing for the fixtures
        cls.env.user.groups_id = [
            Command.link(cls.env.ref("cs_helpdesk.group_manager").id),
            Command.link(cls.env.ref("cs_billing.group_billing_manager").id),
        ]
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        cls.tax = cls.company_data["default_tax_sale"]
        cls.receivable = cls.company_data["default_account_receivable"]

        def user(login, groups):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )

        cls.agent = user("cs_bill_agent", "cs_helpdesk.group_agent")
        cls.agent2 = user("cs_bill_agent2", "cs_helpdesk.group_agent")
        cls.leader = user("cs_bill_leader", "cs_helpdesk.group_leader")
        cls.manager = user("cs_bill_manager", "cs_helpdesk.group_manager")
        cls.clerk = user("cs_bill_clerk", "cs_billing.group_billing_user")
        cls.finance = user("cs_bill_finance", "cs_billing.group_billing_manager")
        cls.analyst = user("cs_bill_analyst", "cs_helpdesk.group_analyst")

        cls.team = cls.env["cs.ticket.team"].create(
            {
                "name": "Billing Test Team",
                "assignment_method": "manual",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set((cls.agent | cls.leader).ids)],
                "company_id": cls.company.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "刘建国", "email": "liu.jianguo@example.com", "user_id": cls.agent.id, "company_id": False}
        )
        cls.customer2 = cls.env["res.partner"].create({"name": "陈美玲", "email": "chen.meiling@example.com"})
        cls.type_repair = cls.env["cs.ticket.type"].create({"name": "Billing Test Repair", "code": "other"})
        cls.type_question = cls.env["cs.ticket.type"].create({"name": "Billing Test Question", "code": "consultation"})
        cls.category_tv = cls.env["cs.ticket.category"].create({"name": "Billing Test TV"})

        cls.product_labour = cls._create_product(name="维修人工费", type="service", lst_price=100.0)
        cls.product_shipping = cls._create_product(name="退货运费", type="service", lst_price=12.0)
        cls.rule_repair = cls.env["cs.fee.rule"].create(
            {
                "name": "保外维修人工",
                "product_id": cls.product_labour.id,
                "fee_type": "repair",
                "ticket_type_ids": [Command.set(cls.type_repair.ids)],
                "warranty_status": "out_of_warranty",
                "company_id": cls.company.id,
            }
        )
        cls.rule_shipping = cls.env["cs.fee.rule"].create(
            {
                "name": "非质量退货运费",
                "product_id": cls.product_shipping.id,
                "fee_type": "shipping",
                "company_id": cls.company.id,
            }
        )
        cls.compensation = cls.env.ref("cs_billing.product_compensation")
        cls.compensation.property_account_income_id = cls.company_data["default_account_revenue"]

    @classmethod
    def make_ticket(cls, **values):
        return cls.env["cs.ticket"].create(
            {
                "name": "电视维修",
                "partner_id": cls.customer.id,
                "team_id": cls.team.id,
                "user_id": cls.agent.id,
                "type_id": cls.type_repair.id,
                "company_id": cls.company.id,
                **values,
            }
        )

    def make_fee(self, ticket=None, rule=None, confirm=True, **values):
        ticket = ticket or self.make_ticket()
        fee = self.env["cs.fee"]._create_from_source(ticket, rule or self.rule_repair, **values)
        if confirm:
            fee.action_confirm()
        return fee

    def invoice_fees(self, fees, post=True):
        invoices = fees._create_invoices()
        if post:
            invoices.action_post()
        return invoices

    def pay(self, invoice, amount=None, when=None):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount or invoice.amount_residual, "payment_date": when or fields.Date.today()})
            ._create_payments()
        )

    @staticmethod
    def day(*args):
        return date(*args)
