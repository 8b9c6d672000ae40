from odoo import fields, models


class MailCannedResponse(models.Model):
    _inherit = "mail.canned.response"

    # the suite ships its polite-phrase library with descriptions agents read in their own language
    description = fields.Char(translate=True)
