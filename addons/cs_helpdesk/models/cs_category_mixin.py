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

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_path = fields.Char(index=True)
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = f"{category.parent_id.complete_name} / {category.name}"
            else:
                category.complete_name = category.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise models.ValidationError(self.env._("A category cannot be its own parent."))
