from odoo import fields, models
from odoo.tools import email_normalize, html2plaintext

from .cs_ticket import PHONE_RE


class ChatbotScriptStep(models.Model):
    """A chatbot step that leaves the visitor's message as a ticket (离线留言), typically after a
    "Forward to Operator" step that found nobody available."""

    _inherit = "chatbot.script.step"

    step_type = fields.Selection(
        selection_add=[("create_ticket", "Create Ticket")], ondelete={"create_ticket": "cascade"}
    )
    cs_team_id = fields.Many2one(
        "cs.ticket.team",
        string="Service Team",
        ondelete="set null",
        help="Team of the ticket made by a 'Create Ticket' step; empty: the live chat channel's team.",
    )

    def _process_step(self, discuss_channel):
        self.ensure_one()
        posted_message = super()._process_step(discuss_channel)
        if self.step_type == "create_ticket":
            self._process_step_create_ticket(discuss_channel)
        return posted_message

    def _process_step_create_ticket(self, discuss_channel):
        """The email and phone the visitor answered become the ticket's contact; never a new partner."""
        customer = self._chatbot_prepare_customer_values(discuss_channel, create_partner=False, update_partner=False)
        email = html2plaintext(customer["email"] or "").strip()
        phone = html2plaintext(customer["phone"] or "").strip()
        # an answer that is no email or phone stays in the transcript, it must not refuse the message
        contact = {"email": email_normalize(email) and email, "phone": PHONE_RE.match(phone) and phone}
        # sudo: cs.ticket - the visitor (often the public user) leaves a message for the service team
        discuss_channel.sudo()._cs_make_ticket(
            team=self.sudo().cs_team_id,
            customer={key: value for key, value in contact.items() if value},
            automatic=True,
        )
