from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .cs_ticket_team_queue import WAITING_BATCH_SIZE

AVAILABILITIES = [("available", "Available"), ("busy", "Busy"), ("away", "Away")]


class ResUsers(models.Model):
    """Agent availability (示闲 / 示忙 / 离开): only available agents receive tickets and chats automatically.

    Agents change their own status through ``cs_set_my_availability``, never by writing on users, so the
    status needs no write access on res.users; leaders may set a member's status (an agent who left
    without signing off).
    """

    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    cs_availability = fields.Selection(
        AVAILABILITIES,
        string="Availability",
        default="available",
        required=True,
        readonly=True,
        copy=False,
        help="Available agents receive new tickets and chats automatically; busy and away agents do not.",
    )
    cs_availability_date = fields.Datetime(string="Status Since", readonly=True, copy=False)
    cs_open_ticket_count = fields.Integer(string="Open Tickets", compute="_compute_cs_open_ticket_count")
    cs_call_since = fields.Datetime(
        string="On a Call Since",
        compute="_compute_cs_call_since",
        help="When the agent answered the call they are on now (empty when not on a call).",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["cs_availability", "cs_availability_date"]

    def _compute_cs_open_ticket_count(self):
        # sudo: cs.ticket - a supervisor counts every open ticket of an agent, also of teams they do not lead
        groups = (
            self.env["cs.ticket"]
            .sudo()
            ._read_group([("user_id", "in", self.ids), ("is_closed", "=", False)], ["user_id"], ["__count"])
        )
        counts = {user.id: count for user, count in groups}
        for user in self:
            user.cs_open_ticket_count = counts.get(user.id, 0)

    def _compute_cs_call_since(self):
        # sudo: cs.call - a supervisor sees who is on a call, also in queues whose calls they may not read
        groups = (
            self.env["cs.call"]
            .sudo()
            ._read_group([("agent_id", "in", self.ids), ("state", "=", "talking")], ["agent_id"], ["answer_date:max"])
        )
        since = {user.id: answered for user, answered in groups}
        for user in self:
            user.cs_call_since = since.get(user.id, False)

    def _is_user_available(self):
        # live chat hands new conversations only to operators who are online and not busy or away
        return super()._is_user_available() and self.cs_availability == "available"

    @api.model
    def cs_get_my_availability(self):
        """The current user's status for the systray; False for users who are not agents (no systray item)."""
        return self.env.user.has_group("cs_helpdesk.group_agent") and self.env.user.cs_availability

    @api.model
    def cs_set_my_availability(self, availability):
        """The current agent's own status, from the systray; returns the new status."""
        if not self.env.user.has_group("cs_helpdesk.group_agent"):
            raise AccessError(self.env._("Only customer service agents have an availability status."))
        self.env.user._cs_set_availability(availability)
        return availability

    def action_cs_set_available(self):
        self._cs_check_supervisor()
        self._cs_set_availability("available")

    def action_cs_set_away(self):
        self._cs_check_supervisor()
        self._cs_set_availability("away")

    def _cs_check_supervisor(self):
        if not self.env.user.has_group("cs_helpdesk.group_leader"):
            raise AccessError(self.env._("Only team leaders may change the status of other agents."))

    def _cs_set_availability(self, availability):
        if availability not in dict(AVAILABILITIES):
            raise UserError(self.env._("“%(status)s” is not an availability status.", status=availability))
        changing = self.filtered(lambda user: user.cs_availability != availability)
        if not changing:
            return
        # sudo: res.users - the status is written only through these checked methods
        changing.sudo().write({"cs_availability": availability, "cs_availability_date": fields.Datetime.now()})
        if availability == "available":
            # sudo: cs.ticket.team - the waiting tickets of the agent's queues, whoever sets the status
            teams = self.env["cs.ticket.team"].sudo().search([("member_ids", "in", changing.ids)])
            teams._cs_assign_waiting_tickets(limit=WAITING_BATCH_SIZE)
