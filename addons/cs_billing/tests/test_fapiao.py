from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from .common import CsBillingCase


@tagged("post_install", "-at_install")
class TestFapiao(CsBillingCase):
    def block(self, collector, first, last, fapiao_type="normal", assign=True):
        block = (
            self.env["cs.fapiao.stock"]
            .with_user(self.finance)
            .create(
                {
                    "fapiao_code": "031002400111",
                    "number_from": first,
                    "number_to": last,
                    "fapiao_type": fapiao_type,
                    "collector_id": collector.id,
                    "company_id": self.company.id,
                }
            )
        )
        if assign:
            block.action_assign()
        return block

    def paper_invoice(self, number, user=None):
        invoice = self.invoice_fees(self.make_fee()).with_user(user or self.clerk)
        invoice.write({"cs_fapiao_type": "normal", "cs_fapiao_medium": "paper", "cs_fapiao_number": number})
        return invoice

    def test_paper_stock_per_collector(self):
        other_clerk = new_test_user(
            self.env,
            login="cs_bill_clerk2",
            groups="cs_billing.group_billing_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        mine = self.block(self.clerk, 1001, 1010)
        self.block(other_clerk, 1011, 1020)
        in_stock = self.block(self.clerk, 1021, 1030, assign=False)

        first = self.paper_invoice("00001001")
        first.action_cs_issue_fapiao()
        self.assertEqual(first.cs_fapiao_stock_id, mine)
        second = self.paper_invoice("00001002")
        second.action_cs_issue_fapiao()
        second.action_cs_void_fapiao()
        for number in ("00001015", "00001025", "00009999", "12A45"):  # another's, not assigned, no block, junk
            with self.subTest(number=number), self.assertRaises(ValidationError):
                self.paper_invoice(number).action_cs_issue_fapiao()
        self.assertEqual((mine.quantity, mine.issued_count, mine.voided_count, mine.remaining_count), (10, 1, 1, 8))
        with self.assertRaises(ValidationError):
            first.sudo().cs_fapiao_number = "00001011"  # moved out of its block

        with self.assertRaises(AccessError):
            mine.with_user(self.clerk).action_return()  # the finance manager takes the rest back
        mine.with_user(self.finance).action_return()
        self.assertEqual(mine.state, "returned")
        with self.assertRaises(ValidationError):
            self.paper_invoice("00001003").action_cs_issue_fapiao()
        with self.assertRaises(UserError):
            mine.with_user(self.finance).action_assign()
        with self.assertRaises(ValidationError):
            self.block(self.clerk, 1025, 1040)  # overlaps the block in stock
        with self.assertRaises(ValidationError):
            self.block(self.clerk, 50, 40)
        self.assertEqual(in_stock.state, "in_stock")
        # an electronic fapiao needs no paper block
        electronic = self.invoice_fees(self.make_fee()).with_user(self.clerk)
        electronic.write({"cs_fapiao_type": "normal", "cs_fapiao_medium": "electronic", "cs_fapiao_number": "1"})
        electronic.action_cs_issue_fapiao()

    def test_issue_void_and_red_letter(self):
        invoice = self.invoice_fees(self.make_fee()).with_user(self.clerk)
        with self.assertRaises(ValidationError):
            invoice.action_cs_issue_fapiao()  # no number yet
        invoice.write(
            {"cs_fapiao_type": "normal", "cs_fapiao_medium": "electronic", "cs_fapiao_number": "24310000000001"}
        )
        invoice.action_cs_issue_fapiao()
        self.assertEqual(invoice.cs_fapiao_state, "issued")
        with self.assertRaises(UserError):
            invoice.action_cs_issue_fapiao()
        with self.assertRaisesRegex(UserError, "credit note"):
            invoice.action_cs_red_letter_fapiao()
        refund = invoice._reverse_moves()
        refund.action_post()
        invoice.action_cs_red_letter_fapiao()
        self.assertEqual((invoice.cs_fapiao_state, invoice.cs_fapiao_red_move_id), ("red", refund))

        self.block(self.clerk, 123400, 123499, fapiao_type="special")
        other = self.invoice_fees(self.make_fee()).with_user(self.clerk)
        other.write({"cs_fapiao_type": "special", "cs_fapiao_medium": "paper", "cs_fapiao_number": "00123456"})
        other.action_cs_issue_fapiao()
        other.action_cs_void_fapiao()
        self.assertEqual(other.cs_fapiao_state, "voided")

    def test_fapiao_number_is_unique_and_hidden_from_agents(self):
        first = self.invoice_fees(self.make_fee())
        second = self.invoice_fees(self.make_fee())
        values = {"cs_fapiao_type": "normal", "cs_fapiao_medium": "paper", "cs_fapiao_number": "00000042"}
        first.write(values)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            second.write(values)
            second.flush_recordset()
        self.assertNotIn("cs_fapiao_number", self.env["account.move"].with_user(self.agent).fields_get())
