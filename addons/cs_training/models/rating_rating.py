from odoo import api, models

TOP_RATING = 5


class RatingRating(models.Model):
    _inherit = "rating.rating"

    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        ratings._cs_draft_praise_rewards()
        return ratings

    def write(self, vals):
        res = super().write(vals)
        if {"rating", "consumed"} & set(vals):
            self._cs_draft_praise_rewards()
        return res

    def _cs_draft_praise_rewards(self):
        """A customer's top rating of a ticket drafts the praise reward (R4-2) for the agent, once per ticket."""
        top = self.filtered(lambda r: r.res_model == "cs.ticket" and r.consumed and r.rating >= TOP_RATING)
        if not top:
            return
        Rule = self.env["cs.incentive.rule"]
        for ticket in self.env["cs.ticket"].sudo().browse(top.mapped("res_id")).exists().filtered("user_id"):
            rule = Rule._automatic("praise", ticket.company_id)
            employees = ticket.user_id.employee_ids.filtered(lambda e, t=ticket: e.company_id == t.company_id)
            if rule and employees:
                self.env["cs.incentive.record"]._draft_from_source(
                    rule, employees, ticket, note=self.env._("Top rating of %(ticket)s", ticket=ticket.display_name)
                )
