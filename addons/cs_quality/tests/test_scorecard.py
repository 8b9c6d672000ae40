from odoo import Command
from odoo.exceptions import ValidationError

from .common import CsQualityCase


class TestScorecard(CsQualityCase):
    def _scorecard(self, weights, **values):
        return self.env["cs.qa.scorecard"].create(
            dict(
                {
                    "name": "Test scorecard",
                    "criterion_ids": [
                        Command.create({"name": f"Item {index}", "weight": weight})
                        for index, weight in enumerate(weights)
                    ],
                },
                **values,
            )
        )

    def test_weights_must_add_up_to_100(self):
        self.assertEqual(self._scorecard([60, 40]).total_weight, 100)
        with self.assertRaisesRegex(ValidationError, "add up to 90"):
            self._scorecard([50, 40])
        scorecard = self._scorecard([50, 50])
        with self.assertRaisesRegex(ValidationError, "add up to 110"):
            scorecard.write({"criterion_ids": [Command.update(scorecard.criterion_ids[0].id, {"weight": 60})]})
        # moving points from one criterion to another in one save is fine
        scorecard.write(
            {
                "criterion_ids": [
                    Command.update(scorecard.criterion_ids[0].id, {"weight": 70}),
                    Command.update(scorecard.criterion_ids[1].id, {"weight": 30}),
                ]
            }
        )
        self.assertEqual(sorted(scorecard.criterion_ids.mapped("weight")), [30, 70])

    def test_bad_criterion_values(self):
        with self.assertRaises(ValidationError):
            self._scorecard([100, 0])
        with self.assertRaises(ValidationError):
            self.env["cs.qa.scorecard"].create(
                {
                    "name": "Scale",
                    "criterion_ids": [
                        Command.create({"name": "x", "weight": 100, "answer_type": "scale", "scale_max": 11})
                    ],
                }
            )
        with self.assertRaises(ValidationError):
            self._scorecard([100], pass_score=120)

    def test_seeded_scorecard(self):
        self.assertEqual(self.scorecard.total_weight, 100)
        names = self.scorecard.criterion_ids.mapped("name")
        self.assertIn("Ten polite words", names)
        self.assertIn("No negative phrases", names)
        self.assertTrue(self.env.ref("cs_quality.criterion_escalation").critical)
        self.assertEqual(
            set(self.scorecard.criterion_ids.mapped("auto_check")) - {False},
            {"polite", "negative", "first_response", "apology", "unanswered"},
        )

    def test_most_specific_scorecard_applies(self):
        ticket = self.make_ticket(channel_id=self.channel_phone.id)
        phone = self._scorecard([100], channel_ids=[Command.set(self.channel_phone.ids)])
        self.assertEqual(self.env["cs.qa.scorecard"]._find_for_ticket(ticket), phone)
        email_ticket = self.make_ticket(channel_id=self.channel_email.id)
        self.assertEqual(self.env["cs.qa.scorecard"]._find_for_ticket(email_ticket), self.scorecard)
