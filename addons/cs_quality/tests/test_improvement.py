from datetime import date, datetime, timedelta

from freezegun import freeze_time
from odoo import Command
from odoo.exceptions import UserError

from .common import CsQualityCase


class TestImprovementRiskEmergency(CsQualityCase):
    def _snapshot(self, day, **values):
        period = self.env["cs.kpi.period"]._ensure(self.company, day, period_types=["week"])
        period.state = "done"
        return self.env["cs.kpi.snapshot"].create(
            dict(
                {"period_id": period.id, "company_id": self.company.id, "scope": "team", "team_id": self.team.id},
                **values,
            )
        )

    def test_action_lifecycle_and_effect(self):
        today = date(2026, 3, 11)
        self._snapshot(today, fcr_rate=0.6, complaint_rate=0.12)
        action = self.env["cs.improvement.action"].create(
            {
                "name": "话术培训",
                "problem": "首次解决率低",
                "team_id": self.team.id,
                "indicator": "fcr_rate",
                "indicator_period": "week",
            }
        )
        with freeze_time(today):
            action.action_next()  # planned
            action.action_next()  # in progress: the value before is measured
        self.assertEqual(action.state, "in_progress")
        self.assertAlmostEqual(action.value_before, 0.6)
        with self.assertRaisesRegex(UserError, "done action"):
            action.action_evaluate()
        later = today + timedelta(weeks=3)
        self._snapshot(later, fcr_rate=0.75)
        with freeze_time(later):
            action.action_next()
            action.action_evaluate()
        self.assertEqual(action.state, "evaluated")
        self.assertAlmostEqual(action.value_after, 0.75)
        self.assertEqual(action.effect, "better")
        action.indicator = "complaint_rate"  # lower is better: the same move is worse
        self.assertEqual(action.effect, "worse")

    def test_review_opens_improvement(self):
        ticket = self.closed_ticket()
        review = self.env["cs.qa.review"].create({"ticket_id": ticket.id, "inspector_id": self.inspector1.id})
        self.answer_all(review)
        review.action_send()
        result = review.action_create_improvement()
        action = self.env["cs.improvement.action"].browse(result["res_id"])
        self.assertEqual(action.review_id, review)
        self.assertEqual(action.source, "review")

    def test_risk_warning_raises_one_activity(self):
        risk = self.env["cs.risk"].create(
            {
                "name": "投诉率上升",
                "risk_type": "business",
                "likelihood": "4",
                "impact": "3",
                "team_id": self.team.id,
                "user_id": self.leader.id,
                "indicator": "complaint_rate",
                "indicator_period": "week",
                "threshold": 0.1,
            }
        )
        self.assertEqual(risk.level, 12)
        day = date(2026, 3, 11)
        self._snapshot(day, complaint_rate=0.05)
        with freeze_time(day):
            risk._cron_check_indicators()
        self.assertFalse(risk.warning)
        self.assertFalse(risk.activity_ids)
        self._snapshot(day + timedelta(weeks=1), complaint_rate=0.15)
        with freeze_time(day + timedelta(weeks=1)):
            risk._cron_check_indicators()
            risk._cron_check_indicators()
        self.assertTrue(risk.warning)
        self.assertAlmostEqual(risk.last_value, 0.15)
        self.assertEqual(len(risk.activity_ids), 1)
        self.assertEqual(risk.activity_ids.user_id, self.leader)

    def test_emergency_plan_incident_and_revision(self):
        category = self.env["cs.incident.category"].create({"name": "机房空调故障"})
        plan = self.env["cs.emergency.plan"].create(
            {
                "name": "停电预案",
                "activation_conditions": "停电超过 10 分钟",
                "category_ids": [Command.set(category.ids)],
                "revision_months": 6,
            }
        )
        with freeze_time(datetime(2026, 1, 5)):
            plan.action_activate()
        self.assertEqual(plan.next_revision_date, date(2026, 7, 5))
        incident = self.env["cs.incident"].create({"name": "办公楼停电", "category_id": category.id})
        self.assertEqual(incident.plan_id, plan)
        incident.action_next()
        incident.action_next()
        incident.action_next()
        self.assertEqual(incident.state, "resolved")
        self.assertTrue(incident.date_end)
        with freeze_time(datetime(2026, 7, 6)):
            plan._cron_revision_reminders()
            plan._cron_revision_reminders()
        self.assertEqual(len(plan.activity_ids), 1)


class TestTools(CsQualityCase):
    def test_lifecycle_and_reminders(self):
        tool = self.env["maintenance.equipment"].create(
            {"name": "坐席耳麦", "cs_is_tool": True, "cs_user_id": self.agent1.id, "technician_user_id": self.leader.id}
        )
        self.assertEqual(tool.cs_tool_state, "requested")
        with self.assertRaisesRegex(UserError, "cannot go"):
            tool.with_context(cs_tool_state="in_use").action_cs_tool_state()
        for state in ("selected", "purchased", "installed", "in_use", "maintenance", "in_use", "retired"):
            tool.with_context(cs_tool_state=state).action_cs_tool_state()
        self.assertEqual(tool.cs_tool_state, "retired")

        licence = self.env["maintenance.equipment"].create(
            {
                "name": "在线客服许可证",
                "cs_is_tool": True,
                "technician_user_id": self.leader.id,
                "cs_license_expiry": date(2026, 4, 20),
            }
        )
        with freeze_time(date(2026, 3, 1)):
            self.env["maintenance.equipment"]._cron_cs_license_reminders()
        self.assertFalse(licence.activity_ids, "more than 30 days before expiry")
        with freeze_time(date(2026, 3, 25)):
            self.env["maintenance.equipment"]._cron_cs_license_reminders()
            self.env["maintenance.equipment"]._cron_cs_license_reminders()
        self.assertEqual(len(licence.activity_ids), 1)
        self.assertEqual(licence.activity_ids.user_id, self.leader)

    def test_rules_acknowledgement_check_and_feedback(self):
        tool = self.env["maintenance.equipment"].create(
            {
                "name": "坐席电脑",
                "cs_is_tool": True,
                "cs_user_id": self.agent1.id,
                "cs_usage_rules": "<p>仅限工作使用</p>",
            }
        )
        with self.assertRaisesRegex(UserError, "Only the user"):
            tool.with_user(self.agent2).action_cs_acknowledge_rules()
        tool.with_user(self.agent1).action_cs_acknowledge_rules()
        self.assertEqual(tool.cs_rules_acknowledged_by, self.agent1)
        request = self.env["maintenance.request"].browse(tool.action_cs_schedule_check()["res_id"])
        self.assertEqual(request.maintenance_type, "preventive")
        self.assertTrue(request.recurring_maintenance)
        feedback = (
            self.env["cs.tool.feedback"].with_user(self.agent1).create({"equipment_id": tool.id, "content": "开机太慢"})
        )
        feedback.with_user(self.leader).action_create_improvement()
        self.assertEqual(feedback.improvement_id.source, "tool")
        self.assertEqual(feedback.improvement_id.equipment_id, tool)
