from odoo.tests import tagged

from .cti_common import CtiCase


@tagged("post_install", "-at_install")
class TestCallReport(CtiCase):
    def test_service_level_and_periods(self):
        self.env["cs.sla.policy"].search([("answer_seconds", "=", 0)]).active = False
        self.env.ref("cs_helpdesk.sla_policy_hotline_answer").active = True
        self.ingest(
            self.call_events("r1", answer=10)
            + self.call_events("r2", answer=29)
            + self.call_events("r3", answer=50)
            + self.call_events("r4", answer=None, reason="caller")
            + self.call_events("r5", queue="vip", agent="cti_agent_b", answer=5)
        )
        Report = self.env["cs.call.report"].with_user(self.analyst)
        domain = [("call_id.integration_id", "=", self.integration.id)]
        self.env.flush_all()
        groups = Report.read_group(
            domain, ["call_count:sum", "answered_count:sum", "service_level:avg", "answer_seconds:avg"], ["team_id"]
        )
        by_team = {g["team_id"][0]: g for g in groups}
        after_sales = by_team[self.team_a.id]
        self.assertEqual((after_sales["call_count"], after_sales["answered_count"]), (4, 3))
        # 2 of the 4 offered calls answered within 30 s; the abandoned one counts as not answered in time
        self.assertAlmostEqual(after_sales["service_level"], 0.5)
        self.assertAlmostEqual(after_sales["answer_seconds"], (10 + 29 + 50) / 3)
        self.assertAlmostEqual(by_team[self.team_b.id]["service_level"], 1.0)
        for period in ("day", "week", "month", "year"):
            rows = Report.read_group(domain, ["call_count:sum"], [f"ring_date:{period}"])
            self.assertEqual(sum(r["call_count"] for r in rows), 5, period)
        by_agent = Report.read_group(domain, ["call_count:sum"], ["agent_id", "result"], lazy=False)
        self.assertIn(
            (self.agent_b.id, "answered", 1), [(r["agent_id"][0], r["result"], r["call_count"]) for r in by_agent]
        )

    def test_without_target_no_service_level(self):
        self.env["cs.sla.policy"].search([]).active = False
        self.ingest(self.call_events("n1", answer=10))
        self.env.flush_all()
        row = self.env["cs.call.report"].search([("call_id.external_call_id", "=", "n1")])
        self.assertFalse(row.service_level)
        self.assertEqual(row.answer_rate, 1.0)
