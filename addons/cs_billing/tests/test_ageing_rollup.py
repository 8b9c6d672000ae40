from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .. import uninstall_hook
from ..report.cs_ageing_report import DUE_INDEX
from .common import CsBillingCase

MEASURES = ["amount_residual:sum", "overdue_amount:sum", "__count", "days_overdue:max"]


def bucket_of(age):
    return "0_30" if age <= 30 else "31_60" if age <= 60 else "61_90" if age <= 90 else "90_plus"


@tagged("post_install", "-at_install")
class TestAgeingRollup(CsBillingCase):
    """The ageing pivot reads per-due-day rollups: its figures equal the journal items after every accounting
    operation, whether the changed due days are still read from the journal items or already refreshed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["cs.ageing.report"]
        cls.today = fields.Date.context_today(cls.Report)
        cls.customers = cls.customer | cls.customer2
        cls.Report._rollup_sync()  # start from clean rollups: only the test's changes are dirty

    def invoice(self, days_ago, amount, partner=None, company_data=None, post=True, move_type="out_invoice"):
        company_data = company_data or self.company_data
        due = self.today - timedelta(days=days_ago)
        move = (
            self.env["account.move"]
            .with_company(company_data["company"])
            .create(
                {
                    "move_type": move_type,
                    "partner_id": (partner or self.customer).id,
                    "journal_id": company_data["default_journal_sale"].id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create({"name": "维修人工费", "quantity": 1, "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    def pay(self, invoice, amount=None, when=None, **values):
        return (
            self.env["account.payment.register"]
            .with_company(invoice.company_id)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount or invoice.amount_residual, "payment_date": when or self.today, **values})
            ._create_payments()
        )

    def journal_figures(self, companies):
        """The same figures aggregated straight from the open receivable journal items."""
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("company_id", "in", companies.ids),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "!=", 0),
                ]
            )
        )
        figures = defaultdict(lambda: [0.0, 0.0, 0, 0])
        for line in lines:
            due = line.date_maturity or line.date
            age = (self.today - due).days
            key = (line.company_id.id, line.partner_id.commercial_partner_id.id, bucket_of(age))
            row = figures[key]
            row[0] += line.amount_residual
            row[1] += line.amount_residual if age > 0 else 0.0
            row[2] += 1
            row[3] = max(row[3], max(age, 0))
        return figures

    def assert_equals_journal(self, user=None, companies=None):
        """As ``user`` (the billing clerk by default): totals, buckets per customer and company, the overdue
        filter, read once with the changed days still dirty, once after the cron's refresh."""
        user = user or self.clerk
        companies = companies or user.company_ids
        Report = self.Report.with_user(user).with_context(allowed_company_ids=companies.ids)
        groupby = ["company_id", "partner_id", "bucket"]
        for refreshed in (False, True):
            if refreshed:
                self.Report._rollup_sync()
                self.assertFalse(self.Report._rollup_dirty_days())
            self.assertTrue(Report._rollup_choose([], groupby, MEASURES), "the pivot reads a rollup")
            expected = self.journal_figures(companies)
            got = {
                (company.id, partner.id, bucket): [total, overdue, count, days]
                for company, partner, bucket, total, overdue, count, days in Report._read_group([], groupby, MEASURES)
            }
            self.assertEqual(set(got), set(expected), f"groups (refreshed={refreshed})")
            for key, (total, overdue, count, days) in expected.items():
                self.assertAlmostEqual(got[key][0], total, msg=f"open amount {key} refreshed={refreshed}")
                self.assertAlmostEqual(got[key][1], overdue, msg=f"overdue amount {key} refreshed={refreshed}")
                self.assertEqual(got[key][2:], [count, days], f"items and days overdue {key} refreshed={refreshed}")
            # the pivot's opening (age buckets) and the arrears menu's overdue filter
            [(total, overdue)] = Report._read_group([], [], ["amount_residual:sum", "overdue_amount:sum"])
            self.assertAlmostEqual(total, sum(row[0] for row in expected.values()))
            self.assertAlmostEqual(overdue, sum(row[1] for row in expected.values()))
            [(overdue_filtered,)] = Report._read_group([("is_overdue", "=", True)], [], ["amount_residual:sum"])
            self.assertAlmostEqual(overdue_filtered or 0.0, overdue)

    def test_post_pay_partially_fully_and_unreconcile(self):
        invoices = [self.invoice(days, 100.0 + days) for days in (-10, 0, 31, 61, 91, 400)]
        self.invoice(45, 70.0, partner=self.customer2)
        self.assert_equals_journal()
        self.pay(invoices[4], amount=50.0)  # partial: the open amount moves, the due day stays
        self.assert_equals_journal()
        payment = self.pay(invoices[3])
        self.assertEqual(invoices[3].payment_state, "paid")
        self.assert_equals_journal()
        payment.move_id.line_ids.remove_move_reconcile()
        self.assertEqual(invoices[3].payment_state, "not_paid")
        self.assert_equals_journal()
        # a payment on account is an open credit of the customer, aged on its own date
        self.pay(invoices[0], amount=invoices[0].amount_residual).move_id.line_ids.remove_move_reconcile()
        self.assert_equals_journal()

    def test_credit_notes_and_write_off(self):
        invoice = self.invoice(40, 300.0)
        other = self.invoice(70, 200.0)
        refund = self.invoice(0, 120.0, move_type="out_refund")
        (invoice | refund).line_ids.filtered(lambda line: line.account_type == "asset_receivable").reconcile()
        self.assertAlmostEqual(invoice.amount_residual, 180.0)
        self.assert_equals_journal()
        # the full reversal of an invoice (credit note reconciled with it)
        other._reverse_moves([{"invoice_date": self.today}], cancel=True)
        self.assertEqual(other.payment_state, "reversed")
        self.assert_equals_journal()
        # a payment short of the open amount, the rest written off
        self.pay(
            invoice,
            amount=170.0,
            payment_difference_handling="reconcile",
            writeoff_account_id=self.company_data["default_account_expense"].id,
            writeoff_label="抹零",
        )
        self.assertEqual(invoice.payment_state, "paid")
        self.assert_equals_journal()

    def test_reset_to_draft_and_cancel(self):
        invoice = self.invoice(20, 80.0)
        kept = self.invoice(95, 60.0)
        self.assert_equals_journal()
        invoice.button_draft()
        self.assert_equals_journal()
        invoice.action_post()
        self.assert_equals_journal()
        (invoice | kept).button_draft()
        invoice.button_cancel()
        self.assert_equals_journal()
        self.assertFalse(self.Report.search([("move_id", "in", (invoice | kept).ids)]))

    def test_multi_company(self):
        other = self.setup_other_company(name="账龄第二公司")
        self.invoice(10, 100.0)
        self.invoice(50, 40.0, company_data=other)
        self.invoice(120, 25.0, partner=self.customer2, company_data=other)
        both = self.company | other["company"]
        self.finance.company_ids = [Command.set(both.ids)]
        self.assert_equals_journal(self.finance, both)
        self.assert_equals_journal(self.finance, other["company"])
        # the clerk, in the first company only, never reads the second company's figures, rollup or not
        self.assert_equals_journal(self.clerk)
        companies = {company for (company,) in self.Report.with_user(self.clerk)._read_group([], ["company_id"])}
        self.assertNotIn(other["company"], companies)

    def test_initial_fill_and_rebuild(self):
        """An existing database (install or upgrade) gets its rollups filled; a rebuild restores stale ones."""
        self.invoice(15, 90.0)
        self.invoice(75, 30.0, partner=self.customer2)
        self.Report._rollup_drop_schema()
        self.Report.init()  # what installing or upgrading the addon runs
        self.assertFalse(self.Report._rollup_dirty_days(), "filled at once, nothing left to refresh")
        self.assert_equals_journal()
        self.assert_rollup_tables_equal_journal()
        # a change the triggers cannot see (here: rows written around them) is repaired by the rebuild
        table = SQL.identifier(self.Report._rollup_table("partner"))
        self.env.cr.execute(SQL("UPDATE %s SET amount_residual__sum = amount_residual__sum + 1", table))
        self.env.ref("cs_billing.cs_ageing_report_action_rebuild").with_user(self.finance).run()
        self.assert_rollup_tables_equal_journal()
        self.assert_equals_journal()

    def assert_rollup_tables_equal_journal(self):
        for key in self.Report._rollups:
            self.env.cr.execute(
                SQL(
                    "SELECT company_id, day, sum(amount_residual__sum), sum(row_count) FROM %s GROUP BY 1, 2",
                    SQL.identifier(self.Report._rollup_table(key)),
                )
            )
            stored = {(company, day): (float(total), count) for company, day, total, count in self.env.cr.fetchall()}
            self.env.cr.execute(
                """
                SELECT l.company_id, COALESCE(l.date_maturity, l.date), sum(l.amount_residual), count(*)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                 WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted'
                   AND NOT l.reconciled AND l.amount_residual != 0
              GROUP BY 1, 2
                """
            )
            journal = {(company, day): (float(total), count) for company, day, total, count in self.env.cr.fetchall()}
            self.assertEqual(stored, journal, f"rollup {key}")

    def test_rebuild_is_for_billing_managers(self):
        action = self.env.ref("cs_billing.cs_ageing_report_action_rebuild")
        with self.assertRaises(AccessError):
            action.with_user(self.clerk).run()
        self.invoice(33, 10.0)
        action.with_user(self.finance).run()
        self.assertFalse(self.Report._rollup_dirty_days(), "rebuilt: every day clean")
        self.assert_equals_journal()

    def test_uninstall_leaves_nothing_on_the_journal_items(self):
        uninstall_hook(self.env)
        self.env.cr.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'account_move_line'::regclass AND tgname LIKE %s",
            ["cs\\_ageing%"],
        )
        self.assertFalse(self.env.cr.fetchall(), "no trigger left to write into dropped tables")
        self.env.cr.execute("SELECT to_regclass(%s), to_regclass(%s)", [DUE_INDEX, self.Report._rollup_dirty_table()])
        self.assertEqual(self.env.cr.fetchone(), (None, None))
        self.pay(self.invoice(5, 10.0))  # accounting goes on without them
