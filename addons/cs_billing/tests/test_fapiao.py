from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from .common import CsBillingCase


@tagged("post_install", "-at_install")
class TestFapiao(CsBillingCase):
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
