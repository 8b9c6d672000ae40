from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.cs_knowledge_article import USABLE_STATES


class CsKnowledgeInsert(models.TransientModel):
    """From a ticket: find an article and reply to the customer with its answer."""

    _name = "cs.knowledge.insert"
    _description = "Insert Knowledge Answer"

    ticket_id = fields.Many2one("cs.ticket", required=True, ondelete="cascade")
    search_terms = fields.Char(
        string="Search", help="Words to find in titles, keywords, questions and content; empty for the suggestions."
    )
    suggestion_ids = fields.Many2many("cs.knowledge.article", string="Suggestions", compute="_compute_suggestion_ids")
    article_id = fields.Many2one(
        "cs.knowledge.article",
        string="Article",
        compute="_compute_article_id",
        store=True,
        readonly=False,
        domain=[("state", "in", USABLE_STATES)],
    )
    article_state = fields.Selection(related="article_id.state")
    answer = fields.Html(
        compute="_compute_answer", store=True, readonly=False, help="Adapt the answer before sending it."
    )

    @api.depends("ticket_id", "search_terms")
    def _compute_suggestion_ids(self):
        Article = self.env["cs.knowledge.article"]
        for wizard in self:
            wizard.suggestion_ids = Article._suggest_for_ticket(wizard.ticket_id, wizard.search_terms)

    @api.depends("suggestion_ids")
    def _compute_article_id(self):
        for wizard in self:
            if not wizard.article_id or wizard.article_id not in wizard.suggestion_ids:
                wizard.article_id = wizard.suggestion_ids[:1]

    @api.depends("article_id")
    def _compute_answer(self):
        for wizard in self:
            wizard.answer = wizard.article_id._get_reply_body() if wizard.article_id else False

    def _check_ready(self):
        self.ensure_one()
        if not self.article_id:
            raise UserError(self.env._("Choose an article first."))
        self.ticket_id.check_access("write")

    def action_open_composer(self):
        """Open the reply composer of the ticket with the answer written in; the agent sends it."""
        self._check_ready()
        self.article_id._record_use()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reply to the Customer"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self.ticket_id._name,
                "default_res_ids": self.ticket_id.ids,
                "default_composition_mode": "comment",
                "default_subtype_xmlid": "mail.mt_comment",
                "default_body": self.answer,
            },
        }

    def action_post(self):
        """Send the answer to the customer at once, as a reply on the ticket."""
        self._check_ready()
        self.ticket_id.message_post(body=self.answer, message_type="comment", subtype_xmlid="mail.mt_comment")
        self.article_id._record_use()
        return {"type": "ir.actions.act_window_close"}
