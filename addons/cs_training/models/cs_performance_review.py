from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_float_param
from odoo.exceptions import AccessError, UserError
from odoo.tools import date_utils

from .kpi_snapshot import agent_snapshots

REVIEW_PERIODS = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]  # N41
# the seeds name the criteria but give no weights: settings, with these defaults (docs: readme/CONFIGURE.md)
WEIGHTS = {
    "qa": ("cs_training.review_weight_qa", 30.0),
    "csat": ("cs_training.review_weight_csat", 20.0),
    "sla": ("cs_training.review_weight_sla", 20.0),
    "goal": ("cs_training.review_weight_goal", 20.0),
    "manager": ("cs_training.review_weight_manager", 10.0),
}
SNAPSHOT_FIELDS = ["ticket_count", "qa_score_avg", "csat_avg", "sla_met_rate", "fcr_rate", "complaint_count"]
EMPLOYEE_FIELDS = {"employee_comment"}
RATINGS = [("1", "Poor"), ("2", "Below Expectations"), ("3", "Meets Expectations"), ("4", "Good"), ("5", "Excellent")]


class CsPerformanceReview(models.Model):
    """An employee's performance review (考核) for a month, quarter or year."""

    _name = "cs.performance.review"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Performance Review"
    _order = "date_start desc, team_id, rank_in_team, id"
    _check_company_auto = True

    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True, tracking=True)
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index="btree_not_null", string="User")
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
    team_id = fields.Many2one("cs.ticket.team", string="Team", index=True, check_company=True)
    period_type = fields.Selection(REVIEW_PERIODS, string="Period", required=True, default="month")
    date_start = fields.Date(required=True, string="Period Start")
    date_end = fields.Date(compute="_compute_date_end", store=True)
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent to Employee"), ("acknowledged", "Acknowledged")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    reviewer_id = fields.Many2one("res.users", string="Reviewer", readonly=True, copy=False)
    # KPI snapshot of cs_quality for the agent and period, copied so the review keeps what was judged
    ticket_count = fields.Integer(string="Ticket Volume", readonly=True)
    qa_score_avg = fields.Float(string="QA Average", readonly=True, aggregator="avg")
    csat_avg = fields.Float(string="Average Rating", readonly=True, aggregator="avg")
    sla_met_rate = fields.Float(string="SLA Met", readonly=True, aggregator="avg")
    fcr_rate = fields.Float(string="First Contact Resolution", readonly=True, aggregator="avg")
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    goal_achievement = fields.Float(
        string="Goal Achievement (%)", tracking=True, help="Share of the period's goals reached, 0 to 100."
    )
    manager_rating = fields.Selection(RATINGS, tracking=True)
    score = fields.Float(string="Weighted Score", readonly=True, aggregator="avg", tracking=True)
    rank_in_team = fields.Integer(string="Rank in Team", readonly=True)
    manager_comment = fields.Html(string="Manager Comments")
    employee_comment = fields.Text(string="Employee Comments")
    acknowledged_date = fields.Datetime(string="Acknowledged On", readonly=True, copy=False)
    incentive_ids = fields.Many2many(
        "cs.incentive.record", compute="_compute_links", string="Rewards and Penalties", compute_sudo=True
    )
    incentive_net = fields.Float(string="Net Reward/Penalty", compute="_compute_links", compute_sudo=True)
    training_ids = fields.Many2many(
        "cs.training.record", compute="_compute_links", string="Trainings", compute_sudo=True
    )
    development_course_ids = fields.Many2many(
        "cs.training.course", string="Training to Follow", help="Courses the employee is enrolled in on sending."
    )
    promotion_proposed = fields.Boolean(tracking=True)

    _sql_constraints = [
        (
            "review_unique",
            "UNIQUE (employee_id, period_type, date_start)",
            "An employee has one review per period.",
        ),
        (
            "goal_range",
            "CHECK (COALESCE(goal_achievement, 0) BETWEEN 0 AND 100)",
            "Goal achievement is between 0 and 100 %.",
        ),
    ]

    @api.depends("period_type", "date_start")
    def _compute_date_end(self):
        for review in self:
            review.date_end = review.date_start and date_utils.end_of(review.date_start, review.period_type)

    @api.depends("employee_id", "date_start", "date_end")
    def _compute_links(self):
        for review in self:
            period = [("employee_id", "=", review.employee_id.id)]
            incentives = self.env["cs.incentive.record"].search(
                [
                    *period,
                    ("date", ">=", review.date_start),
                    ("date", "<=", review.date_end),
                    ("state", "in", ("approved", "applied")),
                ]
            )
            review.incentive_ids = incentives
            review.incentive_net = sum(incentives.mapped("signed_amount"))
            review.training_ids = self.env["cs.training.record"].search(
                [
                    *period,
                    ("date_enrolled", "<=", review.date_end),
                    "|",
                    ("date_done", "=", False),
                    ("date_done", ">=", review.date_start),
                ]
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("date_start"):
                vals["date_start"] = date_utils.start_of(
                    fields.Date.to_date(vals["date_start"]), vals.get("period_type", "month")
                )
        reviews = super().create(vals_list)
        for review in reviews.filtered(lambda r: not r.team_id):
            review.team_id = review.user_id.cs_team_ids[:1]
        reviews._load_kpis()
        reviews._score()
        return reviews

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group("cs_helpdesk.group_manager"):
            # employees write only their comments on their own review (the record rule keeps them to it)
            if set(vals) - EMPLOYEE_FIELDS:
                raise AccessError(self.env._("Only a customer service manager changes a performance review."))
            if self.filtered(lambda r: r.state != "sent"):
                raise UserError(self.env._("Comment on your review once it is sent to you."))
        res = super().write(vals)
        if {"goal_achievement", "manager_rating"} & set(vals):
            self._score()
        return res

    # ------------------------------------------------------------------ KPIs and score
    def _load_kpis(self, recompute=False):
        """Copies the agent's cs_quality KPI snapshot of the period (computed now if missing or asked)."""
        for (company, period_type, date_start), reviews in self.grouped(
            lambda r: (r.company_id, r.period_type, r.date_start)
        ).items():
            by_user = agent_snapshots(
                self.env, company, period_type, date_start, reviews.user_id, SNAPSHOT_FIELDS, recompute
            )
            for review in reviews:
                row = by_user.get(review.user_id.id, {})
                values = {name: row.get(name) or 0 for name in SNAPSHOT_FIELDS}
                if any(review[name] != value for name, value in values.items()):
                    review.with_context(tracking_disable=True).write(values)

    def _components(self):
        """The scored criteria on a 0-100 scale; a criterion without data is left out (None)."""
        self.ensure_one()
        return {
            "qa": self.qa_score_avg if self.qa_score_avg else None,
            "csat": self.csat_avg * 20 if self.csat_avg else None,
            "sla": self.sla_met_rate * 100 if self.ticket_count else None,
            "goal": self.goal_achievement,
            "manager": int(self.manager_rating) * 20 if self.manager_rating else None,
        }

    def _score(self):
        """Weighted mean of the criteria with data (weights are settings), then the rank in each team."""
        weights = {key: get_float_param(self.env, param, default) for key, (param, default) in WEIGHTS.items()}
        for review in self:
            parts = {key: value for key, value in review._components().items() if value is not None}
            total = sum(weights[key] for key in parts)
            score = round(sum(weights[key] * value for key, value in parts.items()) / total if total else 0.0, 2)
            if review.score != score:
                review.write({"score": score})
        self._rank()

    def _rank(self):
        """Rank by score among the reviews of the same team and period (1 = best, ties share a rank)."""
        keys = {(r.team_id.id, r.period_type, r.date_start) for r in self if r.team_id}
        for team_id, period_type, date_start in keys:
            peers = self.search(
                [("team_id", "=", team_id), ("period_type", "=", period_type), ("date_start", "=", date_start)]
            )
            for review in peers:
                rank = 1 + sum(1 for other in peers if other.score > review.score)
                if review.rank_in_team != rank:
                    review.with_context(tracking_disable=True).write({"rank_in_team": rank})

    def action_refresh(self):
        self._check_state("draft")
        self._load_kpis(recompute=True)
        self._score()
        return True

    # ------------------------------------------------------------------ workflow
    def _check_state(self, state):
        if self.filtered(lambda r: r.state != state):
            raise UserError(self.env._("This step is not possible in the review's current state."))

    def action_send(self):
        """The manager sends the review: the employee is asked to read and acknowledge it."""
        self._check_state("draft")
        if self.filtered(lambda r: r.user_id == self.env.user):
            raise UserError(self.env._("You cannot review yourself: another manager sends your review."))
        self.write({"state": "sent", "reviewer_id": self.env.uid})
        for review in self:
            if review.development_course_ids:
                self.env["cs.training.record"]._enrol(review.employee_id, review.development_course_ids, "manual")
            if review.user_id:
                review.message_subscribe(partner_ids=review.user_id.partner_id.ids)
                review.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=review.user_id.id,
                    summary=self.env._("Read and acknowledge your performance review"),
                )
        return True

    def action_acknowledge(self):
        self._check_state("sent")
        if self.filtered(lambda r: r.user_id != self.env.user):
            raise AccessError(self.env._("Only the reviewed employee acknowledges their review."))
        # the employee may read but not write their review; acknowledging is theirs to do
        self.sudo().write({"state": "acknowledged", "acknowledged_date": fields.Datetime.now()})
        self.sudo().activity_ids.filtered(lambda a: a.user_id == self.env.user).action_feedback()
        return True

    def action_draft(self):
        self._check_state("sent")
        self.write({"state": "draft"})
        return True

    @api.model
    def _generate(self, employees, period_type, date_start):
        """Creates the missing reviews of ``employees`` for the period (scored and ranked)."""
        date_start = date_utils.start_of(fields.Date.to_date(date_start), period_type)
        existing = self.search(
            [("employee_id", "in", employees.ids), ("period_type", "=", period_type), ("date_start", "=", date_start)]
        )
        return self.with_context(mail_create_nolog=True).create(
            [
                {"employee_id": employee.id, "period_type": period_type, "date_start": date_start}
                for employee in employees - existing.employee_id
            ]
        )

    @api.model
    def action_generate_last_month(self):
        """Reviews of last month for every customer service employee of the company."""
        month = date_utils.start_of(fields.Date.context_today(self), "month") - date_utils.relativedelta(months=1)
        employees = self.env["cs.incentive.record"]._cs_employees(self.env.company)
        self._generate(employees, "month", month)
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_training.cs_performance_review_action")
        action["domain"] = [("period_type", "=", "month"), ("date_start", "=", month)]
        return action
