from odoo import fields, models


class CsQaRootCause(models.Model):
    """Why a scorecard item was failed (lack of knowledge, process not followed, ...)."""

    _name = "cs.qa.root.cause"
    _description = "QA Root Cause"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_uniq", "unique (name)", "A root cause with this name already exists.")]
