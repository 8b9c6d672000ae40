from odoo import fields, models

from .cs_qa_criterion import AUTO_CHECKS


class CsQaCheck(models.Model):
    """Result of one automatic check on a closed ticket: its agent replies or the ticket as a whole."""

    _name = "cs.qa.check"
    _description = "Automatic QA Check"
    _order = "date desc, id desc"
    _rec_name = "check"

    ticket_id = fields.Many2one("cs.ticket", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    agent_id = fields.Many2one("res.users", string="Agent", index=True, readonly=True)
    team_id = fields.Many2one("cs.ticket.team", string="Team", index=True, readonly=True)
    date = fields.Datetime(string="Checked On", required=True, index=True, readonly=True)
    check = fields.Selection(AUTO_CHECKS, required=True, readonly=True)
    result = fields.Selection([("pass", "Passed"), ("fail", "Failed")], required=True, index=True, readonly=True)
    passed = fields.Float(
        string="Pass Rate",
        readonly=True,
        aggregator="avg",
        help="1 when passed, 0 when failed: its average is the rate.",
    )
    reply_count = fields.Integer(string="Replies Checked", readonly=True, aggregator="sum")
    failed_reply_count = fields.Integer(string="Replies Failed", readonly=True, aggregator="sum")
    detail = fields.Char(string="Phrases Found", readonly=True, help="Negative phrases found in the replies.")
