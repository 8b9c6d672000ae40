from datetime import date, datetime

from freezegun import freeze_time
from odoo import Command

from .common import CsQualityCase

WEEK = date(2026, 3, 2)  # a Monday


class TestSampling(CsQualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["cs.qa.sampling.rule"].create(
            {
                "name": "Test sample",
                "percentage": 20,
                "seed": "test",
                "team_ids": [Command.set(cls.team.ids)],
                "inspector_ids": [Command.set((cls.inspector1 | cls.inspector2).ids)],
            }
        )

    def _week_tickets(self, agent, count, **values):
        tickets = self.make_tickets([dict({"user_id": agent.id}, **values) for _index in range(count)])
        self.force_close(tickets)
        tickets.closed_date = datetime(2026, 3, 4, 6)
        return tickets

    def test_draw_is_reproducible_and_proportional(self):
        tickets1 = self._week_tickets(self.agent1, 20)
        tickets2 = self._week_tickets(self.agent2, 10)
        draw = self.rule._draw(WEEK)
        self.assertEqual(draw, self.rule._draw(WEEK), "same seed, week and tickets: same sample")
        self.assertEqual(len(draw & tickets1), 4)  # 20 % of 20
        self.assertEqual(len(draw & tickets2), 2)  # 20 % of 10
        draws = {tuple(self.rule.copy({"seed": f"seed {index}"})._draw(WEEK).ids) for index in range(5)}
        self.assertGreater(len(draws), 1, "the seed changes the sample")
        # tickets closed outside the week or already reviewed are not drawn
        self.assertFalse(self.rule._draw(date(2026, 3, 9)))

    def test_complaints_and_low_ratings_always_included(self):
        self._week_tickets(self.agent1, 10)
        complaint = self._week_tickets(self.agent1, 1, type_id=self.type_complaint.id)
        low = self._week_tickets(self.agent1, 1)
        low.rating_last_value = 1
        happy = self._week_tickets(self.agent1, 1)
        happy.rating_last_value = 5
        for seed in ("a", "b", "c"):
            self.rule.seed = seed
            draw = self.rule._draw(WEEK)
            self.assertIn(complaint, draw)
            self.assertIn(low, draw)
        self.rule.write({"include_complaints": False, "low_rating": 0, "percentage": 0})
        self.assertFalse(self.rule._draw(WEEK))

    def test_balanced_assignment_never_to_own_agent(self):
        self.inspector2.groups_id = [Command.link(self.env.ref("cs_helpdesk.group_agent").id)]
        tickets = self._week_tickets(self.agent1, 6) | self._week_tickets(self.inspector2, 2)
        reviews = self.rule._assign(tickets)
        self.assertEqual(len(reviews), 8)
        own = reviews.filtered(lambda r: r.agent_id == self.inspector2)
        self.assertEqual(own.inspector_id, self.inspector1)
        counts = {user: len(reviews.filtered(lambda r, u=user: r.inspector_id == u)) for user in reviews.inspector_id}
        self.assertEqual(sorted(counts.values()), [4, 4])
        self.assertTrue(all(review.kind == "sample" for review in reviews))
        self.assertFalse(self.rule._draw(WEEK), "reviewed tickets are not drawn again")

    def test_cron_draws_the_previous_week_once(self):
        self.env["cs.qa.sampling.rule"].search([("id", "!=", self.rule.id)]).active = False
        complaint = self._week_tickets(self.agent1, 1, type_id=self.type_complaint.id)
        with freeze_time(datetime(2026, 3, 10, 2)):  # the Tuesday after the week
            self.env["cs.qa.sampling.rule"]._cron_draw()
            self.assertEqual(self.rule.last_week, WEEK)
            self.assertEqual(complaint.qa_review_ids.kind, "sample")
            late = self._week_tickets(self.agent2, 1, type_id=self.type_complaint.id)
            self.env["cs.qa.sampling.rule"]._cron_draw()
        self.assertFalse(late.qa_review_ids, "the week is drawn once")
