from odoo import api, fields, models

# how many recent tickets and complaints the card lists (a screen pop is read at a glance)
CARD_LIMIT = 5


class CsCall(models.Model):
    """Screen pop (客户资料自动弹出): when a call rings for an agent, the agent's browser is told over the
    bus and asks for the caller's card, read with the agent's own rights (record rules and field groups
    decide what the card shows)."""

    _inherit = "cs.call"  # pylint: disable=consider-merging-classes-inherited

    def _cs_screen_pop(self):
        for call in self.filtered("agent_id"):
            self.env["bus.bus"]._sendone(call.agent_id.partner_id, "cs_helpdesk/screen_pop", {"call_id": call.id})

    def action_cs_customer_card(self):
        """The card the screen pop shows, as the current user may see it."""
        self.ensure_one()
        self.check_access("read")
        partner = self.partner_id.commercial_partner_id
        ticket = self.ticket_id.filtered(lambda t: t.has_access("read"))
        return {
            "call_id": self.id,
            "caller": self.caller_number if self._cs_user_reads("caller_number") else False,
            "ring_date": fields.Datetime.to_string(self.ring_date),
            "queue": self.team_id.display_name or False,
            "customer": {"id": partner.id, "name": partner.display_name} if partner else False,
            "ticket": {"id": ticket.id, "name": ticket.display_name} if ticket else False,
            "sections": self._cs_customer_card_sections(partner) if partner else [],
        }

    def _cs_user_reads(self, field_name):
        return self._fields[field_name].is_accessible(self.env)

    @api.model
    def _cs_card_section(self, key, title, records, count, describe):
        return {
            "key": key,
            "title": title,
            "count": count,
            "items": [dict(describe(record), id=record.id, model=record._name) for record in records],
        }

    @api.model
    def _cs_customer_card_sections(self, partner):
        """Sections of the card of ``partner`` (a commercial entity): recent tickets and complaints here;
        cs_billing adds arrears, cs_aftersales its returns and repairs. Each section is read in a fixed
        number of queries whatever the customer's history (a limited search, a count), as the current user."""
        Ticket = self.env["cs.ticket"]
        family = [("partner_id", "child_of", partner.id)]
        complaint = [("type_id.code", "=", "complaint")]

        def describe(ticket):
            return {
                "label": f"{ticket.number} {ticket.name}",
                "state": ticket.stage_id.name,
                "date": fields.Datetime.to_string(ticket.create_date),
            }

        sections = []
        for key, title, domain in (
            ("tickets", self.env._("Recent Tickets"), family),
            ("complaints", self.env._("Complaints"), family + complaint),
        ):
            tickets = Ticket.search_fetch(
                domain, ["number", "name", "stage_id", "create_date"], order="id desc", limit=CARD_LIMIT
            )
            tickets.stage_id.fetch(["name"])
            sections.append(self._cs_card_section(key, title, tickets, Ticket.search_count(domain), describe))
        return sections
