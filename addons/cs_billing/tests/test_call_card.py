from odoo.tests import tagged

from .common import CsBillingCase


@tagged("post_install", "-at_install")
class TestCallCard(CsBillingCase):
    """The screen pop card of a caller with unpaid fees shows the arrears to agents, not to analysts."""

    def test_arrears_on_the_card(self):
        self.invoice_fees(self.make_fee(quantity=2))
        integration = (
            self.env["cs.inbound.integration"]
            .sudo()
            .create(
                {"name": "热线", "code": "billing-card-test", "company_id": self.company.id, "team_id": self.team.id}
            )
        )
        call = (
            self.env["cs.call"]
            .sudo()
            .create(
                {
                    "integration_id": integration.id,
                    "company_id": self.company.id,
                    "external_call_id": "card-1",
                    "team_id": self.team.id,
                    "agent_id": self.agent.id,
                    "partner_id": self.customer.id,
                }
            )
        )
        call = call.sudo(False)
        card = call.with_user(self.agent).with_company(self.company).action_cs_customer_card()
        arrears = {section["key"]: section for section in card["sections"]}["arrears"]
        self.assertEqual(arrears["count"], 1, "one open invoice")
        self.assertIn("230", arrears["items"][0]["label"])
        analyst_card = call.with_user(self.analyst).with_company(self.company).action_cs_customer_card()
        self.assertNotIn("arrears", [section["key"] for section in analyst_card["sections"]])
