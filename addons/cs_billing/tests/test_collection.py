from freezegun import freeze_time
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CsBillingCase


@tagged("post_install", "-at_install")
class TestCollectionPlan(CsBillingCase):
    """Collection plans (催收计划) on top of the reminder lines; promises to pay kept or broken."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        level = cls.env["credit.control.policy.level"]._cs_level_values(1, "电话催缴", "net_days", 5, "phone", "phone")
        cls.policy = cls.env["credit.control.policy"].create(
            {
                "name": "催收",
                "company_id": cls.company.id,
                "account_ids": [Command.set(cls.receivable.ids)],
                "level_ids": [Command.create(level)],
            }
        )
        cls.company.credit_policy_id = cls.policy

    def overdue_invoice(self, partner, due="2030-01-01"):
        ticket = self.make_ticket(partner_id=partner.id)
        invoice = self.invoice_fees(self.make_fee(ticket=ticket, quantity=5), post=False)
        invoice.write({"invoice_date": due, "invoice_date_due": due})
        invoice.action_post()
        return invoice

    def make_plan(self, user=None):
        return self.env["cs.collection.plan"].create(
            {
                "user_id": (user or self.agent).id,
                "date_from": "2030-01-01",
                "date_to": "2030-01-31",
                "company_id": self.company.id,
            }
        )

    def test_plan_from_arrears_and_promises(self):
        invoice = self.overdue_invoice(self.customer)  # the customer of self.agent
        other = self.overdue_invoice(self.customer2)  # nobody's customer
        with freeze_time("2030-01-06"):
            run = self.env["credit.control.run"].create(
                {"date": "2030-01-06", "company_id": self.company.id, "policy_ids": [Command.set(self.policy.ids)]}
            )
            reminders = run._cs_generate()
        self.assertEqual(reminders.invoice_id, invoice | other)
        reminder = reminders.filtered(lambda line: line.invoice_id == invoice)
        call = Form(self.env["cs.arrears.call"].with_user(self.agent).with_context(default_line_id=reminder.id))
        call.call_result = "promised"
        call.promise_date = "2030-01-10"
        call.promise_amount = 200
        with freeze_time("2030-01-06 10:00:00"):
            call.save().action_log()

        plan = self.make_plan()
        plan.action_fill_from_arrears()
        line = plan.line_ids
        self.assertEqual(line.partner_id, self.customer, "only the collector's customers")
        self.assertAlmostEqual(line.amount_planned, invoice.amount_residual)
        self.assertEqual((str(line.promise_date), line.promise_amount), ("2030-01-10", 200))
        plan.action_fill_from_arrears()
        self.assertEqual(len(plan.line_ids), 1, "a customer is added once")
        plan.action_start()

        with freeze_time("2030-01-09"):
            self.pay(invoice, amount=50, when="2030-01-09")
            self.env.invalidate_all()
            self.assertEqual(line.promise_state, "open")
            self.assertAlmostEqual(line.amount_collected, 50)
        with freeze_time("2030-01-12"):
            self.env.invalidate_all()
            self.assertEqual(line.promise_state, "broken")
            broken = self.env["cs.collection.plan"]._cron_flag_broken_promises()
            self.assertEqual(broken, line)
            self.assertEqual(str(line.promise_broken_date), "2030-01-12")
            self.assertEqual(plan.activity_ids.user_id, self.agent, "the collector is asked to call again")
            self.assertFalse(self.env["cs.collection.plan"]._cron_flag_broken_promises(), "flagged once")
            self.assertEqual(plan.broken_count, 1)

            # the collector records a new promise: followed again, logged on the plan
            line.with_user(self.agent).write({"promise_date": "2030-01-20", "promise_amount": 100})
            self.assertFalse(line.promise_broken_date)
            self.assertIn(self.customer.name, plan.message_ids[0].body)
            self.pay(invoice, amount=100, when="2030-01-12")
            self.env.invalidate_all()
            self.assertEqual(line.promise_state, "kept")
            self.assertAlmostEqual(plan.amount_collected, 150)
            self.assertAlmostEqual(plan.completion, 150 / line.amount_planned)

    def test_collector_rights(self):
        plan = self.make_plan()
        plan.line_ids = [Command.create({"partner_id": self.customer.id, "amount_planned": 300})]
        other_plan = self.make_plan(user=self.agent2)
        line = plan.line_ids.with_user(self.agent)
        self.assertEqual(self.env["cs.collection.plan"].with_user(self.agent).search([]), plan)
        line.write({"promise_date": "2030-01-15", "promise_amount": 300, "note": "月中付款"})
        with self.assertRaises(AccessError):
            line.write({"amount_planned": 1})
        with self.assertRaises(AccessError):
            other_plan.with_user(self.agent).read(["name"])
        with self.assertRaises(AccessError):
            self.env["cs.collection.plan"].with_user(self.agent).create(
                {"user_id": self.agent.id, "date_from": "2030-01-01", "date_to": "2030-01-31"}
            )
        with self.assertRaises(AccessError):
            plan.with_user(self.agent).action_start()
        clerk_plan = plan.with_user(self.clerk)
        clerk_plan.action_start()
        self.assertEqual(plan.state, "active")

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self.env["cs.collection.plan"].create(
                {"user_id": self.agent.id, "date_from": "2030-02-01", "date_to": "2030-01-01"}
            )
        plan = self.make_plan()
        with self.assertRaises(UserError):
            plan.action_start()  # nobody to collect from
        with self.assertRaises(ValidationError):
            plan.line_ids = [Command.create({"partner_id": self.customer.id, "amount_planned": -5})]
        plan.line_ids = [Command.create({"partner_id": self.customer.id, "amount_planned": 5})]
        with self.assertRaises(UserError):
            plan.action_close()


@tagged("post_install", "-at_install")
class TestPrepayment(CsBillingCase):
    """Prepayments, deposits and on-account receipts are payments with outstanding credit."""

    def test_prepayment_applied_to_invoices(self):
        prepayment = self.env["account.payment"].with_user(self.clerk)._cs_new_prepayment(self.customer, 1000)
        self.assertAlmostEqual(prepayment.cs_unapplied_amount, 1000)
        self.assertEqual(prepayment.cs_payment_kind, "prepayment")
        self.assertAlmostEqual(self.customer.with_user(self.agent).cs_unapplied_amount, 1000, msg="agents see it")
        action = self.customer.with_user(self.clerk).action_cs_view_prepayments()
        self.assertEqual(self.env["account.payment"].with_user(self.clerk).search(action["domain"]), prepayment)
        old = self.invoice_fees(self.make_fee(quantity=3))
        new = self.invoice_fees(self.make_fee(quantity=10))
        prepayment.with_user(self.clerk).action_cs_apply_to_invoices()
        self.assertIn(old.payment_state, ("paid", "in_payment"))
        self.assertEqual(new.payment_state, "partial")
        self.assertAlmostEqual(new.amount_residual, old.amount_total + new.amount_total - 1000)
        self.assertAlmostEqual(prepayment.cs_unapplied_amount, 0)
        with self.assertRaises(UserError):
            prepayment.action_cs_apply_to_invoices()

    def test_unused_deposit_refunded(self):
        deposit = self.env["account.payment"]._cs_new_prepayment(self.customer, 500, kind="deposit")
        invoice = self.invoice_fees(self.make_fee(quantity=2))  # 200 + tax
        deposit.action_cs_apply_to_invoices()
        left = 500 - invoice.amount_total
        self.assertAlmostEqual(deposit.cs_unapplied_amount, left)
        action = deposit.with_user(self.clerk).action_cs_refund_unapplied()
        refund = self.env["account.payment"].browse(action["domain"][0][2])
        self.assertEqual(
            (refund.payment_type, refund.partner_type, refund.state), ("outbound", "customer", "in_process")
        )
        self.assertAlmostEqual(refund.amount, left)
        self.assertAlmostEqual(deposit.cs_unapplied_amount, 0)
        self.assertEqual(self.customer.with_user(self.agent).cs_open_amount, 0, "nothing open: no parallel ledger")

    def test_nothing_to_apply(self):
        receipt = self.env["account.payment"]._cs_new_prepayment(self.customer2, 80, kind="on_account")
        with self.assertRaises(UserError):
            receipt.action_cs_apply_to_invoices()  # no open invoice yet
        self.assertAlmostEqual(receipt.cs_unapplied_amount, 80)
        with self.assertRaises(AccessError):
            receipt.with_user(self.agent).action_cs_refund_unapplied()


@tagged("post_install", "-at_install")
class TestBillingMultiCompany(CsBillingCase):
    def test_new_documents_stay_in_their_company(self):
        other = self.setup_other_company()["company"]
        values = {"user_id": self.clerk.id, "date_from": "2030-01-01", "date_to": "2030-01-31"}
        Plan = self.env["cs.collection.plan"]
        mine = Plan.create({**values, "company_id": self.company.id})
        theirs = Plan.create({**values, "company_id": other.id})
        theirs.line_ids = [Command.create({"partner_id": self.customer2.id, "amount_planned": 10})]
        Block = self.env["cs.fapiao.stock"]
        block_values = {"fapiao_code": "031002400111", "number_from": 1, "number_to": 5, "collector_id": self.clerk.id}
        Block.create({**block_values, "company_id": self.company.id})
        Block.create({**block_values, "company_id": other.id})
        self.assertEqual(Plan.with_user(self.clerk).search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertFalse(
            self.env["cs.collection.plan.line"].with_user(self.clerk).search([("plan_id", "=", theirs.id)])
        )
        self.assertEqual(Block.with_user(self.clerk).search([]).company_id, self.company)
        with self.assertRaises(AccessError):
            theirs.with_user(self.clerk).read(["name"])
