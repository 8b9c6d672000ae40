from unittest.mock import patch

from odoo.addons.bus.websocket import WebsocketConnectionHandler
from odoo.tests import HttpCase, tagged

from .cti_common import CtiCase


@tagged("post_install", "-at_install")
class TestScreenPopTour(HttpCase, CtiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the screen pop comes over the bus: let the browser open its websocket, as bus's own tests do
        cls.startClassPatcher(patch.object(WebsocketConnectionHandler, "websocket_allowed", return_value=True))

    def test_screen_pop_tour(self):
        self.env["cs.ticket"].create({"name": "上次的退货", "partner_id": self.customer.id, "team_id": self.team_a.id})
        ring = self.call_events("tour", answer=5)
        self.ingest(ring[:1])
        self.env.cr.precommit.run()  # the bus notification is written at commit
        # a fresh browser asks for the notifications of the last minute: date it with the real clock, not
        # with the start of the test's transaction
        self.env.cr.execute("UPDATE bus_bus SET create_date = clock_timestamp() AT TIME ZONE 'UTC'")
        self.start_tour("/odoo", "cs_helpdesk_screen_pop_tour", login="cti_agent_a")
        call = self.call("tour")
        ticket = call.ticket_id
        self.assertEqual((ticket.partner_id, ticket.user_id), (self.customer, self.agent_a))
        self.ingest(ring[1:])
        self.assertEqual(ticket.answer_seconds, 5, "answered after the ticket was created: the ticket gets the time")
