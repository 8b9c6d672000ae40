from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    cs_team_ids = fields.Many2many(
        "cs.ticket.team", "cs_ticket_team_member_rel", "user_id", "team_id", string="Service Teams"
    )
    cs_agent_number = fields.Char(
        string="Agent Number",
        copy=False,
        help="Employee number (工号) the agent gives customers: shown on tickets, in reports and, when set in "
        "the settings, in reply signatures.",
    )
    cs_skill_category_ids = fields.Many2many(
        "cs.ticket.category", string="Skill Categories", help="Ticket categories this agent is skilled in."
    )
    cs_skill_tag_ids = fields.Many2many(
        "cs.ticket.tag", string="Skill Tags", help="Ticket tags this agent handles (skill-based assignment)."
    )

    _sql_constraints = [
        ("cs_agent_number_uniq", "unique (cs_agent_number)", "This agent number is already given to another user.")
    ]

    def _cs_has_customer_data(self):
        # sudo: res.users - portal users are customers: their login is their email
        return any(user.share for user in self.sudo())

    def _cs_has_skill_for(self, ticket):
        """A skill in a category covers its subcategories (a repair expert takes screen repairs)."""
        self.ensure_one()
        category = ticket.category_id
        if category and any(category.parent_path.startswith(skill.parent_path) for skill in self.cs_skill_category_ids):
            return True
        return bool(ticket.tag_ids & self.cs_skill_tag_ids)
