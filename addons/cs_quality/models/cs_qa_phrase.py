from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools.segmenter import tokenize

PHRASE_KINDS = [
    ("polite", "Polite Words"),
    ("negative", "Negative Phrases"),
    ("apology", "Apology Phrases"),
]


class CsQaPhrase(models.Model):
    """Phrase lists of the automatic checks, matched on whole words of the segmented text."""

    _name = "cs.qa.phrase"
    _description = "QA Phrase"
    _order = "kind, sequence, id"

    name = fields.Char(string="Phrase", required=True)
    kind = fields.Selection(PHRASE_KINDS, string="List", required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    tokens = fields.Char(
        string="Words",
        compute="_compute_tokens",
        help="Words the phrase is cut into; a reply matches when it has them in a row.",
    )

    _sql_constraints = [("name_kind_uniq", "unique (name, kind)", "This phrase is already in the list.")]

    @api.depends("name")
    def _compute_tokens(self):
        for phrase in self:
            phrase.tokens = " / ".join(tokenize(phrase.name or ""))

    @api.constrains("name")
    def _check_name(self):
        for phrase in self:
            if not tokenize(phrase.name or ""):
                raise ValidationError(self.env._("A phrase needs at least one word."))

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    @tools.ormcache()
    def _matchers(self):
        """{kind: tuple of token tuples} of the active phrases."""
        result = {kind: [] for kind, _label in PHRASE_KINDS}
        for phrase in self.sudo().search_fetch([], ["name", "kind"]):
            result[phrase.kind].append(tuple(tokenize(phrase.name)))
        return {kind: tuple(phrases) for kind, phrases in result.items()}
