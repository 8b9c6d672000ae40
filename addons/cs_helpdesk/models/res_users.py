from collections import namedtuple

from odoo import fields, models, tools

from .base import AGENT, ANALYST, MANAGER

# What restricts a user in customer service, asked on every read of tickets, partners and messages
CsRoles = namedtuple("CsRoles", ["share", "contact_restricted", "export_restricted"])


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

    @tools.ormcache("self.id")
    def _cs_roles(self):
        """``CsRoles`` of this user: a customer (portal or public), a data analyst who is not an agent (no
        contact data), an agent or analyst below manager (no export, no bulk read of contact data).

        Asked on nearly every read of partners, messages and tickets (a hundred times when the chatter
        opens): cached like the user's groups (``_get_group_ids``), in the cache Odoo clears whenever a
        user's groups or a group's members change.
        """
        self.ensure_one()
        user = self.sudo()
        agent, analyst, manager = (user._has_group(group) for group in (AGENT, ANALYST, MANAGER))
        return CsRoles(user.share, analyst and not agent, (agent or analyst) and not manager)

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
