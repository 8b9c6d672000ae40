from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .cs_selections import CONTACT_METHODS, FOLLOWUP_RESULTS
from .cs_settings import recipient_lang

DEFAULT_MAX_ATTEMPTS = 3


class CsFollowup(models.Model):
    """A return visit (回访): the customer is asked whether the problem is solved, until satisfied.

    A visit comes from a ticket, a complaint or periodic customer care; ``res_model``/``res_id``
    leave room for other documents (after-sales orders) without a dependency on their addon.
    """

    _name = "cs.followup"
    _description = "Return Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_planned desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Subject",
        required=True,
        tracking=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    source = fields.Selection(
        [("ticket", "Ticket"), ("complaint", "Complaint"), ("care", "Periodic Care"), ("other", "Other Document")],
        required=True,
        compute="_compute_source",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
    )
    ticket_id = fields.Many2one(
        "cs.ticket", string="Ticket", index="btree_not_null", ondelete="cascade", check_company=True, tracking=True
    )
    res_model = fields.Char(string="Source Model", index="btree_not_null", help="Model of another source document.")
    res_id = fields.Many2oneReference(string="Source Record", model_field="res_model")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    # contact data: for the staff who call the customer, not for analysts
    phone = fields.Char(compute="_compute_contact", readonly=False, store=True, groups="cs_helpdesk.group_agent")
    email = fields.Char(compute="_compute_contact", readonly=False, store=True, groups="cs_helpdesk.group_agent")
    team_id = fields.Many2one(
        "cs.ticket.team",
        string="Team",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Agent",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    method = fields.Selection(CONTACT_METHODS, required=True, default="phone", tracking=True)
    date_planned = fields.Datetime(
        string="Planned On", required=True, index=True, tracking=True, default=fields.Datetime.now
    )
    date_done = fields.Datetime(string="Done On", readonly=True, copy=False)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        string="Status",
        required=True,
        default="planned",
        index=True,
        tracking=True,
        copy=False,
    )
    result = fields.Selection(FOLLOWUP_RESULTS, readonly=True, copy=False, tracking=True, index="btree_not_null")
    evaluation = fields.Text(
        string="Customer Evaluation", copy=False, help="What the customer says about the handling and the service."
    )
    note = fields.Text(string="Internal Note")
    attempt = fields.Integer(
        default=1,
        readonly=True,
        copy=False,
        help="Try number of this visit; it grows while the customer is unreachable.",
    )
    previous_id = fields.Many2one(
        "cs.followup", string="Previous Visit", readonly=True, copy=False, index="btree_not_null"
    )
    is_last_attempt = fields.Boolean(compute="_compute_is_last_attempt")
    color = fields.Integer(related="user_id.partner_id.color")

    # ------------------------------------------------------------------ computes
    @api.depends("ticket_id")
    def _compute_name(self):
        for visit in self:
            if visit.ticket_id and not visit.name:
                # stored: in the language of the agent who makes the visit, whoever resolved the ticket
                env = self.with_context(lang=recipient_lang(self.env, visit.user_id)).env
                visit.name = env._("Return visit: %(ticket)s", ticket=visit.ticket_id.display_name)

    @api.depends("ticket_id")
    def _compute_source(self):
        for visit in self:
            if visit.ticket_id:
                visit.source = "complaint" if visit.ticket_id.complaint_state else "ticket"
            elif not visit.source:
                visit.source = "care"

    @api.depends("ticket_id")
    def _compute_from_ticket(self):
        for visit in self.filtered("ticket_id"):
            visit.partner_id = visit.ticket_id.partner_id
            visit.team_id = visit.ticket_id.team_id

    @api.depends("partner_id", "ticket_id")
    def _compute_contact(self):
        for visit in self:
            partner = visit.partner_id
            visit.phone = partner.phone or partner.mobile or visit.ticket_id.partner_phone or visit.phone
            visit.email = partner.email or visit.ticket_id.email_from or visit.email

    @api.depends("attempt", "team_id.followup_max_attempts")
    def _compute_is_last_attempt(self):
        for visit in self:
            visit.is_last_attempt = visit.attempt >= visit._max_attempts()

    # ------------------------------------------------------------------ constraints
    @api.constrains("state", "result")
    def _check_result(self):
        for visit in self:
            if visit.state == "done" and not visit.result:
                raise ValidationError(self.env._("A return visit that is done needs its result."))

    @api.constrains("ticket_id", "res_model", "source")
    def _check_source(self):
        for visit in self:
            if visit.source in ("ticket", "complaint") and not visit.ticket_id:
                raise ValidationError(self.env._("A return visit on a ticket or a complaint needs its ticket."))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        tickets = self.env["cs.ticket"].browse({vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")})
        tickets = {ticket.id: ticket for ticket in tickets}
        for vals in vals_list:
            ticket = tickets.get(vals.get("ticket_id"))
            if ticket:
                vals.setdefault("company_id", ticket.company_id.id)
        visits = super().create(vals_list)
        visits._subscribe_agents()
        return visits

    def write(self, vals):
        res = super().write(vals)
        if vals.get("user_id"):
            self._subscribe_agents()
        return res

    def _subscribe_agents(self):
        for user, visits in self.filtered("user_id").grouped("user_id").items():
            visits.message_subscribe(partner_ids=user.partner_id.ids)

    # ------------------------------------------------------------------ actions
    def action_satisfied(self):
        return self._record_result("satisfied")

    def action_unsatisfied(self):
        return self._record_result("unsatisfied")

    def action_unreachable(self):
        return self._record_result("unreachable")

    def action_cancel(self):
        done = self.filtered(lambda v: v.state == "done")
        if done:
            raise UserError(self.env._("A return visit that is done cannot be cancelled."))
        self.write({"state": "cancelled"})

    def action_reset(self):
        self.filtered(lambda v: v.state == "cancelled").write({"state": "planned"})

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cs.ticket",
            "res_id": self.ticket_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------ business
    def _max_attempts(self):
        self.ensure_one()
        return self.team_id.followup_max_attempts or DEFAULT_MAX_ATTEMPTS

    def _record_result(self, result):
        """Close the planned visits of ``self`` with ``result`` and apply it to their source."""
        if any(visit.state != "planned" for visit in self):
            raise UserError(self.env._("Only planned return visits can be recorded."))
        if result == "unsatisfied" and any(not visit.evaluation for visit in self):
            raise UserError(
                self.env._("Write down what the customer is not satisfied with (Customer Evaluation) first.")
            )
        self.write({"state": "done", "result": result, "date_done": fields.Datetime.now()})
        self._apply_result()
        return True

    def _apply_result(self):
        """Satisfied ends the loop; not satisfied reopens the ticket and plans the next visit
        ("直至用户满意为止"); unreachable retries until the team's number of attempts is spent."""
        now = fields.Datetime.now()
        next_visits = []
        for visit in self:
            ticket = visit.ticket_id.sudo()
            if ticket.complaint_state:
                ticket.write(
                    {
                        "complaint_evaluation_result": visit.result,
                        "complaint_evaluation": visit.evaluation or ticket.complaint_evaluation,
                    }
                )
            team = visit.team_id
            if visit.result == "unsatisfied":
                if ticket and (ticket.is_resolved or ticket.is_closed):
                    ticket.action_reopen()
                    ticket.message_post(
                        body=self.env._(
                            "Return visit: the customer is not satisfied, the ticket is reopened. %(evaluation)s",
                            evaluation=visit.evaluation,
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
                next_visits.append(visit._next_visit_values(1, now + timedelta(days=team.followup_delay_days)))
            elif visit.result == "unreachable":
                if visit.attempt < visit._max_attempts():
                    next_visits.append(
                        visit._next_visit_values(visit.attempt + 1, now + timedelta(days=team.followup_retry_days))
                    )
                else:
                    note = self.env._(
                        "Return visits stopped: the customer could not be reached in %(count)s attempts.",
                        count=visit.attempt,
                    )
                    visit.message_post(body=note, subtype_xmlid="mail.mt_note")
                    if ticket:
                        ticket.message_post(body=note, subtype_xmlid="mail.mt_note")
        if next_visits:
            self.sudo().create(next_visits)

    def _next_visit_values(self, attempt, date_planned):
        self.ensure_one()
        return {
            "name": self.name,
            "company_id": self.company_id.id,
            "source": self.source,
            "ticket_id": self.ticket_id.id,
            "res_model": self.res_model,
            "res_id": self.res_id,
            "partner_id": self.partner_id.id,
            "phone": self.phone,
            "email": self.email,
            "team_id": self.team_id.id,
            "user_id": self.user_id.id,
            "method": self.method,
            "date_planned": date_planned,
            "attempt": attempt,
            "previous_id": self.id,
        }

    # ------------------------------------------------------------------ demo
    @api.model
    def _demo_record_result(self, ticket_ids, result, evaluation=False):
        """Demo data: record ``result`` on the planned return visit of each ticket."""
        visits = self.search([("ticket_id", "in", ticket_ids), ("state", "=", "planned")])
        if evaluation:
            visits.write({"evaluation": evaluation})
        return visits._record_result(result)
