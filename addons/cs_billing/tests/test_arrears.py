import contextlib

from freezegun import freeze_time
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CsBillingCase


@tagged("post_install", "-at_install")
class TestArrears(CsBillingCase):
    """Dunning on OCA credit control: 5 days after the due date a call by the customer's agent,
    10 days later the service is suspended, 15 days after that a legal action is prepared.
    The dates are in 2030, after any reminder the demo data made on install."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def level(*values):
            return Command.create(cls.env["credit.control.policy.level"]._cs_level_values(*values))

        cls.policy = cls.env["credit.control.policy"].create(
            {
                "name": "客服清欠",
                "company_id": cls.company.id,
                "account_ids": [Command.set(cls.receivable.ids)],
                "level_ids": [
                    level(1, "电话催缴", "net_days", 5, "phone", "phone"),
                    level(2, "暂停服务", "previous_date", 10, "letter", "suspend"),
                    level(3, "起诉", "previous_date", 15, "letter", "legal"),
                ],
            }
        )
        cls.company.credit_policy_id = cls.policy
        cls.Line = cls.env["credit.control.line"]

    def overdue_invoice(self, due="2030-01-01", partner=None):
        ticket = self.make_ticket(partner_id=(partner or self.customer).id)
        invoice = self.invoice_fees(self.make_fee(ticket=ticket, quantity=5), post=False)
        invoice.write({"invoice_date": due, "invoice_date_due": due})
        invoice.action_post()
        self.assertEqual(str(invoice.invoice_date_due), due)
        return invoice

    def run_day(self, day):
        with freeze_time(day):
            # other companies of the database (demo data) are run too: keep this company's lines
            lines = self.env["credit.control.run"].sudo()._cron_cs_daily_run()
            lines = lines.filtered(lambda line: line.company_id == self.company)
            self.env.flush_all()  # the cron commits
            self.env.invalidate_all()
            return lines

    def lines(self, invoice):
        return self.Line.search([("invoice_id", "=", invoice.id)], order="level, id")

    def test_progression_without_duplicates(self):
        invoice = self.overdue_invoice()
        self.assertFalse(self.run_day("2030-01-05"), "not yet 5 days overdue")
        first = self.run_day("2030-01-06")
        self.assertEqual((first.level, first.state, first.cs_agent_id), (1, "to_be_sent", self.agent))
        activity = first.activity_ids
        self.assertEqual(
            (activity.user_id, activity.activity_type_id), (self.agent, self.env.ref("mail.mail_activity_data_call"))
        )
        self.assertFalse(self.run_day("2030-01-06"), "re-running the day creates nothing")
        self.assertEqual(len(self.lines(invoice)), 1)
        self.assertEqual(
            self.env["credit.control.run"].search_count(
                [("date", "=", "2030-01-06"), ("company_id", "=", self.company.id)]
            ),
            1,
        )
        self.assertEqual(len(first.activity_ids), 1)

        self.assertFalse(self.run_day("2030-01-15"))
        second = self.run_day("2030-01-16")
        self.assertEqual(second.level, 2)
        self.assertEqual(self.customer.cs_service_status, "suspended")
        self.assertEqual(self.make_ticket().cs_service_status, "suspended", "the agent sees it on the ticket")

        third = self.run_day("2030-01-31")
        self.assertEqual(third.level, 3)
        case = self.env["cs.legal.case"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((case.state, case.invoice_ids), ("draft", invoice))
        self.assertAlmostEqual(case.amount_claimed, invoice.amount_residual)
        self.assertFalse(self.run_day("2030-01-31"))
        self.assertEqual(len(self.env["cs.legal.case"].search([("partner_id", "=", self.customer.id)])), 1)
        self.assertEqual(len(self.lines(invoice)), 3)

    def test_payment_stops_follow_up(self):
        invoice = self.overdue_invoice()
        line = self.run_day("2030-01-06")
        with freeze_time("2030-01-08"):
            self.pay(invoice)
        self.assertEqual(line.state, "cs_paid")
        self.assertFalse(line.activity_ids, "the agent's call is cancelled")
        self.assertFalse(self.run_day("2030-01-20"))
        self.assertEqual(self.customer.cs_service_status, "active")
        self.assertEqual(self.customer.cs_dunning_level, 0)

    def test_service_resumes_when_arrears_are_paid(self):
        invoice = self.overdue_invoice()
        self.run_day("2030-01-06")
        self.run_day("2030-01-16")
        self.assertEqual(self.customer.cs_service_status, "suspended")
        with freeze_time("2030-01-18"):
            self.pay(invoice, amount=100)
            self.assertEqual(self.customer.cs_service_status, "suspended", "still overdue after a partial payment")
            self.pay(invoice)
        self.assertEqual(self.customer.cs_service_status, "resumed")

    def test_partial_payment_moves_amount_not_level(self):
        invoice = self.overdue_invoice()
        line = self.run_day("2030-01-06")
        self.assertEqual(self.customer.cs_dunning_level, 1)
        with freeze_time("2030-01-08"):
            self.pay(invoice, amount=200)
        self.assertAlmostEqual(line.balance_due, invoice.amount_residual)
        self.assertEqual((line.level, line.state), (1, "to_be_sent"))
        self.assertFalse(self.run_day("2030-01-09"), "no new reminder for the partial payment")
        second = self.run_day("2030-01-16")
        self.assertEqual(second.level, 2, "the level goes on from where it was")
        self.assertAlmostEqual(second.balance_due, invoice.amount_residual)

    def test_agent_queue_and_call(self):
        invoice = self.overdue_invoice()
        other_invoice = self.overdue_invoice(partner=self.customer2)
        self.run_day("2030-01-06")
        mine = self.Line.with_user(self.agent).search([("invoice_id", "in", (invoice | other_invoice).ids)])
        self.assertEqual(mine.invoice_id.ids, invoice.ids, "an agent sees the reminders of their customers only")
        self.assertFalse(self.Line.with_user(self.agent2).search([("invoice_id", "=", invoice.id)]))
        with self.assertRaises(AccessError):
            mine.with_user(self.agent).write({"balance_due": 0})

        form = Form(self.env["cs.arrears.call"].with_user(self.agent).with_context(default_line_id=mine.id))
        form.call_result = "promised"
        form.promise_date = "2030-01-20"
        form.promise_amount = 300
        form.next_action = "到期未付再次致电"
        with freeze_time("2030-01-06 10:00:00"):
            form.save().action_log()
        self.assertEqual(
            (mine.cs_call_result, str(mine.cs_promise_date), mine.cs_promise_amount, mine.state),
            ("promised", "2030-01-20", 300, "sent"),
        )
        self.assertFalse(mine.activity_ids, "the call activity is done")
        with self.assertRaises(UserError):
            self.env["cs.arrears.call"].with_user(self.agent).create({"line_id": mine.id, "call_result": "promised"})

    def test_agent_reads_arrears_not_accounting(self):
        invoice = self.overdue_invoice()
        self.run_day("2030-01-06")
        with freeze_time("2030-01-06"):
            partner = self.customer.with_user(self.agent)
            self.assertAlmostEqual(partner.cs_overdue_amount, invoice.amount_residual)
            self.assertEqual((partner.cs_open_invoice_count, partner.cs_dunning_level), (1, 1))
        with self.assertRaises(AccessError):
            invoice.with_user(self.agent).read(["amount_residual"])
        self.assertFalse(
            self.env["res.partner.bank"].with_user(self.agent).search([("partner_id", "=", self.customer.id)])
        )

    def _prepare_run(self, count, due):
        """``count`` overdue invoices of as many customers of the agent, and the run of their day."""
        customers = self.env["res.partner"].create(
            [{"name": f"欠费客户{index}", "user_id": self.agent.id} for index in range(count)]
        )
        for customer in customers:
            self.overdue_invoice(due=due, partner=customer)
        run = self.env["credit.control.run"].create(
            {"date": "2030-01-06", "company_id": self.company.id, "policy_ids": [Command.set(self.policy.ids)]}
        )
        self.env.flush_all()
        self.env.invalidate_all()
        return run

    def test_run_queries_do_not_grow_with_invoices(self):
        """The daily run works in batch: 4 times the overdue invoices, not one query more."""
        for _warm_up_then_measure in range(2):
            with contextlib.closing(self.env.cr.savepoint()):
                run = self._prepare_run(2, "2030-01-01")
                with freeze_time("2030-01-06"):
                    before = self.env.cr.sql_log_count
                    self.assertEqual(len(run._cs_generate()), 2)
                    self.env.flush_all()
                    queries = self.env.cr.sql_log_count - before
                self.env.invalidate_all()
        run = self._prepare_run(8, "2030-01-01")
        # a small constant margin (batch boundaries); one query per invoice would be 6 more
        with freeze_time("2030-01-06"), self.assertQueryCount(queries + 2):
            lines = run._cs_generate()
        self.assertEqual(len(lines), 8)
        self.assertEqual(len(lines.activity_ids), 8, "one call for the agent per reminder")
