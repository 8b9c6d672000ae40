from freezegun import freeze_time
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestRoles(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-09-01 02:00:00"):
            cls.order = cls._sell(qty=2)

    def _received(self):
        with freeze_time("2026-09-02 02:00:00"):
            rma = self._request(self.order)
            rma.with_user(self.agent).action_confirm()
        self._receive(rma)
        return rma

    def test_each_role_does_only_its_part(self):
        rma = self._received()
        for user in (self.agent, self.finance):
            with self.assertRaises(AccessError):
                rma.with_user(user).action_inspect_pass()
        with self.assertRaises(AccessError):
            rma.with_user(self.warehouse_user)._cs_override_eligibility("no")
        rma.with_user(self.warehouse_user).action_inspect_pass()
        refund = rma.refund_id
        for user in (self.agent, self.warehouse_user):
            with self.assertRaises(AccessError):
                refund.with_user(user).action_post()
        refund.with_user(self.finance).action_post()
        self.assertEqual(refund.state, "posted")

    def test_policy_and_reasons_configured_by_rma_managers_only(self):
        for user in (self.agent, self.warehouse_user, self.finance):
            with self.assertRaises(AccessError):
                self.env["cs.aftersales.policy"].with_user(user).create({"name": "x"})
            with self.assertRaises(AccessError):
                self.env["cs.aftersales.reason"].with_user(user).create({"name": "x", "code": "X1"})
        self.env["cs.aftersales.reason"].with_user(self.manager).create({"name": "x", "code": "X1"})

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "分公司"})
        policy = self.env["cs.aftersales.policy"].create({"name": "分公司政策", "company_id": other.id})
        foreign = self.env["rma"].create(
            {"partner_id": self.customer.id, "product_id": self.product.id, "company_id": other.id}
        )
        self.assertNotIn(policy, self.env["cs.aftersales.policy"].with_user(self.manager).search([]))
        self.assertNotIn(foreign, self.env["rma"].with_user(self.agent).search([]))
        both = new_test_user(
            self.env,
            "as_two_companies",
            groups="cs_helpdesk.group_agent,rma.rma_group_user_all",
            company_ids=[(6, 0, [self.company.id, other.id])],
        )
        visible = self.env["rma"].with_user(both).with_context(allowed_company_ids=[self.company.id, other.id])
        self.assertIn(foreign, visible.search([]))

    def test_form_opens_for_each_role(self):
        rma = self._received()
        for user in (self.agent, self.warehouse_user, self.finance, self.manager):
            form = Form(rma.with_user(user))
            self.assertEqual(form.state, "received")
