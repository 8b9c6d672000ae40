from odoo import fields, models

SCORE_HELP = "Optional score from 1 (poor) to 5 (excellent) the customer gave on the rating page."


class RatingRating(models.Model):
    """Satisfaction dimensions of a ticket rating: attitude, efficiency, problem solving."""

    _inherit = "rating.rating"

    cs_attitude_score = fields.Integer(string="Service Attitude", aggregator="avg", readonly=True, help=SCORE_HELP)
    cs_efficiency_score = fields.Integer(string="Service Efficiency", aggregator="avg", readonly=True, help=SCORE_HELP)
    cs_solving_score = fields.Integer(string="Problem Solving", aggregator="avg", readonly=True, help=SCORE_HELP)

    _sql_constraints = [
        (
            "cs_dimension_scores_range",
            "CHECK ((cs_attitude_score IS NULL OR cs_attitude_score BETWEEN 1 AND 5) "
            "AND (cs_efficiency_score IS NULL OR cs_efficiency_score BETWEEN 1 AND 5) "
            "AND (cs_solving_score IS NULL OR cs_solving_score BETWEEN 1 AND 5))",
            "A satisfaction dimension score goes from 1 to 5.",
        ),
    ]

    def _cs_apply_dimension_scores(self, scores):
        """Store the dimension scores posted with the rating; values outside 1-5 are ignored."""
        values = {}
        for field_name, raw in scores.items():
            try:
                score = int(raw)
            except (TypeError, ValueError):
                continue
            if field_name in self._fields and 1 <= score <= 5:
                values[field_name] = score
        if values:
            self.write(values)
        return values
