from markupsafe import Markup
from odoo import fields, models
from odoo.exceptions import UserError

from .cs_settings import get_record_param


class CsTicket(models.Model):
    """Hand-offs of a ticket to the knowledge base, CRM (pre-sales opportunity) and product feedback."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", tracking=True, copy=False, index="btree_not_null", ondelete="set null"
    )
    knowledge_article_ids = fields.One2many("cs.knowledge.article", "source_ticket_id", string="Articles")
    knowledge_article_count = fields.Integer(string="Article Count", compute="_compute_knowledge_article_count")
    feedback_ids = fields.One2many("cs.feedback", "ticket_id", string="Feedback")
    feedback_count = fields.Integer(compute="_compute_feedback_count")

    # ------------------------------------------------------------------ computes
    def _compute_knowledge_article_count(self):
        groups = self.env["cs.knowledge.article"]._read_group(
            [("source_ticket_id", "in", self.ids)], ["source_ticket_id"], ["__count"]
        )
        counts = {ticket.id: count for ticket, count in groups}
        for ticket in self:
            ticket.knowledge_article_count = counts.get(ticket.id, 0)

    def _compute_feedback_count(self):
        groups = self.env["cs.feedback"]._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        counts = {ticket.id: count for ticket, count in groups}
        for ticket in self:
            ticket.feedback_count = counts.get(ticket.id, 0)

    # ------------------------------------------------------------------ knowledge
    def action_open_knowledge_insert(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Insert Knowledge Answer"),
            "res_model": "cs.knowledge.insert",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _last_agent_reply(self):
        """Body of the last reply an employee sent the customer (notes excluded)."""
        self.ensure_one()
        comment = self.env.ref("mail.mt_comment")
        for message in self.message_ids:  # newest first
            if (
                message.message_type == "comment"
                and message.subtype_id == comment
                and message.author_id.user_ids.filtered(lambda u: not u.share)
            ):
                return message.body
        return Markup()

    def action_ticket_to_article(self):
        """Capture a solved ticket as a draft Q&A article, linked back to the ticket."""
        self.ensure_one()
        if not self.is_resolved:
            raise UserError(self.env._("Only a resolved ticket can become a knowledge article."))
        Article = self.env["cs.knowledge.article"]
        article = Article.create(Article._values_from_ticket(self, self._last_agent_reply()))
        self.message_post(
            body=self.env._("Knowledge article draft created: %(link)s", link=article._get_html_link()),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.knowledge.article",
            "res_id": article.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_knowledge_articles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_knowledge_article_action")
        action["domain"] = [("source_ticket_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action

    # ------------------------------------------------------------------ CRM
    def _prepare_lead_values(self):
        self.ensure_one()
        team = get_record_param(self.env, "cs_helpdesk.presales_crm_team_id", "crm.team")
        salesman = self.env.user.has_group("sales_team.group_sale_salesman")
        return {
            "name": self.name,
            "type": "opportunity",
            "partner_id": self.partner_id.id,
            "contact_name": self.partner_name if not self.partner_id else False,
            "email_from": self.email_from,
            "phone": self.partner_phone,
            "description": self.description,
            "team_id": team.id,
            "user_id": self.env.user.id if salesman else False,
            "company_id": self.company_id.id,
            "cs_ticket_id": self.id,
        }

    def action_create_opportunity(self):
        """Hand a pre-sales consultation to sales as an opportunity linked both ways.

        Agents without CRM rights still hand it over: the opportunity is then created as superuser,
        the agent stays its creator and sales picks it up.
        """
        self.ensure_one()
        if self.type_code != "consultation":
            raise UserError(self.env._("Only consultation tickets can become opportunities."))
        if self.lead_id:
            return self.action_view_opportunity()
        self.check_access("write")
        Lead = self.env["crm.lead"]
        if not Lead.has_access("create"):
            Lead = Lead.sudo()
        lead = Lead.create(self._prepare_lead_values())
        self.lead_id = lead
        lead.message_post(
            body=self.env._("Created from pre-sales consultation %(number)s.", number=self.number),
            subtype_xmlid="mail.mt_note",
        )
        if self.env["crm.lead"].has_access("read"):
            return self.action_view_opportunity()
        return True

    def action_view_opportunity(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------ feedback
    def _prepare_feedback_values(self):
        self.ensure_one()
        return {
            "name": self.name,
            "partner_id": self.partner_id.id,
            "ticket_id": self.id,
            "content": self.description,
            "source": "ticket",
            "company_id": self.company_id.id,
        }

    def action_create_feedback(self):
        """Record a customer's suggestion as voice-of-the-customer feedback for the departments."""
        self.ensure_one()
        if self.type_code != "suggestion":
            raise UserError(self.env._("Only suggestion tickets are recorded as feedback from the ticket."))
        feedback = self.env["cs.feedback"].create(self._prepare_feedback_values())
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.feedback",
            "res_id": feedback.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_feedback_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "default_partner_id": self.partner_id.id}
        return action
