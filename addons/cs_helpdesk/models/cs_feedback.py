from odoo import api, fields, models
from odoo.exceptions import UserError

FEEDBACK_STATES = [
    ("new", "New"),
    ("analysed", "Analysed"),
    ("action_taken", "Action Taken"),
    ("closed", "Closed"),
]


class CsFeedback(models.Model):
    """Voice of the customer: an opinion or suggestion routed to the department that can act on it."""

    _name = "cs.feedback"
    _description = "Customer Feedback"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Subject", required=True, tracking=True, index="trigram")
    partner_id = fields.Many2one("res.partner", string="Customer", tracking=True, index=True, check_company=True)
    ticket_id = fields.Many2one(
        "cs.ticket", string="Source Ticket", index="btree_not_null", check_company=True, ondelete="set null"
    )
    source = fields.Selection(
        [
            ("ticket", "Ticket"),
            ("return_visit", "Return Visit"),
            ("survey", "Survey"),
            ("other", "Other"),
        ],
        default="other",
        required=True,
        help="Where the customer gave this opinion.",
    )
    category = fields.Selection(
        [
            ("product", "Product"),
            ("service", "Service"),
            ("tool", "Tool"),
            ("process", "Process"),
        ],
        default="service",
        required=True,
        tracking=True,
        index=True,
        help="What the feedback is about; tools are the service tools themselves (websites, apps, hotline).",
    )
    content = fields.Html(help="The customer's opinion or suggestion, in their words.")
    department_id = fields.Many2one("cs.department", string="Routed To", tracking=True, index=True, check_company=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        FEEDBACK_STATES,
        default="new",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand="_read_group_expand_states",
    )
    analysis = fields.Html(help="Needs behind the feedback and whether to act on it.")
    action_note = fields.Html(string="Action Taken", help="What the department changed in response.")
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    color = fields.Integer()

    @api.depends("department_id")
    def _compute_user_id(self):
        for feedback in self:
            if feedback.department_id.user_id:
                feedback.user_id = feedback.department_id.user_id

    def _read_group_expand_states(self, states, domain):
        return [key for key, _label in FEEDBACK_STATES]

    def _move(self, allowed_from, state, extra=None):
        wrong = self.filtered(lambda f: f.state not in allowed_from)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Feedback “%(name)s” is %(state)s: it cannot move to %(target)s.",
                    name=wrong[0].name,
                    state=labels[wrong[0].state],
                    target=labels[state],
                )
            )
        self.write(dict(extra or {}, state=state))
        return True

    def action_analyse(self):
        return self._move(("new",), "analysed")

    def action_take_action(self):
        return self._move(("analysed",), "action_taken")

    def action_close(self):
        return self._move(("new", "analysed", "action_taken"), "closed", {"date_closed": fields.Datetime.now()})

    def action_reset(self):
        return self._move(("analysed", "action_taken", "closed"), "new", {"date_closed": False})
