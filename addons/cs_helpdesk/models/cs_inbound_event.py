from odoo import fields, models


class CsInboundEvent(models.Model):
    """One event received from an integration, kept to make its delivery idempotent: the pair
    (integration, event id) is unique, so a replayed or retried event is recognised and ignored."""

    _name = "cs.inbound.event"
    _description = "Inbound Event"
    _order = "id desc"
    _rec_name = "external_event_id"

    integration_id = fields.Many2one("cs.inbound.integration", required=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="integration_id.company_id", store=True)
    external_event_id = fields.Char(string="Event ID", required=True, readonly=True)
    event_type = fields.Char(string="Type", readonly=True)
    call_id = fields.Many2one("cs.call", readonly=True, index="btree_not_null", ondelete="set null")
    message_id = fields.Many2one("cs.inbound.message", readonly=True, index="btree_not_null", ondelete="set null")

    _sql_constraints = [
        (
            "event_uniq",
            "unique (integration_id, external_event_id)",
            "This event was already received from this integration.",
        )
    ]
