from odoo import api, fields, models


class CsCategoryMixin(models.AbstractModel):
    """A category tree shown by its full path ("After-sales / Repair"), for tickets and knowledge.

    Inheriting models declare their own ``parent_id`` and ``child_ids`` on themselves.
    """

    _name = "cs.category.mixin"
    _description = "Customer Service Category Tree"
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"
    _rec_names_search = ["complete_name", "name"]

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_path = fields.Char(index=True)
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        # in the source language whoever edits: a stable key to sort and search by (display_name is translated)
        for category in self:
            name = category.with_context(lang="en_US").name or category.name
            if category.parent_id:
                category.complete_name = f"{category.parent_id.complete_name} / {name}"
            else:
                category.complete_name = name

    @api.depends_context("lang")
    @api.depends("complete_name")
    def _compute_display_name(self):
        """The path in the reader's language, from the translated names of the category and its parents.

        ``complete_name`` is stored (for ordering and search) and computed while the data loads, before any
        translation exists: it stays in the source language, so it is never what a reader sees.
        """
        ancestor_ids = {int(i) for category in self for i in (category.parent_path or "").split("/") if i}
        # the parents' names are part of the path every reader of the category already sees
        names = {category.id: category.name for category in self.sudo().browse(ancestor_ids)}
        for category in self:
            path = [int(i) for i in (category.parent_path or "").split("/") if i]
            if not category.id or path[-1:] != [category.id]:
                category.display_name = category.complete_name or category.name
                continue
            category.display_name = " / ".join(names.get(i) or "" for i in path)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise models.ValidationError(self.env._("A category cannot be its own parent."))
