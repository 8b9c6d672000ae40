from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import UserError

from .cs_selections import CONTACT_METHODS


class CsSurveyCampaign(models.Model):
    """A periodic satisfaction study (客户满意度调查): a questionnaire sent to a target group.

    The questionnaire is an Odoo survey; each invited customer gets a ``survey.user_input``
    (their invitation, then their answers) linked to the campaign and to the customer.
    """

    _name = "cs.survey.campaign"
    _description = "Satisfaction Survey Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Questionnaire",
        required=True,
        tracking=True,
        domain="[('survey_type', 'in', ('survey', 'custom'))]",
    )
    goal = fields.Selection(
        [
            ("satisfaction", "Satisfaction"),
            ("loyalty", "Loyalty"),
            ("recommendation", "Willingness to Recommend"),
            ("after_sales", "After-sales Service"),
        ],
        default="satisfaction",
        required=True,
    )
    target_group = fields.Selection(
        [("new", "New Customers"), ("existing", "Existing Customers"), ("potential", "Potential Customers")],
        required=True,
        default="existing",
        tracking=True,
    )
    channel = fields.Selection(
        CONTACT_METHODS,
        required=True,
        default="email",
        tracking=True,
        help="How customers are surveyed. By email, the invitation with the survey link is sent; otherwise the "
        "agents fill the answers in during the call, visit or chat.",
    )
    date_start = fields.Date(string="Start", required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(string="End", tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Ongoing"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    description = fields.Html()
    partner_domain = fields.Char(
        string="Customers Filter",
        default="[]",
        help="Customers of the target group, added to the campaign with “Add Customers”.",
    )
    partner_ids = fields.Many2many("res.partner", string="Customers", check_company=True)
    user_input_ids = fields.One2many("survey.user_input", "cs_campaign_id", string="Invitations")
    invitation_count = fields.Integer(compute="_compute_response_stats")
    response_count = fields.Integer(string="Responses", compute="_compute_response_stats")
    response_rate = fields.Float(compute="_compute_response_stats", help="Completed responses per invitation.")
    average_score = fields.Float(
        compute="_compute_response_stats", help="Average score (%) of the completed responses, if the survey is scored."
    )

    _sql_constraints = [
        (
            "date_check",
            "CHECK (date_end IS NULL OR date_end >= date_start)",
            "The campaign cannot end before it starts.",
        ),
    ]

    def _compute_response_stats(self):
        groups = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("cs_campaign_id", "in", self.ids), ("test_entry", "=", False)],
                ["cs_campaign_id", "state"],
                ["__count", "scoring_percentage:sum"],
            )
        )
        stats = {}
        for campaign, state, count, score in groups:
            total, done, score_sum = stats.get(campaign.id, (0, 0, 0.0))
            stats[campaign.id] = (
                total + count,
                done + (count if state == "done" else 0),
                score_sum + (score if state == "done" else 0.0),
            )
        for campaign in self:
            total, done, score_sum = stats.get(campaign.id, (0, 0, 0.0))
            campaign.invitation_count = total
            campaign.response_count = done
            campaign.response_rate = done / total if total else 0.0
            campaign.average_score = score_sum / done if done else 0.0

    # ------------------------------------------------------------------ actions
    def action_add_partners(self):
        self.ensure_one()
        try:
            domain = literal_eval(self.partner_domain or "[]")
        except (ValueError, SyntaxError):
            raise UserError(self.env._("The customers filter is not a valid domain."))
        partners = self.env["res.partner"].search(
            [*domain, ("company_id", "in", [False, self.company_id.id]), ("id", "not in", self.partner_ids.ids)]
        )
        self.partner_ids = [fields.Command.link(partner.id) for partner in partners]
        return True

    def action_start(self):
        self.filtered(lambda c: c.state == "draft").write({"state": "running"})
        return self.action_generate_invitations()

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_draft(self):
        self.write({"state": "draft"})

    def action_generate_invitations(self):
        """One invitation (``survey.user_input``) per customer not invited yet; emailed on the email channel."""
        for campaign in self:
            if campaign.state != "running":
                raise UserError(self.env._("Start the campaign before inviting its customers."))
            invited = set(campaign.user_input_ids.partner_id.ids)
            partners = campaign.partner_ids.filtered(lambda p, done=invited: p.id not in done)
            if not partners:
                continue
            survey = campaign.survey_id
            answers = self.env["survey.user_input"]
            for partner in partners:
                answers |= survey._create_answer(
                    partner=partner,
                    check_attempts=False,
                    cs_campaign_id=campaign.id,
                    deadline=campaign.date_end,
                    invite_token=self.env["survey.user_input"]._generate_invite_token(),
                )
            if campaign.channel == "email":
                template = self.env.ref("survey.mail_template_user_input_invite", raise_if_not_found=False)
                emailable = answers.filtered(lambda a: a.partner_id.email or a.email)
                if template and emailable:
                    template.send_mail_batch(emailable.ids)
            campaign.message_post(
                body=self.env._("%(count)s customers invited.", count=len(answers)), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_view_responses(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Responses"),
            "res_model": "survey.user_input",
            "view_mode": "list,form",
            "domain": [("cs_campaign_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_view_results(self):
        self.ensure_one()
        return self.survey_id.action_result_survey()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running(self):
        if any(campaign.state == "running" for campaign in self):
            raise UserError(self.env._("An ongoing campaign cannot be deleted: cancel it first."))
