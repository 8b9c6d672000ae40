from datetime import timedelta

from markupsafe import Markup, escape
from odoo import api, fields, models
from odoo.addons.cs_helpdesk.models.cs_settings import get_int_param
from odoo.exceptions import UserError, ValidationError

# The seeds give no appeal period: a working week by default, changed in the settings.
APPEAL_DAYS_PARAM = "cs_quality.appeal_days"
DEFAULT_APPEAL_DAYS = 7

REVIEW_STATES = [
    ("draft", "To Score"),
    ("done", "Sent to Agent"),
    ("acknowledged", "Acknowledged"),
    ("appealed", "Appealed"),
    ("revised", "Revised on Appeal"),
]


class CsQaReview(models.Model):
    """A QA inspector's scoring of how an agent handled a closed ticket (质检)."""

    _name = "cs.qa.review"
    _description = "QA Review"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    ticket_id = fields.Many2one(
        "cs.ticket", required=True, index=True, check_company=True, ondelete="cascade", tracking=True
    )
    agent_id = fields.Many2one(
        "res.users", string="Agent", required=True, index=True, tracking=True, help="Agent whose handling is scored."
    )
    team_id = fields.Many2one("cs.ticket.team", string="Team", index=True, check_company=True)
    inspector_id = fields.Many2one(
        "res.users",
        string="Inspector",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=lambda self: [("groups_id", "in", self.env.ref("cs_quality.group_qa_inspector").id)],
    )
    scorecard_id = fields.Many2one("cs.qa.scorecard", required=True, check_company=True)
    kind = fields.Selection(
        [("sample", "Sample"), ("manual", "Manual"), ("appeal", "Appeal Review"), ("calibration", "Calibration")],
        required=True,
        default="manual",
    )
    state = fields.Selection(REVIEW_STATES, string="Status", default="draft", required=True, index=True, tracking=True)
    line_ids = fields.One2many("cs.qa.review.line", "review_id", string="Answers", copy=True)
    raw_score = fields.Float(string="Points", compute="_compute_score", store=True, aggregator="avg")
    critical_failed = fields.Boolean(string="Critical Item Failed", compute="_compute_score", store=True)
    score = fields.Float(
        compute="_compute_score",
        store=True,
        aggregator="avg",
        help="Points out of 100; 0 when a critical item failed.",
    )
    passed = fields.Boolean(compute="_compute_score", store=True)
    feedback = fields.Html(string="Feedback to the Agent")
    feedback_date = fields.Datetime(string="Sent On", readonly=True, copy=False, index=True)
    acknowledged_date = fields.Datetime(string="Acknowledged On", readonly=True, copy=False)
    appeal_reason = fields.Text(readonly=True, copy=False)
    appeal_date = fields.Datetime(string="Appealed On", readonly=True, copy=False)
    appeal_deadline = fields.Datetime(compute="_compute_appeal_deadline")
    parent_id = fields.Many2one(
        "cs.qa.review", string="Appealed Review", readonly=True, copy=False, index="btree_not_null"
    )
    appeal_review_id = fields.Many2one("cs.qa.review", string="Second Review", readonly=True, copy=False)
    calibration_id = fields.Many2one("cs.qa.calibration", readonly=True, copy=False, index="btree_not_null")
    is_final = fields.Boolean(
        string="Counts in QA Average",
        compute="_compute_is_final",
        store=True,
        help="Counts in the agent's QA average: sent, not superseded by an appeal, not a calibration exercise.",
    )
    conversation = fields.Html(compute="_compute_conversation", sanitize=False)
    check_ids = fields.One2many(related="ticket_id.qa_check_ids", string="Automatic Checks")

    @api.depends("line_ids.score", "line_ids.failed", "line_ids.critical", "scorecard_id.pass_score")
    def _compute_score(self):
        for review in self:
            review.raw_score = sum(review.line_ids.mapped("score"))
            review.critical_failed = any(line.critical and line.failed for line in review.line_ids)
            review.score = 0.0 if review.critical_failed else review.raw_score
            review.passed = not review.critical_failed and review.score >= review.scorecard_id.pass_score

    @api.depends("state", "kind")
    def _compute_is_final(self):
        for review in self:
            review.is_final = review.kind != "calibration" and review.state in ("done", "acknowledged", "appealed")

    @api.depends("feedback_date")
    def _compute_appeal_deadline(self):
        days = get_int_param(self.env, APPEAL_DAYS_PARAM, DEFAULT_APPEAL_DAYS)
        for review in self:
            review.appeal_deadline = review.feedback_date and review.feedback_date + timedelta(days=days)

    @api.depends("ticket_id")
    def _compute_conversation(self):
        """The ticket's customer and agent messages, fetched for all reviews in one query."""
        messages = self.env["mail.message"].search_fetch(
            [
                ("model", "=", "cs.ticket"),
                ("res_id", "in", self.ticket_id.ids),
                ("message_type", "in", ("email", "comment")),
            ],
            ["res_id", "date", "body", "author_id", "email_from", "subtype_id"],
            order="id",
        )
        by_ticket = {}
        for message in messages:
            by_ticket.setdefault(message.res_id, []).append(message)
        note = self.env.ref("mail.mt_note")
        for review in self:
            rows = [
                Markup(
                    '<div class="o_cs_qa_message mb-2 p-2 border rounded%s"><div class="text-muted small">'
                    "<b>%s</b> · %s%s</div><div>%s</div></div>"
                )
                % (
                    " bg-light" if message.subtype_id == note else "",
                    message.author_id.name or message.email_from or "",
                    fields.Datetime.to_string(fields.Datetime.context_timestamp(self, message.date)),
                    Markup(" · %s") % self.env._("Internal note") if message.subtype_id == note else "",
                    message.body or "",
                )
                for message in by_ticket.get(review.ticket_id.id, [])
            ]
            review.conversation = Markup("").join(rows) or escape(self.env._("No message on this ticket."))

    @api.constrains("ticket_id", "inspector_id", "agent_id")
    def _check_inspector(self):
        for review in self:
            if review.inspector_id == review.agent_id:
                raise ValidationError(self.env._("Inspectors never review their own tickets."))
            if review.parent_id and review.inspector_id == review.parent_id.inspector_id:
                raise ValidationError(self.env._("An appeal is reviewed by another inspector than the first one."))

    @api.model_create_multi
    def create(self, vals_list):
        tickets = self.env["cs.ticket"].browse([vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")])
        open_tickets = tickets.filtered(lambda t: not t.is_closed)
        if open_tickets:
            raise UserError(
                self.env._("Only closed tickets can be reviewed; %s is still open.", open_tickets[0].display_name)
            )
        for vals in vals_list:
            ticket = self.env["cs.ticket"].browse(vals.get("ticket_id"))
            if not ticket:
                continue
            vals.setdefault("company_id", ticket.company_id.id)
            vals.setdefault("agent_id", ticket.user_id.id)
            vals.setdefault("team_id", ticket.team_id.id)
            if not vals.get("agent_id"):
                raise UserError(self.env._("Ticket %s has no agent to review.", ticket.display_name))
            if not vals.get("scorecard_id"):
                scorecard = self.env["cs.qa.scorecard"]._find_for_ticket(ticket)
                if not scorecard:
                    raise UserError(self.env._("No scorecard applies to ticket %s.", ticket.display_name))
                vals["scorecard_id"] = scorecard.id
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("cs.qa.review") or "/"
        reviews = super().create(vals_list)
        reviews.filtered(lambda r: not r.line_ids)._prefill_lines()
        for review in reviews:
            review.message_subscribe(partner_ids=review.inspector_id.partner_id.ids)
        return reviews

    def _prefill_lines(self):
        """One line per criterion, answered from the ticket's automatic checks where a criterion maps to one."""
        results = self.ticket_id._qa_check_summary()
        commands = []
        for review in self:
            if review.scorecard_id.total_weight != 100:
                review.scorecard_id._check_weights()
            ticket_results = results.get(review.ticket_id.id, {})
            lines = []
            for criterion in review.scorecard_id.criterion_ids:
                values = {"review_id": review.id, "criterion_id": criterion.id}
                auto = ticket_results.get(criterion.auto_check)
                if auto:
                    values["auto_result"] = auto
                    values.update(self.env["cs.qa.review.line"]._answer_from_result(criterion, auto))
                lines.append(values)
            commands += lines
        self.env["cs.qa.review.line"].create(commands)

    # ------------------------------------------------------------------ workflow
    def action_send(self):
        for review in self:
            if review.state != "draft":
                raise UserError(self.env._("Review %s was already sent.", review.name))
            unanswered = review.line_ids.filtered(lambda line: not line.answered)
            if unanswered:
                raise UserError(
                    self.env._(
                        "Answer every criterion before sending the review; %s is not answered.",
                        unanswered[0].criterion_id.name,
                    )
                )
            failed_without_cause = review.line_ids.filtered(
                lambda line: line.failed and line.criterion_id.root_cause_ids and not line.root_cause_id
            )
            if failed_without_cause:
                raise UserError(
                    self.env._(
                        "Choose the root cause of the failed criterion %s.", failed_without_cause[0].criterion_id.name
                    )
                )
        now = fields.Datetime.now()
        self.write({"state": "done", "feedback_date": now})
        for review in self.filtered(lambda r: r.kind != "calibration"):
            review.message_subscribe(partner_ids=review.agent_id.partner_id.ids)
            review.message_post(
                body=self.env._(
                    "Your QA review of ticket %(ticket)s: %(score)s / 100.",
                    ticket=review.ticket_id.number,
                    score=round(review.score, 1),
                ),
                partner_ids=review.agent_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            if review.parent_id:
                review.parent_id.sudo().write({"state": "revised"})
        return True

    def _check_is_agent(self):
        for review in self:
            if review.agent_id != self.env.user:
                raise UserError(self.env._("Only the reviewed agent can acknowledge or appeal review %s.", review.name))
            if review.state != "done":
                raise UserError(self.env._("Review %s is not waiting for your answer.", review.name))

    def action_acknowledge(self):
        self._check_is_agent()
        self.sudo().write({"state": "acknowledged", "acknowledged_date": fields.Datetime.now()})
        return True

    def action_appeal(self, reason):
        """The agent disputes the review before the deadline; another inspector reviews the ticket again."""
        self._check_is_agent()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the appeal."))
        now = fields.Datetime.now()
        for review in self:
            if now > review.appeal_deadline:
                raise UserError(
                    self.env._(
                        "The appeal period of review %(name)s ended on %(deadline)s.",
                        name=review.name,
                        deadline=fields.Datetime.to_string(review.appeal_deadline),
                    )
                )
            inspector = review.sudo()._pick_inspectors(review.ticket_id, exclude=review.inspector_id)
            if not inspector:
                raise UserError(self.env._("No other QA inspector is available to review the appeal."))
            second = review.sudo().create(
                {
                    "ticket_id": review.ticket_id.id,
                    "inspector_id": inspector.id,
                    "scorecard_id": review.scorecard_id.id,
                    "kind": "appeal",
                    "parent_id": review.id,
                }
            )
            review.sudo().write(
                {"state": "appealed", "appeal_reason": reason, "appeal_date": now, "appeal_review_id": second.id}
            )
            second.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=inspector.id,
                summary=self.env._("Review the appeal of %s", review.name),
                note=escape(reason),
            )
        return True

    @api.model
    def _pick_inspectors(self, ticket, count=1, exclude=None):
        """Inspectors with the fewest reviews to score, never the ticket's own agent."""
        candidates = self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("cs_quality.group_qa_inspector").id),
                ("share", "=", False),
                ("company_ids", "in", ticket.company_id.id),
                ("id", "not in", (ticket.user_id | (exclude or self.env["res.users"])).ids),
            ]
        )
        load = dict(
            self._read_group(
                [("state", "=", "draft"), ("inspector_id", "in", candidates.ids)], ["inspector_id"], ["__count"]
            )
        )
        ordered = candidates.sorted(lambda u: (load.get(u, 0), u.id))
        return ordered[:count]

    def action_open_ticket(self):
        self.ensure_one()
        return self.ticket_id.get_formview_action()

    def action_open_appeal_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Appeal"),
            "res_model": "cs.qa.appeal.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_review_id": self.id},
        }

    def action_create_improvement(self):
        self.ensure_one()
        action = self.env["cs.improvement.action"].create(
            {
                "name": self.env._("Improve: %s", self.ticket_id.name),
                "source": "review",
                "review_id": self.id,
                "ticket_id": self.ticket_id.id,
                "team_id": self.team_id.id,
                "problem": "\n".join(
                    f"{line.criterion_id.name}: {line.root_cause_id.name or ''}"
                    for line in self.line_ids
                    if line.failed
                ),
            }
        )
        return action._open_form()
