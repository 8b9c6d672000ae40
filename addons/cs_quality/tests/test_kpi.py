from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from odoo import Command
from odoo.tools import SQL

from ..models import cs_kpi_period
from .common import CsQualityCase


class TestKpiSnapshot(CsQualityCase):
    """KPI values against figures computed by hand on a small fixed data set (March 2026)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.env.user.tz = "Asia/Shanghai"
        # computed at install (demo data), on the machine's date: later than the days these tests freeze
        cls.env["cs.kpi.period"].search([]).computed_date = False

    def _ticket(self, agent, created, first_response=None, resolved=None, reopen=0, sla="none", rating=0.0):
        ticket = self.make_ticket(user_id=agent.id)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE cs_ticket SET create_date = %s, first_response_date = %s, first_response_hours = %s,
                          resolved_date = %s, resolution_hours = %s, is_resolved = %s, reopen_count = %s,
                          sla_status = %s, rating_last_value = %s WHERE id = %s""",
                created,
                created if first_response is not None else None,
                first_response or 0.0,
                created if resolved is not None else None,
                resolved or 0.0,
                resolved is not None,
                reopen,
                sla,
                rating,
                ticket.id,
            )
        )
        self.env.invalidate_all()
        return ticket

    def _sent_review(self, agent, failed_items, day):
        ticket = self.closed_ticket(agent=agent)
        review = self.env["cs.qa.review"].create({"ticket_id": ticket.id, "inspector_id": self.inspector1.id})
        self.answer_all(review)
        for line in review.line_ids.filtered(lambda line: line.criterion_id.name in failed_items):
            line.answer_yes_no = "no"
            line.root_cause_id = line.criterion_id.root_cause_ids[:1]
        with freeze_time(day):
            review.action_send()
        return review

    def test_snapshot_values(self):
        march = datetime(2026, 3, 12, 4)
        t2 = self._ticket(self.agent1, march, first_response=4, resolved=10, reopen=1, sla="failed", rating=2)
        self._ticket(self.agent1, march, first_response=2, resolved=5, sla="met", rating=5)
        self._ticket(self.agent1, march, first_response=3, sla="running")
        self._ticket(self.agent1, march)
        t5 = self._ticket(self.agent2, march, first_response=1, resolved=2, sla="met", rating=4)
        t5.write({"is_closed": True, "qa_checked_date": march})
        self._ticket(self.agent2, datetime(2026, 4, 2, 4), first_response=9)  # next month: not counted
        t2.complaint_user_ids = [Command.set(self.agent1.ids)]
        self._sent_review(self.agent1, ("Ten polite words", "No negative phrases"), datetime(2026, 3, 10, 4))
        self._sent_review(self.agent2, ("Ten polite words",), datetime(2026, 3, 11, 4))
        Check = self.env["cs.qa.check"]
        Check.create(
            [
                {
                    "ticket_id": t2.id,
                    "company_id": self.company.id,
                    "agent_id": self.agent1.id,
                    "team_id": self.team.id,
                    "date": march,
                    "check": check,
                    "result": result,
                    "passed": 1.0 if result == "pass" else 0.0,
                }
                for check, result in (
                    ("polite", "pass"),
                    ("negative", "pass"),
                    ("unanswered", "pass"),
                    ("apology", "fail"),
                )
            ]
        )
        visits = self.env["cs.followup"].create(
            [
                {
                    "name": "回访",
                    "partner_id": self.partner.id,
                    "team_id": self.team.id,
                    "user_id": self.agent1.id,
                    "date_planned": march,
                }
                for _index in range(2)
            ]
        )
        visits[0].action_satisfied()

        period = self.env["cs.kpi.period"]._ensure(self.company, date(2026, 3, 20), period_types=["month"])
        self.assertEqual(period.date_end, date(2026, 3, 31))
        period._compute_snapshots()
        self.assertEqual(period.state, "done")
        rows = period.snapshot_ids
        agent1 = rows.filtered(lambda s: s.user_id == self.agent1)
        agent2 = rows.filtered(lambda s: s.user_id == self.agent2)
        team = rows.filtered(lambda s: s.scope == "team" and s.team_id == self.team)
        self.assertEqual(len(agent1), 1)

        self.assertEqual(agent1.ticket_count, 4)
        self.assertAlmostEqual(agent1.first_response_hours, 3.0)  # (4 + 2 + 3) / 3 answered
        self.assertAlmostEqual(agent1.handling_hours, 7.5)  # (10 + 5) / 2 resolved
        self.assertAlmostEqual(agent1.fcr_rate, 0.5)  # 1 of 2 resolved never reopened
        self.assertAlmostEqual(agent1.reopen_rate, 0.5)
        self.assertAlmostEqual(agent1.sla_met_rate, 0.5)  # met + failed; running and none left out
        self.assertAlmostEqual(agent1.csat_avg, 3.5)
        self.assertAlmostEqual(agent1.satisfied_rate, 0.5)
        self.assertEqual(agent1.complaint_count, 1)
        self.assertAlmostEqual(agent1.complaint_rate, 0.25)
        self.assertAlmostEqual(agent1.qa_score_avg, 80.0)
        self.assertAlmostEqual(agent1.autocheck_pass_rate, 0.75)
        self.assertAlmostEqual(agent1.followup_rate, 0.5)
        self.assertEqual(agent1.rank_in_team, 2)
        self.assertEqual(agent2.rank_in_team, 1)
        self.assertAlmostEqual(agent2.qa_score_avg, 90.0)
        self.assertAlmostEqual(agent2.autocheck_coverage, 1.0)  # its one closed ticket was checked
        self.assertAlmostEqual(agent2.review_coverage, 0.0)  # ... and not reviewed
        self.assertFalse(agent1.autocheck_coverage, "no closed ticket: no coverage")

        self.assertEqual(team.ticket_count, 5)
        self.assertAlmostEqual(team.first_response_hours, 2.5)
        self.assertAlmostEqual(team.handling_hours, 17 / 3)
        self.assertAlmostEqual(team.fcr_rate, 2 / 3)
        self.assertAlmostEqual(team.csat_avg, 11 / 3)
        self.assertAlmostEqual(team.complaint_rate, 0.2)
        self.assertAlmostEqual(team.qa_score_avg, 85.0)
        self.assertFalse(team.rank_in_team)

        # targets: red when missed, green when met; a team's own target replaces the general one
        self.env["cs.kpi.target"].search([]).unlink()
        self.env["cs.kpi.target"].create(
            {"metric": "qa_score_avg", "target": 85, "period_type": "month", "scope": "agent"}
        )
        self.env["cs.kpi.target"].create(
            {"metric": "first_response_hours", "target": 2.0, "period_type": "month", "scope": "agent"}
        )
        self.assertEqual(agent1.target_state, "red")
        self.assertEqual(agent1.target_summary, "First Response (h), QA Average Score")
        self.assertEqual(agent2.target_state, "green")
        self.env["cs.kpi.target"].create(
            {"metric": "qa_score_avg", "target": 75, "period_type": "month", "scope": "agent", "team_id": self.team.id}
        )
        agent1.invalidate_recordset(["target_state", "target_summary"])
        self.assertEqual(agent1.target_summary, "First Response (h)")

        # recomputing replaces the rows
        period._compute_snapshots()
        self.assertEqual(len(period.snapshot_ids), len(rows))
        self.assertFalse(rows.exists())

    def test_agents_see_own_snapshots_leaders_their_team(self):
        self._ticket(self.agent1, datetime(2026, 3, 12, 4))
        self._ticket(self.agent2, datetime(2026, 3, 12, 4))
        period = self.env["cs.kpi.period"]._ensure(self.company, date(2026, 3, 20), period_types=["month"])
        period._compute_snapshots()
        Snapshot = self.env["cs.kpi.snapshot"]
        self.assertEqual(Snapshot.with_user(self.agent1).search([]).user_id, self.agent1)
        self.assertEqual(len(Snapshot.with_user(self.leader).search([("period_id", "=", period.id)])), 3)
        self.assertEqual(len(Snapshot.with_user(self.analyst).search([("period_id", "=", period.id)])), 3)

    def test_cron_queue_ends_when_periods_outnumber_a_batch(self):
        """The runs that work the queue off do not queue the day's periods again (with the periods of several
        companies above a batch, the cron never ended); the next day's run queues them once more."""
        Period = self.env["cs.kpi.period"]

        def cron_runs_until_the_queue_is_empty():
            runs = 0
            with patch.object(cs_kpi_period, "PERIOD_BATCH", 2):
                while runs < 30 and (not runs or Period.search_count([("state", "=", "todo")])):
                    Period._cron_compute()
                    runs += 1
            return runs

        with freeze_time(datetime(2026, 3, 12, 8)):
            self.assertLess(cron_runs_until_the_queue_is_empty(), 30, "the queue of the day's periods ends")
        periods = Period.search([("company_id", "=", self.company.id)])
        self.assertEqual(set(periods.mapped("state")), {"done"})
        day = periods.filtered(lambda p: p.period_type == "day" and p.date_start == date(2026, 3, 12))
        self.assertEqual(day.computed_date, datetime(2026, 3, 12, 8))

        with freeze_time(datetime(2026, 3, 13, 8)):
            self.assertLess(cron_runs_until_the_queue_is_empty(), 30)
        self.assertEqual(day.computed_date, datetime(2026, 3, 13, 8), "yesterday's period closed off the next day")

    def test_cron_computes_current_periods(self):
        self._ticket(self.agent1, datetime(2026, 3, 12, 4))
        with freeze_time(datetime(2026, 3, 12, 8)):
            self.env["cs.kpi.period"]._cron_compute()
        periods = self.env["cs.kpi.period"].search([("company_id", "=", self.company.id)])
        self.assertEqual(set(periods.mapped("state")), {"done"})
        self.assertEqual(set(periods.mapped("period_type")), {"day", "week", "month", "quarter", "year"})
        self.env.cr.execute("SELECT current_setting('enable_sort'), current_setting('jit')")
        self.assertEqual(self.env.cr.fetchone()[0], "on", "the planner settings are set back after the snapshots")
        year = periods.filtered(lambda p: p.period_type == "year")
        self.assertEqual(year.snapshot_ids.filtered(lambda s: s.user_id == self.agent1).ticket_count, 1)
