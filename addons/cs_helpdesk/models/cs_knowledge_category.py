from odoo import fields, models


class CsKnowledgeCategory(models.Model):
    _name = "cs.knowledge.category"
    _inherit = ["cs.category.mixin"]
    _description = "Knowledge Category"

    parent_id = fields.Many2one("cs.knowledge.category", string="Parent Category", ondelete="cascade", index=True)
    child_ids = fields.One2many("cs.knowledge.category", "parent_id", string="Subcategories")
    description = fields.Text(translate=True)
    reviewer_id = fields.Many2one(
        "res.users",
        string="Default Reviewer",
        domain="[('share', '=', False)]",
        help="Reviews the articles of this category unless an article names its own reviewer.",
    )
    article_count = fields.Integer(compute="_compute_article_count")

    def _compute_article_count(self):
        """Articles of the category and its subcategories the user can read."""
        groups = self.env["cs.knowledge.article"]._read_group(
            [("category_id", "child_of", self.ids)], ["category_id"], ["__count"]
        )
        counts = {category.id: count for category, count in groups}
        paths = {category.id: category.parent_path for category, _count in groups}
        for category in self:
            category.article_count = sum(
                count for cid, count in counts.items() if paths[cid].startswith(category.parent_path or "-")
            )

    def action_view_articles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_knowledge_article_action")
        action["domain"] = [("category_id", "child_of", self.id)]
        action["context"] = {"default_category_id": self.id}
        return action
