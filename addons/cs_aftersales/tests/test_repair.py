from datetime import timedelta

from odoo.addons.cs_helpdesk.tests.common import local_dt
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .repair_common import CsRepairCase


def d(day, hour, minute=0):
    """Naive UTC of a local Shanghai time in March 2025 (Fri 7, Mon 10, Tue 11)."""
    return local_dt(2025, 3, day, hour, minute)


FRI, MON, TUE, WED = 7, 10, 11, 12


class TestRepair(CsRepairCase):
    def test_seeded_sla_contact_within_two_working_days(self):
        """A repair ticket of Friday 10:00 must be contacted by Tuesday 10:00; confirming the appointment reaches it."""
        contact_policy = self.env.ref("cs_helpdesk.sla_policy_repair_contact")
        urgent_policy = self.env.ref("cs_aftersales.sla_policy_urgent_repair")
        with self.mock_now(d(FRI, 10)):
            ticket = self.repair_ticket()
        line = self.sla_line(ticket, contact_policy, "first_response")
        self.assertEqual(line.deadline, d(TUE, 10))
        self.assertFalse(ticket.sla_ids.filtered(lambda s: s.policy_id == urgent_policy), "not urgent")

        with self.mock_now(d(MON, 15)):
            repair = self.make_repair(ticket, self.serial_new, user=self.agent1)
            with self.assertRaisesRegex(UserError, "appointment"):
                repair.with_user(self.agent1).action_cs_record_contact()
            repair.with_user(self.agent1).cs_appointment_date = d(WED, 9)
            repair.with_user(self.agent1).action_cs_record_contact()
        self.assertEqual(ticket.first_response_date, d(MON, 15))
        self.assertEqual(line.status, "met")
        self.assertEqual(repair.cs_progress, "scheduled")
        self.assertEqual(repair.schedule_date, d(WED, 9), "the workshop plans the repair on the appointment")

    def test_contact_too_late_fails(self):
        contact_policy = self.env.ref("cs_helpdesk.sla_policy_repair_contact")
        with self.mock_now(d(FRI, 10)):
            ticket = self.repair_ticket()
            repair = self.make_repair(ticket, self.serial_new, cs_appointment_date=d(WED, 14))
        with self.mock_now(d(TUE, 10, 1)):
            repair.action_cs_record_contact()
        self.assertEqual(self.sla_line(ticket, contact_policy, "first_response").status, "failed")

    def test_urgent_repair_resolved_within_four_hours(self):
        """An urgent repair ticket gets the 4-hour policy; finishing its repair resolves the ticket in time."""
        urgent_policy = self.env.ref("cs_aftersales.sla_policy_urgent_repair")
        with self.mock_now(d(FRI, 20)):  # out of working hours: the urgent target runs round the clock
            ticket = self.repair_ticket(priority="3")
            repair = self.make_repair(ticket, self.serial_new)
        line = self.sla_line(ticket, urgent_policy, "resolution")
        self.assertEqual(line.deadline, d(FRI, 20) + timedelta(hours=4))
        self.assertEqual(repair.priority, "1", "the repair of an urgent ticket is urgent")
        with self.mock_now(d(FRI, 21)):
            repair.cs_appointment_date = d(FRI, 22)
            repair.cs_technician_id = self.technician
            repair.action_cs_dispatch()
            repair.with_user(self.technician).action_repair_start()
            repair.with_user(self.technician).action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertTrue(ticket.is_resolved)
        self.assertEqual(line.status, "met")

    def test_dispatch_needs_technician_and_appointment(self):
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            repair = self.make_repair(ticket, self.serial_new, user=self.agent1)
            with self.assertRaisesRegex(UserError, "technician"):
                repair.with_user(self.agent1).action_cs_dispatch()
            form = Form(repair.with_user(self.agent1))
            form.cs_technician_id = self.technician
            form.cs_appointment_date = d(TUE, 14)
            form.save()
            repair.with_user(self.agent1).action_cs_dispatch()
        self.assertEqual(repair.cs_progress, "dispatched")
        self.assertTrue(repair.cs_contact_date, "dispatching records the contact when it was not")
        activity = repair.activity_ids.filtered(lambda a: a.user_id == self.technician)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, d(TUE, 14).date())
        self.assertIn(self.technician.partner_id, repair.message_partner_ids)
        pdf, _ext = self.env["ir.actions.report"]._render_qweb_html(
            "cs_aftersales.action_report_repair_dispatch", repair.ids
        )
        self.assertIn(repair.name.encode(), pdf)
        self.assertIn(b"CS-SN-NEW", pdf)

    def test_technician_sees_only_own_dispatches(self):
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            mine = self.make_repair(ticket, self.serial_new, cs_technician_id=self.technician.id)
            other = self.make_repair(ticket, self.serial_old, cs_technician_id=self.technician2.id)
        Repair = self.env["repair.order"].with_user(self.technician)
        self.assertEqual(Repair.search([("id", "in", (mine | other).ids)]), mine)
        with self.assertRaises(AccessError):
            other.with_user(self.technician).read(["name"])

    def test_agent_sees_ticket_repairs_only(self):
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            linked = self.make_repair(ticket, self.serial_new)
            workshop = self.make_repair(False, self.serial_old)
        Repair = self.env["repair.order"].with_user(self.agent1)
        self.assertEqual(Repair.search([("id", "in", (linked | workshop).ids)]), linked)
        self.assertEqual(ticket.with_user(self.agent1).cs_repair_count, 1)

    def test_warranty_decides_the_charge(self):
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            in_warranty = self.make_repair(ticket, self.serial_new)
            out_warranty = self.make_repair(ticket, self.serial_old)
        self.assertEqual(in_warranty.cs_warranty_id, self.warranty_new)
        self.assertTrue(in_warranty.under_warranty)
        self.assertEqual(out_warranty.cs_warranty_id, self.warranty_old)
        self.assertFalse(out_warranty.under_warranty)
        in_warranty.action_repair_start()
        with self.assertRaisesRegex(UserError, "under warranty"):
            in_warranty.action_cs_create_fees()

    def test_out_of_warranty_parts_and_labour_become_fees(self):
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            repair = self.make_repair(ticket, self.serial_old, cs_technician_id=self.technician.id)
            self.add_part(repair, 2.0)
            repair.cs_appointment_date = d(TUE, 9)
            repair.action_cs_dispatch()
        part_before = self.part.qty_available
        with self.mock_now(d(TUE, 11)):
            self.finish(repair, self.technician)
        self.assertEqual(repair.state, "done")
        self.assertEqual(self.part.qty_available, part_before - 2, "the spare parts are consumed from stock")
        fees = repair.cs_fee_ids
        self.assertEqual(sorted(fees.mapped("product_id").ids), sorted((self.part | self.labour).ids))
        part_fee = fees.filtered(lambda f: f.product_id == self.part)
        self.assertEqual(part_fee.quantity, 2.0)
        self.assertEqual(part_fee.price_subtotal, 100.0)
        self.assertEqual(set(fees.mapped("state")), {"draft"}, "an agent confirms them")
        self.assertEqual(set(fees.mapped("warranty_status")), {"out_of_warranty"})
        self.assertEqual(fees.ticket_id, ticket)
        self.assertEqual(repair.cs_fee_count, 2)
        with self.assertRaisesRegex(UserError, "already"):
            repair.action_cs_create_fees()
        with self.assertRaisesRegex(UserError, "service fees"):
            repair.action_create_sale_order()

    def test_in_warranty_repair_is_free(self):
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            repair = self.make_repair(ticket, self.serial_new)
            self.add_part(repair, 2.0)
            self.finish(repair)
        self.assertFalse(repair.cs_fee_ids)

    def test_quote_fees_before_repair(self):
        """Out of warranty, the agent charges the quoted parts before the repair; the end adds nothing."""
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            repair = self.make_repair(ticket, self.serial_old)
            self.add_part(repair, 1.0)
            repair.action_validate()
            repair.with_user(self.agent1).action_cs_create_fees()
            self.assertEqual(len(repair.cs_fee_ids), 2)
            self.finish(repair)
        self.assertEqual(len(repair.cs_fee_ids), 2)

    def test_installation_charges_installation_standard(self):
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            action = (
                ticket.with_user(self.agent1).with_context(cs_service_type="installation").action_cs_create_repair()
            )
            self.assertEqual(action["context"]["default_cs_service_type"], "installation")
            installation = self.make_repair(ticket, self.serial_old, cs_service_type="installation")
            self.finish(installation)
        self.assertEqual(installation.cs_fee_ids.product_id, self.install_service)

    def test_return_visit_after_repair(self):
        self.team.followup_delay_days = 2
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket(user_id=self.agent1.id)
            repair = self.make_repair(ticket, self.serial_new)
            self.finish(repair)
            workshop = self.make_repair(False, self.serial_old)
            self.finish(workshop)
        visit = repair.cs_followup_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.ticket_id, ticket)
        self.assertEqual(visit.user_id, self.agent1)
        self.assertEqual(visit.date_planned, d(MON, 9) + timedelta(days=2))
        self.assertEqual(ticket.followup_status, "planned")
        self.assertEqual(len(ticket.followup_ids), 1, "resolving the ticket does not plan a second visit")
        other = workshop.cs_followup_ids
        self.assertEqual(other.source, "other")
        self.assertEqual(other.partner_id, self.partner)

    def test_agent_creates_repair_from_ticket_form(self):
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            ticket.cs_warranty_id = self.warranty_new
            action = ticket.with_user(self.agent1).action_cs_create_repair()
            form = Form(self.env["repair.order"].with_user(self.agent1).with_context(**action["context"]))
            self.assertEqual(form.product_id, self.appliance)
            repair = form.save()
        self.assertEqual(repair.lot_id, self.serial_new)
        self.assertEqual(repair.cs_ticket_id, ticket)
        self.assertTrue(repair.under_warranty)

    def test_repair_from_rma_keeps_the_ticket(self):
        """OCA rma_repair creates the repair of a repair request: it belongs to the request's ticket."""
        with self.mock_now(d(MON, 9)):
            ticket = self.repair_ticket()
            rma = self.env["rma"].create(self.rma_values("repair", ticket_id=ticket.id))
            repair = rma._create_repair()
        self.assertEqual(repair.cs_ticket_id, ticket)
        self.assertEqual(ticket.cs_repair_ids, repair)
        self.assertEqual(repair.rma_ids, rma)
