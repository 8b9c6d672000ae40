from datetime import date, datetime

from freezegun import freeze_time
from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CsQualityCase


class KpiSurveyCase(CsQualityCase):
    """A scored employee satisfaction survey, a second team, and March 2026's monthly snapshots."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.env.user.tz = "Asia/Shanghai"
        cls.survey = cls.env["survey.survey"].create(
            {"title": "员工满意度调查", "scoring_type": "scoring_without_answers", "cs_esat": True}
        )
        cls.question = cls.env["survey.question"].create(
            {
                "survey_id": cls.survey.id,
                "title": "您对工作环境满意吗？",
                "question_type": "simple_choice",
                "suggested_answer_ids": [
                    Command.create({"value": "满意", "answer_score": 10}),
                    Command.create({"value": "一般", "answer_score": 5}),
                    Command.create({"value": "不满意", "answer_score": 0}),
                ],
            }
        )
        cls.other_team = cls.env["cs.ticket.team"].create(
            {"name": "夜班组", "member_ids": [Command.set(cls.agent2.ids)]}
        )

    def answer(self, user, value, when, survey=None):
        survey = survey or self.survey
        question = survey.question_ids[:1]
        with freeze_time(when):
            user_input = survey._create_answer(user=user)
            choice = question.suggested_answer_ids.filtered(lambda a: a.value == value)
            user_input._save_lines(question, choice.id)
            user_input._mark_done()
        return user_input

    def march(self):
        period = self.env["cs.kpi.period"]._ensure(self.company, date(2026, 3, 20), period_types=["month"])
        period._compute_snapshots()
        return period.snapshot_ids


class TestKpiEsat(KpiSurveyCase):
    """Employee satisfaction (ESAT) from a scored survey, per team in the KPI snapshots."""

    def test_esat_per_team(self):
        self.env["ir.config_parameter"].set_param("cs_quality.esat_min_respondents", "1")  # the minimum: below
        self.answer(self.agent1, "满意", datetime(2026, 3, 10, 4))  # 100 %
        self.answer(self.agent2, "一般", datetime(2026, 3, 11, 4))  # 50 %, in both teams
        self.answer(self.agent1, "不满意", datetime(2026, 4, 2, 4))  # April: not in March
        plain = self.env["survey.survey"].create({"title": "培训反馈", "scoring_type": "scoring_without_answers"})
        self.env["survey.question"].create(
            {
                "survey_id": plain.id,
                "title": "课程有用吗？",
                "question_type": "simple_choice",
                "suggested_answer_ids": [Command.create({"value": "满意", "answer_score": 0})],
            }
        )
        self.answer(self.agent1, "满意", datetime(2026, 3, 12, 4), survey=plain)  # not an ESAT survey
        rows = self.march()
        team = rows.filtered(lambda s: s.scope == "team" and s.team_id == self.team)
        night = rows.filtered(lambda s: s.scope == "team" and s.team_id == self.other_team)
        self.assertAlmostEqual(team.esat_score, 0.75)
        self.assertEqual(team.esat_response_count, 2)
        self.assertAlmostEqual(night.esat_score, 0.5)
        self.assertEqual(night.esat_response_count, 1)
        self.assertFalse(rows.filtered(lambda s: s.scope == "agent"), "answers alone make no agent row")
        self.assertFalse(night.ticket_count)

    def test_esat_hidden_below_minimum_respondents(self):
        """With two employees answering, each could work out the other's score: hidden below 3 (default), however
        many times they answer."""
        self.answer(self.agent1, "满意", datetime(2026, 3, 10, 4))
        self.answer(self.agent2, "不满意", datetime(2026, 3, 11, 4))
        self.answer(self.agent1, "满意", datetime(2026, 3, 20, 4))
        self.answer(self.agent2, "不满意", datetime(2026, 3, 21, 4))
        team = self.march().filtered(lambda s: s.scope == "team" and s.team_id == self.team)
        self.assertEqual((team.esat_response_count, team.esat_respondent_count), (4, 2))
        self.assertFalse(team.esat_score)
        self.assertIn("fewer than 3 employees answered", team.esat_note)
        manager = new_test_user(self.env, "cs_test_esat_min_manager", groups="cs_helpdesk.group_manager")
        groups = (
            self.env["cs.kpi.snapshot"].with_user(manager)._read_group([("id", "=", team.id)], [], ["esat_score:avg"])
        )
        self.assertFalse(groups[0][0], "the score is not stored: no aggregate shows it either")
        self.answer(self.agent3, "一般", datetime(2026, 3, 12, 4))
        team = self.march().filtered(lambda s: s.scope == "team" and s.team_id == self.team)
        self.assertEqual((team.esat_response_count, team.esat_respondent_count), (5, 3))
        self.assertAlmostEqual(team.esat_score, (1 + 0 + 1 + 0 + 0.5) / 5)
        self.assertFalse(team.esat_note)
        # the minimum is a setting
        self.env["ir.config_parameter"].set_param("cs_quality.esat_min_respondents", "4")
        team = self.march().filtered(lambda s: s.scope == "team" and s.team_id == self.team)
        self.assertFalse(team.esat_score)
        self.assertIn("fewer than 4 employees answered", team.esat_note)

    def test_agent_rows_never_show_esat(self):
        self.make_ticket(user_id=self.agent1.id)
        ticket = self.make_ticket(user_id=self.agent1.id)
        self.env.flush_all()
        self.env.cr.execute("UPDATE cs_ticket SET create_date = '2026-03-12 04:00' WHERE id = %s", [ticket.id])
        self.answer(self.agent1, "满意", datetime(2026, 3, 10, 4))
        agent_row = self.march().filtered(lambda s: s.user_id == self.agent1)
        self.assertEqual(agent_row.ticket_count, 1)
        self.assertFalse(agent_row.esat_score)
        self.assertFalse(agent_row.esat_response_count)

    def test_esat_survey_needs_scoring(self):
        with self.assertRaisesRegex(ValidationError, "needs a scoring"):
            self.env["survey.survey"].create({"title": "没有评分", "scoring_type": "no_scoring", "cs_esat": True})

    def test_agents_cannot_read_colleagues_answers(self):
        self.answer(self.agent2, "不满意", datetime(2026, 3, 11, 4))
        try:
            answers = self.env["survey.user_input"].with_user(self.agent1).search([("survey_id", "=", self.survey.id)])
        except AccessError:
            answers = self.env["survey.user_input"]
        self.assertFalse(answers)
        # the team's figure is what they share: a manager reads it on the team row
        manager = new_test_user(self.env, "cs_test_esat_manager", groups="cs_helpdesk.group_manager")
        team = self.march().with_user(manager).filtered(lambda s: s.scope == "team" and s.team_id == self.team)
        self.assertEqual(team.esat_response_count, 1)

    def test_purchase_kpis_need_sales(self):
        repeat, churn = self.env["cs.kpi.snapshot"]._purchase_after_complaint_sql()
        if "sale.order" not in self.env:
            self.assertEqual((repeat.code, churn.code), ("NULL::float8", "NULL::float8"))
            row = self.march()
            self.assertFalse(row.filtered("repeat_purchase_rate"))


@tagged("post_install", "-at_install")
class TestKpiSales(KpiSurveyCase):
    """Repeat purchase and churn after complaints, from the sales orders where the Sales app is installed
    (after every module is loaded: cs_quality does not depend on ``sale``, which may load after it)."""

    def test_repeat_purchase_and_churn_after_complaints(self):
        if "sale.order" not in self.env:
            self.skipTest("the Sales app is not installed")  # cs_quality does not depend on it
        Partner = self.env["res.partner"]
        loyal, lost, calm = Partner.create([{"name": "王先生"}, {"name": "李女士"}, {"name": "张先生"}])
        complaint = self.make_ticket(user_id=self.agent1.id, partner_id=loyal.id, type_id=self.type_complaint.id)
        low = self.make_ticket(user_id=self.agent1.id, partner_id=lost.id)
        happy = self.make_ticket(user_id=self.agent1.id, partner_id=calm.id)
        self.env.flush_all()
        for ticket, rating in ((complaint, 0), (low, 1), (happy, 5)):
            self.env.cr.execute(
                "UPDATE cs_ticket SET create_date = '2026-03-05 04:00', rating_last_value = %s WHERE id = %s",
                [rating, ticket.id],
            )
        product = self.env["product.product"].create({"name": "蓝牙耳机"})
        for partner, day in ((loyal, "2026-02-20"), (loyal, "2026-04-10"), (lost, "2026-02-01"), (calm, "2026-02-01")):
            order = self.env["sale.order"].create(
                {"partner_id": partner.id, "order_line": [Command.create({"product_id": product.id})]}
            )
            order.write({"state": "sale", "date_order": f"{day} 04:00:00"})
        self.env.invalidate_all()
        agent = self.march().filtered(lambda s: s.user_id == self.agent1)
        # the complaint's customer bought again, the low rating's did not: 1 of 2; the happy one is not counted
        self.assertAlmostEqual(agent.repeat_purchase_rate, 0.5)
        # both had bought in the 90 days before; one stopped
        self.assertAlmostEqual(agent.churn_rate, 0.5)
        self.env["ir.config_parameter"].set_param("cs_quality.purchase_window_days", "30")
        agent = self.march().filtered(lambda s: s.user_id == self.agent1)
        self.assertAlmostEqual(agent.repeat_purchase_rate, 0.0, msg="10 April is past a 30-day window")
        self.assertAlmostEqual(agent.churn_rate, 1.0, msg="only the 20 February order is within 30 days before")
