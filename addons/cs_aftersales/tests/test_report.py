from odoo.exceptions import AccessError

from .repair_common import CsRepairCase
from .test_repair import MON, TUE, d


class TestAftersalesReport(CsRepairCase):
    def test_repairs_and_requests_in_the_analysis(self):
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            paid = self.make_repair(ticket, self.serial_old, cs_appointment_date=d(TUE, 9))
            self.add_part(paid, 2.0)
            free = self.make_repair(ticket, self.serial_new, cs_appointment_date=d(TUE, 9))
            rma = self.env["rma"].create(self.rma_values(ticket_id=ticket.id))
        with self.mock_now(d(MON, 13)):
            (paid | free).action_cs_record_contact()
        with self.mock_now(d(MON, 15)):
            (paid | free).write({"cs_technician_id": self.technician.id})
            (paid | free).action_cs_dispatch()
        with self.mock_now(d(TUE, 17)):
            self.finish(paid)
            self.finish(free)
        self.env.flush_all()
        Report = self.env["cs.aftersales.report"].with_user(self.analyst)
        rows = Report.search([("product_id", "=", self.appliance.id)])
        self.assertEqual(len(rows), 3)
        repairs = rows.filtered(lambda r: r.source == "repair")
        self.assertEqual(set(repairs.mapped("kind")), {"repair"})
        self.assertEqual(rows.filtered(lambda r: r.source == "rma").kind, "return")
        self.assertEqual(set(rows.mapped("team_id").ids), {self.team.id})
        [group] = Report._read_group(
            [("source", "=", "repair"), ("product_id", "=", self.appliance.id)],
            ["categ_id"],
            [
                "nbr:sum",
                "contact_hours:avg",
                "dispatch_hours:avg",
                "done_hours:avg",
                "warranty_rate:avg",
                "fee_amount:sum",
            ],
        )
        categ, count, contact, dispatch, done, warranty, fees = group
        self.assertEqual(categ, self.categ)
        self.assertEqual(count, 2)
        self.assertAlmostEqual(contact, 4.0)
        self.assertAlmostEqual(dispatch, 2.0)
        self.assertAlmostEqual(done, 32.0)
        self.assertAlmostEqual(warranty, 50.0)
        self.assertAlmostEqual(fees, 2 * 50.0 + 80.0, msg="parts and labour of the out-of-warranty repair")
        self.assertTrue(rma)

    def test_analyst_sees_no_customer_and_agent_no_report(self):
        self.assertNotIn("partner_id", self.env["cs.aftersales.report"]._fields)
        with self.assertRaises(AccessError):
            self.env["cs.aftersales.report"].with_user(self.agent1).search([])

    def test_inspection_pass_rate_and_reasons(self):
        reason = self.env["cs.aftersales.reason"].search([("reason_type", "=", "quality")], limit=1)
        self.assertTrue(reason, "the module seeds reason codes")
        values = self.rma_values(reason_id=reason.id)
        passed, failed, waiting = self.env["rma"].create([values, values, values])
        (passed | failed | waiting).write({"reason_type": "quality"})
        passed.inspection_result = "pass"
        failed.inspection_result = "fail"
        self.env.flush_all()
        Report = self.env["cs.aftersales.report"].with_user(self.analyst)
        [(reason_type, reason_code, count, rate)] = Report._read_group(
            [("source", "=", "rma"), ("product_id", "=", self.appliance.id)],
            ["reason_type", "reason_id"],
            ["nbr:sum", "inspection_pass_rate:avg"],
        )
        self.assertEqual((reason_type, reason_code, count), ("quality", reason, 3))
        self.assertAlmostEqual(rate, 50.0, msg="the request not inspected yet counts in no rate")
