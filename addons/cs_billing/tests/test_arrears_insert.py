import contextlib
from unittest.mock import patch

from odoo import Command
from odoo.addons.cs_billing.models import credit_control_line
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_arrears import TestArrears

# set by the database, not by the values given
NOT_COMPARED = {"id", "create_date", "write_date", "run_id", "display_name"}


@tagged("post_install", "-at_install")
class TestArrearsInsert(TestArrears):
    """The daily run inserts its reminder lines and call activities in batch (``insert_records``):
    the records must be those ``create`` would make, and the access rules must hold."""

    def stored_values(self, records, skip=()):
        names = [
            name
            for name, field in records._fields.items()
            if field.store and field.column_type and name not in NOT_COMPARED | set(skip)
        ]
        return sorted(tuple(record[name] for name in names) for record in records.read(names, load=None))

    def test_inserted_like_created(self):
        invoices = self.overdue_invoice() | self.overdue_invoice(partner=self.customer2)
        self.customer2.user_id = self.agent2
        results = []
        through_orm = patch.object(credit_control_line, "insert_records", lambda *args: None)
        for insertion in (through_orm, contextlib.nullcontext()):
            with contextlib.closing(self.env.cr.savepoint()):
                with insertion:
                    lines = self.run_day("2030-01-06")
                self.assertEqual(len(lines), 2)
                self.assertEqual(invoices.credit_control_line_ids, lines, "the invoices list their reminders")
                activities = lines.activity_ids
                self.assertEqual(activities.user_id, self.agent | self.agent2)
                for line in lines:
                    self.assertIn(line.cs_agent_id.partner_id, line.message_partner_ids, "the agent follows")
                    self.assertEqual(line.activity_ids.res_name, line.display_name)
                # the ids differ between the two runs
                results.append((self.stored_values(lines), self.stored_values(activities, skip=("res_id", "res_name"))))
                self.env.invalidate_all()
        self.assertEqual(results[0], results[1], "same lines and activities as through the ORM")

    def test_insert_checks_access_rights_and_rules(self):
        invoice = self.overdue_invoice()
        move_line = invoice.line_ids.filtered(lambda item: item.account_id == self.receivable)
        level = self.policy.level_ids[:1]
        Line = self.env["credit.control.line"]
        vals = Line._prepare_from_move_line(move_line, level, "2030-01-06", move_line.amount_residual, {})
        count = Line.search_count([])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            credit_control_line.insert_records(Line.with_user(self.agent), [vals])
        other = self.env["res.company"].create({"name": "另一家公司"})
        controller = new_test_user(
            self.env,
            login="cs_bill_credit_controller",
            groups="account_credit_control.group_account_credit_control_user",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            credit_control_line.insert_records(Line.with_user(controller), [vals])
        self.assertEqual(Line.search_count([]), count, "nothing inserted")
        inserted = credit_control_line.insert_records(Line, [vals])
        self.assertEqual((inserted.move_line_id, inserted.company_id), (move_line, self.company))

    def test_insert_leaves_what_it_cannot_store_to_the_orm(self):
        invoice = self.overdue_invoice()
        move_line = invoice.line_ids.filtered(lambda item: item.account_id == self.receivable)
        Line = self.env["credit.control.line"]
        vals = Line._prepare_from_move_line(
            move_line, self.policy.level_ids[:1], "2030-01-06", move_line.amount_residual, {}
        )
        del vals["cs_agent_id"]  # a stored computed field left to compute
        self.assertIsNone(credit_control_line.insert_records(Line, [vals]))
        self.assertIsNone(
            credit_control_line.insert_records(Line, [{**vals, "cs_agent_id": self.agent.id, "activity_ids": []}]),
            "not a column",
        )
        self.assertIsNone(credit_control_line.insert_records(Line, [{**vals, "partner_id": False}]), "required")
        self.assertIsNone(credit_control_line.insert_records(Line, [{**vals, "no_such_field": 1}]), "unknown")
