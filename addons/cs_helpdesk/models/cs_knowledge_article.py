from datetime import timedelta

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, html2plaintext, is_html_empty, mute_logger
from psycopg2 import errors

from .cs_settings import get_int_param, recipient_lang
from .res_config_settings import DEFAULT_KNOWLEDGE_REVIEW_DAYS

ARTICLE_TYPES = [
    ("faq", "FAQ"),
    ("qa", "Q&A Pair"),
    ("procedure", "Procedure"),
    ("script", "Reference Script"),
    ("policy", "Policy Document"),
    ("product", "Product Knowledge"),
]
# knowledge base life cycle: write (梳理整合) → review (知识审核) → publish (分享) → periodic update (定期更新) → …
ARTICLE_STATES = [
    ("draft", "Draft"),
    ("in_review", "In Review"),
    ("published", "Published"),
    ("to_update", "Needs Update"),
    ("archived", "Archived"),
]
# what agents may look up and insert into replies
USABLE_STATES = ("published", "to_update")
# states only a knowledge reviewer may set
REVIEWER_STATES = ("published", "archived")


class CsKnowledgeArticle(models.Model):
    _name = "cs.knowledge.article"
    _description = "Knowledge Article"
    _inherit = ["mail.thread", "mail.activity.mixin", "cs.batch.cron.mixin"]
    _order = "sequence, id desc"
    _mail_post_access = "read"  # agents comment on the articles they read ("this answer is outdated")
    _rec_names_search = ["name", "keywords", "question"]

    def _default_review_interval(self):
        return get_int_param(self.env, "cs_helpdesk.knowledge_review_days", DEFAULT_KNOWLEDGE_REVIEW_DAYS, minimum=1)

    name = fields.Char(string="Title", required=True, tracking=True, index="trigram")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    article_type = fields.Selection(
        ARTICLE_TYPES, string="Type", required=True, default="faq", tracking=True, index=True
    )
    category_id = fields.Many2one("cs.knowledge.category", string="Category", tracking=True, index=True)
    keywords = fields.Char(
        index="trigram", help="Words customers and agents use for this subject, found by the search."
    )
    question = fields.Text(index="trigram", help="The customer's question, as customers ask it.")
    answer = fields.Html(help="The answer sent to the customer: inserted into ticket replies as written.")
    body = fields.Html(
        string="Content",
        index="trigram",
        help="Full explanation, steps or policy text for agents. Inserted into replies when there is no answer.",
    )
    product_ids = fields.Many2many("product.product", string="Products")
    team_ids = fields.Many2many(
        "cs.ticket.team", string="Audience Teams", help="Teams this article is written for; empty for every team."
    )
    ticket_type_ids = fields.Many2many(
        "cs.ticket.type",
        string="Ticket Types",
        help="Kinds of requests this article answers; suggested first on tickets of these types.",
    )
    state = fields.Selection(
        ARTICLE_STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand="_read_group_expand_states",
    )
    reviewer_id = fields.Many2one(
        "res.users",
        string="Reviewer",
        compute="_compute_reviewer_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    last_review_date = fields.Date(readonly=True, copy=False)
    review_interval_days = fields.Integer(
        string="Review Every (days)",
        default=_default_review_interval,
        help="Publishing sets the next review date this many days ahead; 0 for no periodic review.",
    )
    next_review_date = fields.Date(tracking=True, index=True, copy=False)
    use_count = fields.Integer(
        string="Uses", readonly=True, copy=False, aggregator="sum", help="Times inserted into a ticket reply."
    )
    last_used_date = fields.Datetime(string="Last Used On", readonly=True, copy=False)
    source_ticket_id = fields.Many2one(
        "cs.ticket", string="Source Ticket", readonly=True, copy=False, index="btree_not_null", ondelete="set null"
    )
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company, help="Empty to share with every company."
    )

    _sql_constraints = [
        ("review_interval_positive", "CHECK (review_interval_days >= 0)", "The review period cannot be negative.")
    ]

    @api.depends("category_id")
    def _compute_reviewer_id(self):
        for article in self:
            if not article.reviewer_id and article.category_id.reviewer_id:
                article.reviewer_id = article.category_id.reviewer_id

    def _read_group_expand_states(self, states, domain):
        return [key for key, _label in ARTICLE_STATES if key != "archived"]

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state") in REVIEWER_STATES for vals in vals_list):
            self._check_reviewer()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("state") in REVIEWER_STATES or "active" in vals:
            self._check_reviewer()
        return super().write(vals)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for article, vals in zip(self, vals_list, strict=True):
            vals.setdefault("name", self.env._("%(title)s (copy)", title=article.name))
        return vals_list

    # ------------------------------------------------------------------ workflow
    @api.model
    def _is_reviewer(self):
        return self.env.su or self.env.user.has_group("cs_helpdesk.group_knowledge_reviewer")

    @api.model
    def _check_reviewer(self):
        if not self._is_reviewer():
            raise AccessError(
                self.env._("Only knowledge reviewers, team leaders and managers can publish or archive articles.")
            )

    def action_submit(self):
        """Send drafts (and articles due for update) to their reviewer."""
        wrong = self.filtered(lambda a: a.state not in ("draft", "to_update"))
        if wrong:
            raise UserError(self.env._("Only draft articles and articles that need an update can be sent for review."))
        self.write({"state": "in_review"})
        review_type = self.env.ref("cs_helpdesk.mail_activity_type_knowledge_review")
        # as superuser: the reviewer follows the article, which its author may no longer edit
        for article in self.sudo().filtered("reviewer_id"):
            reviewer_env = self.with_context(lang=recipient_lang(self.env, article.reviewer_id)).env
            article.activity_schedule(
                activity_type_id=review_type.id,
                user_id=article.reviewer_id.id,
                summary=reviewer_env._("Review article"),
            )
        return True

    def action_publish(self):
        self._check_reviewer()
        wrong = self.filtered(lambda a: a.state == "archived")
        if wrong:
            raise UserError(self.env._("Restore an archived article as a draft before publishing it."))
        empty = self.filtered(lambda a: is_html_empty(a.answer) and is_html_empty(a.body))
        if empty:
            raise UserError(
                self.env._(
                    "Article “%(title)s” has neither an answer nor content: write one before publishing.",
                    title=empty[0].name,
                )
            )
        unanswered = self.filtered(lambda a: a.article_type == "qa" and not (a.question and a.question.strip()))
        if unanswered:
            raise UserError(self.env._("Q&A pair “%(title)s” needs the customer's question.", title=unanswered[0].name))
        today = fields.Date.context_today(self)
        for article in self:
            interval = article.review_interval_days
            article.write(
                {
                    "state": "published",
                    "reviewer_id": article.reviewer_id.id or self.env.user.id,
                    "last_review_date": today,
                    "next_review_date": today + timedelta(days=interval) if interval else False,
                }
            )
        self._close_review_activities()
        return True

    def action_reject(self):
        """Send an article under review back to its author."""
        self._check_reviewer()
        if self.filtered(lambda a: a.state != "in_review"):
            raise UserError(self.env._("Only articles under review can be sent back."))
        self.write({"state": "draft"})
        self._close_review_activities()
        return True

    def action_request_update(self):
        """Flag published articles as outdated: anyone who reads them may, so reviewers hear of it.

        As superuser: agents read published articles but do not edit them.
        """
        articles = self.filtered(lambda a: a.state == "published")
        if not articles:
            return True
        articles.check_access("read")
        articles.sudo().write({"state": "to_update"})
        user_name = self.env.user.name
        articles.sudo()._schedule_review_activities(
            fields.Date.context_today(self), lambda env: env._("Update requested by %(user)s", user=user_name)
        )
        return True

    def action_reset_draft(self):
        if self.filtered(lambda a: a.state not in ("in_review", "to_update", "archived")):
            raise UserError(self.env._("Only articles under review, due for update or archived return to draft."))
        archived = self.filtered(lambda a: a.state == "archived")
        if archived:
            archived.action_unarchive()
        (self - archived).write({"state": "draft"})
        return True

    def action_archive(self):
        self._check_reviewer()
        self.write({"state": "archived"})
        self._close_review_activities()
        return super().action_archive()

    def action_unarchive(self):
        self._check_reviewer()
        self.write({"state": "draft"})
        return super().action_unarchive()

    # ------------------------------------------------------------------ use from tickets
    def _get_reply_body(self):
        """What goes into a reply to the customer: the answer, else the content."""
        self.ensure_one()
        return self.answer if not is_html_empty(self.answer) else (self.body or Markup())

    def _record_use(self):
        """Count one insertion into a reply.

        As superuser: agents read published articles but do not write them, the counter excepted.
        A popular article is inserted by many agents at the same moment, and every increment of its
        row would wait for (or conflict with) the others and make their replies retry (seen in the
        load test): an article whose row another transaction holds or has just changed is not
        counted this time, so under heavy concurrency the count is a lower bound.
        """
        if not self:
            return
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                        SQL.identifier(self._table),
                        tuple(self.ids),
                    )
                )
        except (errors.LockNotAvailable, errors.SerializationFailure):
            return
        now = fields.Datetime.now()
        for article in self.sudo():
            article.write({"use_count": article.use_count + 1, "last_used_date": now})

    @api.model
    def _search_domain_for_terms(self, terms):
        """Full-text domain: every word must appear in the title, keywords, question or content."""
        domain = [("state", "in", USABLE_STATES)]
        for word in (terms or "").split():
            domain += [
                "|",
                "|",
                "|",
                ("name", "ilike", word),
                ("keywords", "ilike", word),
                ("question", "ilike", word),
                ("body", "ilike", word),
            ]
        return domain

    @api.model
    def _suggest_for_ticket(self, ticket, terms=None, limit=20):
        """Articles for ``ticket``: those matching ``terms``, else those written for its type or team."""
        domain = self._search_domain_for_terms(terms)
        if not (terms or "").strip():
            domain += [
                "|",
                "|",
                ("ticket_type_ids", "in", ticket.type_id.ids),
                ("team_ids", "in", ticket.team_id.ids),
                "&",
                ("ticket_type_ids", "=", False),
                ("team_ids", "=", False),
            ]
        return self.search(domain, limit=limit, order="use_count desc, id desc")

    # ------------------------------------------------------------------ reviews
    def _close_review_activities(self):
        self.activity_feedback(["cs_helpdesk.mail_activity_type_knowledge_review"])

    def _schedule_review_activities(self, deadline, summary):
        """One review activity per article for its reviewer, created in one batch.

        ``summary(env)`` gives the activity's title in the language of ``env``: each reviewer reads their own.
        """
        review_type = self.env.ref("cs_helpdesk.mail_activity_type_knowledge_review")
        model_id = self.env["ir.model"]._get_id(self._name)
        summaries = {}
        vals_list = []
        for article in self:
            reviewer = article.reviewer_id or article.category_id.reviewer_id or article.create_uid
            lang = recipient_lang(self.env, reviewer)
            if lang not in summaries:
                summaries[lang] = summary(self.with_context(lang=lang).env)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": article.id,
                    "activity_type_id": review_type.id,
                    "user_id": reviewer.id,
                    "date_deadline": deadline,
                    "summary": summaries[lang],
                }
            )
        # no notification email per article: reviewers find them in their activities
        return self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)

    @api.model
    def _cron_flag_review_due(self, batch_size=1000):
        """Published articles whose review date has come need an update; their reviewers get an activity.

        One batch per call: a full batch reports its progress and re-triggers the cron.
        """
        today = fields.Date.context_today(self)
        domain = [("state", "=", "published"), ("next_review_date", "<=", today)]
        return self._cs_run_batch(
            domain,
            lambda articles: articles._flag_review_due(today),
            "cs_helpdesk.ir_cron_cs_knowledge_review",
            batch_size=batch_size,
            order="next_review_date, id",
        )

    def _flag_review_due(self, today):
        self.write({"state": "to_update"})
        self._schedule_review_activities(today, lambda env: env._("Periodic review due"))

    # ------------------------------------------------------------------ helpers for tickets
    @api.model
    def _values_from_ticket(self, ticket, reply):
        """Draft article values capturing how ``ticket`` was solved: its question and the agent's answer."""
        question = html2plaintext(ticket.description or "").strip() or ticket.name
        return {
            "name": ticket.name,
            "article_type": "qa",
            "question": question,
            "answer": reply,
            "source_ticket_id": ticket.id,
            "ticket_type_ids": [fields.Command.set(ticket.type_id.ids)],
            "team_ids": [fields.Command.set(ticket.team_id.ids)],
            "company_id": ticket.company_id.id,
        }
