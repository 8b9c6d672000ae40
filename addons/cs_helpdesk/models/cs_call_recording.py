from odoo import fields, models


class CsCallRecording(models.Model):
    """Where the telephony system keeps a call's recording or voicemail (通话录音). A model of its own so
    that record rules decide who opens it: agents of the call's team and call recording reviewers (QA);
    analysts and other teams never (security/cs_helpdesk_security.xml)."""

    _name = "cs.call.recording"
    _description = "Call Recording"
    _order = "id"

    call_id = fields.Many2one("cs.call", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="call_id.company_id", store=True)
    url = fields.Char(string="Recording URL", required=True, readonly=True)
    kind = fields.Selection(
        [("call", "Call Recording"), ("voicemail", "Voicemail")], required=True, default="call", readonly=True
    )
