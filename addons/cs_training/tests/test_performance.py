from datetime import date

from freezegun import freeze_time
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CsIncentiveCase

MAY = date(2026, 5, 1)


@tagged("post_install", "-at_install")
class TestPerformanceReview(CsIncentiveCase):
    """Three agents of one team with fixed KPI snapshots for May 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["cs.ticket.team"].search([("name", "=", "Incentive Team")])
        cls.agent2 = cls.env["res.users"].create({"name": "第三客服", "login": "perf_agent3"})
        cls.agent2.groups_id = [Command.link(cls.env.ref("cs_helpdesk.group_agent").id)]
        cls.team.member_ids = [Command.link(cls.other_agent.id), Command.link(cls.agent2.id)]
        cls.emp_third = cls.env["hr.employee"].create({"name": "赵小服", "user_id": cls.agent2.id})
        company = cls.env.company
        period = cls.env["cs.kpi.period"].create({"company_id": company.id, "period_type": "month", "date_start": MAY})
        period.state = "done"
        snapshot = {"period_id": period.id, "company_id": company.id, "scope": "agent", "team_id": cls.team.id}
        cls.env["cs.kpi.snapshot"].create(
            [
                # user, tickets, QA, rating (1-5), SLA met
                dict(snapshot, user_id=cls.agent.id, ticket_count=300, qa_score_avg=90, csat_avg=4.5, sla_met_rate=0.9),
                dict(
                    snapshot, user_id=cls.other_agent.id, ticket_count=280, qa_score_avg=70, csat_avg=4, sla_met_rate=1
                ),
                dict(snapshot, user_id=cls.agent2.id, ticket_count=0, qa_score_avg=0, csat_avg=0, sla_met_rate=0),
            ]
        )
        cls.Review = cls.env["cs.performance.review"].with_user(cls.manager)

    def test_score_and_rank_on_fixed_data(self):
        reviews = self.Review._generate(self.emp_agent | self.emp_other | self.emp_third, "month", "2026-05-20")
        agent = reviews.filtered(lambda r: r.employee_id == self.emp_agent)
        other = reviews.filtered(lambda r: r.employee_id == self.emp_other)
        third = reviews.filtered(lambda r: r.employee_id == self.emp_third)
        self.assertEqual((agent.date_start, agent.date_end, agent.team_id), (MAY, date(2026, 5, 31), self.team))
        self.assertEqual((agent.ticket_count, agent.qa_score_avg, agent.sla_met_rate), (300, 90, 0.9))
        # default weights QA 30, rating 20, SLA 20, goals 20, manager 10; criteria without data are left out
        # agent: (30*90 + 20*90 + 20*90 + 20*0) / 90 = 70.0
        self.assertEqual(agent.score, 70.0)
        # other: (30*70 + 20*80 + 20*100 + 20*0) / 90 = 63.33
        self.assertAlmostEqual(other.score, 63.33)
        self.assertEqual(third.score, 0.0)  # only the goal achievement (0) has data
        self.assertEqual([agent.rank_in_team, other.rank_in_team, third.rank_in_team], [1, 2, 3])
        other.write({"goal_achievement": 100, "manager_rating": "5"})
        # (2100 + 1600 + 2000 + 2000 + 1000) / 100 = 87.0
        self.assertEqual(other.score, 87.0)
        self.assertEqual([other.rank_in_team, agent.rank_in_team], [1, 2])

    def test_weights_are_settings(self):
        self.env["ir.config_parameter"].set_param("cs_training.review_weight_qa", "100")
        for key in ("csat", "sla", "goal", "manager"):
            self.env["ir.config_parameter"].set_param(f"cs_training.review_weight_{key}", "0")
        review = self.Review._generate(self.emp_agent, "month", MAY)
        self.assertEqual(review.score, 90.0)

    def test_quarter_and_year_periods(self):
        review = self.Review.create({"employee_id": self.emp_agent.id, "period_type": "quarter", "date_start": MAY})
        self.assertEqual((review.date_start, review.date_end), (date(2026, 4, 1), date(2026, 6, 30)))
        review = self.Review.create({"employee_id": self.emp_agent.id, "period_type": "year", "date_start": MAY})
        self.assertEqual((review.date_start, review.date_end), (date(2026, 1, 1), date(2026, 12, 31)))

    def test_links_send_acknowledge(self):
        penalty = self.approved(self.rule_nth, "2026-05-10")
        course = self.env["cs.training.course"].create({"name": "沟通技巧", "category": "communication"})
        review = self.Review._generate(self.emp_agent, "month", MAY)
        self.assertEqual(review.incentive_ids, penalty)
        self.assertEqual(review.incentive_net, -15)
        review.development_course_ids = course
        # the agent does not see a draft review
        self.assertFalse(self.env["cs.performance.review"].with_user(self.agent).search([]))
        own = self.Review._generate(self.emp_manager, "month", MAY)
        with self.assertRaises(UserError):
            own.action_send()  # a manager does not send their own review
        review.action_send()
        self.assertEqual(review.reviewer_id, self.manager)
        self.assertEqual(
            self.env["cs.training.record"].search([("employee_id", "=", self.emp_agent.id)]).course_id, course
        )
        mine = review.with_user(self.agent)
        with self.assertRaises(AccessError):
            mine.write({"goal_achievement": 100})
        mine.write({"employee_comment": "下月提升回复速度"})
        with self.assertRaises(AccessError):
            review.with_user(self.other_agent).action_acknowledge()
        mine.action_acknowledge()
        self.assertEqual(review.state, "acknowledged")
        self.assertIn(review, self.env["cs.performance.review"].with_user(self.leader).search([]))


@tagged("post_install", "-at_install")
class TestWeeklyReport(CsIncentiveCase):
    def test_report_prefilled_and_meeting(self):
        report = (
            self.env["cs.work.report"]
            .with_user(self.agent)
            .create({"employee_id": self.emp_agent.id, "week_start": "2026-06-01"})
        )
        self.assertEqual(report.ticket_count, 0)
        with self.assertRaises(UserError):
            report.action_submit()
        report.write({"goals": "完成 300 张工单", "problems": "物流查询慢", "improvements": "整理常见问答"})
        report.action_submit()
        self.assertEqual(report.state, "submitted")
        self.assertFalse(self.env["cs.work.report"].with_user(self.other_agent).search([]))
        self.env.company.partner_id.tz = "Asia/Shanghai"
        with freeze_time("2026-06-03 02:00:00"):  # a Wednesday
            event = self.env["cs.work.report"].with_user(self.manager)._schedule_weekly_meeting()
        # Monday 8 June 14:30 in Shanghai is 06:30 UTC
        self.assertEqual(str(event.start), "2026-06-08 06:30:00")
        self.assertTrue(event.recurrency and event.mon and event.rrule_type == "weekly")
        self.assertIn(self.agent.partner_id, event.partner_ids)
