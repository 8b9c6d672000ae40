from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_list

from .cs_selections import ESCALATION_LEVELS, SEVERITIES
from .cs_settings import recipient_lang


class CsComplaintEscalation(models.Model):
    """What happens when a complaint of a given severity is registered (上报 "视情节轻重").

    The ladder is agent → complaint handler → team leader / manager → higher leadership, escalated by
    severity with no time limits (readme/USAGE.md), so each severity maps to a level, the people told
    and, optionally, the person the complaint is handed to.
    """

    _name = "cs.complaint.escalation"
    _description = "Complaint Escalation Rule"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    severity = fields.Selection(SEVERITIES, required=True)
    level = fields.Selection(
        ESCALATION_LEVELS, string="Escalation Level", required=True, default="3", help="Level reached by the complaint."
    )
    notify_leader = fields.Boolean(string="Notify the Team Leader", default=True)
    notify_managers = fields.Boolean(
        string="Notify the Managers", help="Every customer service manager of the complaint's company."
    )
    notify_user_ids = fields.Many2many(
        "res.users",
        string="Also Notify",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    assign_to = fields.Selection(
        [("none", "Keep the assignee"), ("leader", "Team leader"), ("user", "Specific user")],
        string="Hand Over To",
        required=True,
        default="none",
    )
    assign_user_id = fields.Many2one(
        "res.users", string="Handler", domain="[('share', '=', False), ('company_ids', 'in', company_id)]"
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Schedule Activity",
        help="Activity planned for the person the complaint is handed to (or the team leader).",
    )

    @api.depends("severity", "level")
    def _compute_display_name(self):
        severities = dict(self._fields["severity"]._description_selection(self.env))
        levels = dict(self._fields["level"]._description_selection(self.env))
        for rule in self:
            rule.display_name = f"{severities.get(rule.severity, '')} → {levels.get(rule.level, '')}"

    @api.constrains("company_id", "severity", "active")
    def _check_one_rule_per_severity(self):
        groups = self._read_group(
            [("company_id", "in", self.company_id.ids), ("severity", "in", self.mapped("severity"))],
            ["company_id", "severity"],
            ["__count"],
        )
        for company, severity, count in groups:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "%(company)s already has an escalation rule for %(severity)s complaints.",
                        company=company.name,
                        severity=dict(self._fields["severity"]._description_selection(self.env))[severity],
                    )
                )

    # ------------------------------------------------------------------ business
    @api.model
    def _rules_for(self, tickets):
        """Active rule per (company, severity) for ``tickets``, read in one query."""
        rules = self.sudo().search([("company_id", "in", tickets.company_id.ids)])
        return {(rule.company_id.id, rule.severity): rule for rule in rules}

    def _recipients(self, ticket, managers):
        self.ensure_one()
        users = self.notify_user_ids
        if self.notify_leader:
            users |= ticket.team_id.leader_id
        if self.notify_managers:
            users |= managers.filtered(lambda u, c=ticket.company_id: c in u.company_ids)
        return users.filtered(lambda u: u.active and not u.share)

    def _handler(self, ticket):
        self.ensure_one()
        if self.assign_to == "leader":
            return ticket.team_id.leader_id
        if self.assign_to == "user":
            return self.assign_user_id
        return self.env["res.users"]

    def _apply(self, tickets):
        """Escalate ``tickets`` (complaints of this rule's severity) to this rule's level."""
        self.ensure_one()
        now = fields.Datetime.now()
        label = dict(self._fields["level"]._description_selection(self.env))[self.level]
        severity = dict(self._fields["severity"]._description_selection(self.env))[self.severity]
        managers = self.env["res.users"]
        if self.notify_managers:
            managers = self.env.ref("cs_helpdesk.group_manager").sudo().users
        tickets.sudo().write({"complaint_escalation_level": self.level, "complaint_escalation_date": now})
        for ticket in tickets:
            handler = self._handler(ticket)
            if handler and ticket.user_id != handler:
                ticket.sudo().user_id = handler
            if self.activity_type_id:
                assignee = handler or ticket.team_id.leader_id or ticket.user_id or self.env.user
                assignee_env = self.with_context(lang=recipient_lang(self.env, assignee)).env
                ticket.sudo().activity_schedule(
                    activity_type_id=self.activity_type_id.id,
                    user_id=assignee.id,
                    summary=assignee_env._("Complaint escalated: %(ticket)s", ticket=ticket.display_name),
                )
            recipients = self._recipients(ticket, managers)
            body = self.env._("%(severity)s complaint escalated to %(level)s.", severity=severity, level=label)
            if recipients:
                body = Markup("%s<br/>%s") % (
                    body,
                    self.env._("Notified: %(people)s", people=format_list(self.env, recipients.mapped("name"))),
                )
            ticket.sudo().message_post(
                body=body,
                partner_ids=recipients.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
