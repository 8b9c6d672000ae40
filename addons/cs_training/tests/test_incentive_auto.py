import base64
import io
from datetime import date, datetime, timedelta

import openpyxl
from odoo.tests import tagged

from .common import CsIncentiveCase

JUNE = date(2026, 6, 1)


@tagged("post_install", "-at_install")
class TestIncentiveAutomatic(CsIncentiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create({"name": "早九晚五", "tz": "Asia/Shanghai"})
        (cls.emp_agent | cls.emp_other).write({"resource_calendar_id": cls.calendar.id, "tz": "Asia/Shanghai"})
        cls.rule_attendance = cls.env.ref("cs_training.incentive_rule_reward_full_attendance")
        cls.rule_praise = cls.env.ref("cs_training.incentive_rule_reward_praise")
        cls.Record = cls.env["cs.incentive.record"]

    def attend(self, employee, late_day=None):
        """Every weekday of June 2026 from 08:00 to 17:00 Shanghai (00:00-09:00 UTC); 08:30 on ``late_day``."""
        values = []
        for offset in range(30):
            day = JUNE + timedelta(days=offset)
            if day.weekday() < 5:
                check_in = datetime(day.year, day.month, day.day, 0, 0)
                if day == late_day:
                    check_in += timedelta(minutes=30)
                values.append(
                    {
                        "employee_id": employee.id,
                        "check_in": check_in,
                        "check_out": datetime(*day.timetuple()[:3], 9, 0),
                    }
                )
        self.env["hr.attendance"].create(values)

    def drafts(self, rule):
        return self.Record.search([("rule_id", "=", rule.id)])

    def test_full_attendance_from_attendance_and_leave(self):
        self.attend(self.emp_agent)
        self.attend(self.emp_other, late_day=date(2026, 6, 17))
        self.Record._draft_month(JUNE)
        drafts = self.drafts(self.rule_attendance)
        self.assertEqual(drafts.employee_id, self.emp_agent)
        self.assertEqual((drafts.date, drafts.amount, drafts.state), (date(2026, 6, 30), 15, "draft"))
        self.Record._draft_month(JUNE)
        self.assertEqual(len(self.drafts(self.rule_attendance)), 1, "drafted once per month")

    def test_tolerance_setting_and_leave(self):
        self.env["ir.config_parameter"].set_param("cs_training.attendance_tolerance_minutes", "30")
        self.attend(self.emp_other, late_day=date(2026, 6, 17))
        self.attend(self.emp_agent)
        leave_type = self.env["hr.leave.type"].create(
            {"name": "病假", "requires_allocation": "no", "leave_validation_type": "no_validation"}
        )
        self.env["hr.leave"].create(
            {
                "employee_id": self.emp_agent.id,
                "holiday_status_id": leave_type.id,
                "request_date_from": date(2026, 6, 20),  # a Saturday: still a leave of the month
                "request_date_to": date(2026, 6, 22),
            }
        )
        self.Record._draft_month(JUNE)
        self.assertEqual(self.drafts(self.rule_attendance).employee_id, self.emp_other)

    def test_missing_day_is_not_full(self):
        self.attend(self.emp_agent)
        self.env["hr.attendance"].search([("employee_id", "=", self.emp_agent.id)], limit=1).unlink()
        self.assertFalse(self.Record._full_attendance(self.emp_agent, JUNE))

    def test_sla_breaches_over_the_limit(self):
        self.env["ir.config_parameter"].set_param("cs_training.sla_breach_limit", "2")
        rule = self.env["cs.incentive.rule"].create(
            {"code": "T-SLA", "name": "SLA breaches", "amount": 30, "automatic_source": "sla"}
        )
        policy = self.env["cs.sla.policy"].create({"name": "SLA 测试"})
        partner = self.env["res.partner"].create({"name": "SLA 客户"})

        def breach(user, count):
            tickets = self.env["cs.ticket"].create(
                [{"name": "超时", "partner_id": partner.id, "user_id": user.id} for __ in range(count)]
            )
            self.env["cs.ticket.sla"].create(
                [
                    {
                        "ticket_id": ticket.id,
                        "policy_id": policy.id,
                        "kind": "resolution",
                        "status": "failed",
                        "deadline": datetime(2026, 6, 10, 3, 0),
                    }
                    for ticket in tickets
                ]
            )

        breach(self.agent, 3)
        breach(self.other_agent, 2)
        self.Record._draft_month(JUNE)
        self.assertEqual(self.drafts(rule).employee_id, self.emp_agent)
        self.assertEqual(self.drafts(rule).kind, "penalty")

    def test_top_rating_drafts_praise_once(self):
        partner = self.env["res.partner"].create({"name": "满意客户"})
        ticket = self.env["cs.ticket"].create({"name": "谢谢", "partner_id": partner.id, "user_id": self.agent.id})
        model_id = self.env["ir.model"]._get_id("cs.ticket")
        low = self.env["rating.rating"].create({"res_model_id": model_id, "res_id": ticket.id, "rating": 3})
        low.write({"consumed": True})
        self.assertFalse(self.drafts(self.rule_praise))
        top = self.env["rating.rating"].create({"res_model_id": model_id, "res_id": ticket.id})
        top.write({"rating": 5, "consumed": True})
        top.write({"feedback": "很好"})
        draft = self.drafts(self.rule_praise)
        self.assertEqual((draft.employee_id, draft.amount, draft.res_id), (self.emp_agent, 20, ticket.id))

    def test_payroll_export(self):
        self.approved(self.rule_nth, "2026-06-03")
        self.approved(self.rule_range, "2026-06-04", base_amount=50)
        self.approved(self.rule_nth, "2026-06-05", employee=self.emp_other)
        self.approved(self.rule_nth, "2026-07-01")  # another month
        self.record(self.rule_nth, "2026-06-06")  # a draft is not paid
        wizard = self.env["cs.incentive.export"].with_user(self.manager).create({"month": "2026-06-15"})
        action = wizard.action_export()
        self.assertIn("download=true", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        summary = book.worksheets[0]
        rows = {row[0]: row[3:] for row in summary.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(rows["张小客"], (50, 15, 35, 2))
        self.assertEqual(rows["刘小服"], (0, 15, -15, 1))
        self.assertEqual(book.worksheets[1].max_row, 4)
        self.assertEqual(wizard.file_name, "rewards-penalties-2026-06.xlsx")
