from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    cs_campaign_id = fields.Many2one(
        "cs.survey.campaign", string="Satisfaction Campaign", index="btree_not_null", ondelete="set null"
    )
