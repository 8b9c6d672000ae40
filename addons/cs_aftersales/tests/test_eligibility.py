from freezegun import freeze_time
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestEligibility(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._sell(qty=2)
        # 16:30 UTC is 00:30 the next day in Shanghai: the customer received it on 2 March.
        cls._set_delivery_date(cls.order, "2026-03-01 16:30:00")

    def test_day_7_vs_day_8_in_customer_time_zone(self):
        with freeze_time("2026-03-09 15:59:00"):  # 23:59 on 9 March in Shanghai: day 7
            rma = self._request(self.order)
        self.assertTrue(rma.eligible)
        self.assertEqual(str(rma.delivery_date), "2026-03-02")
        self.assertEqual(rma.eligibility_note, "Day 7 after receipt, within the 7-day return window")
        rma.with_user(self.agent).action_confirm()
        self.assertEqual(rma.state, "confirmed")

        with freeze_time("2026-03-09 16:00:00"):  # midnight in Shanghai: day 8, although still 9 March in UTC
            late = self._request(self.order)
        self.assertFalse(late.eligible)
        self.assertEqual(late.eligibility_note, "Day 8 after receipt, beyond the 7-day return window")
        with self.assertRaisesRegex(UserError, "beyond the 7-day return window"):
            late.with_user(self.agent).action_confirm()
        self.assertEqual(late.state, "draft")

    def test_exchange_window_from_policy(self):
        self.policy.exchange_days = 10
        with freeze_time("2026-03-11 12:00:00"):  # 20:00 in Shanghai on 11 March: day 9
            rma = self._request(self.order, kind="exchange")
        self.assertEqual(rma.eligibility_note, "Day 9 after receipt, within the 10-day exchange window")
        with freeze_time("2026-03-11 12:00:00"):
            rma = self._request(self.order, kind="return")
        self.assertEqual(rma.eligibility_note, "Day 9 after receipt, beyond the 7-day return window")

    def test_manager_override_with_reason(self):
        with freeze_time("2026-03-20 08:00:00"):
            rma = self._request(self.order)
        with self.assertRaises(AccessError):
            rma.with_user(self.agent)._cs_override_eligibility("VIP customer")
        with self.assertRaises(AccessError):
            rma.with_user(self.agent).write({"override_reason": "sneaky"})
        with self.assertRaises(UserError):
            rma.with_user(self.manager)._cs_override_eligibility("  ")
        wizard = (
            self.env["cs.aftersales.override.wizard"]
            .with_user(self.manager)
            .create({"rma_ids": [(6, 0, rma.ids)], "reason": "大客户，经理特批"})
        )
        wizard.action_override()
        self.assertEqual(rma.override_reason, "大客户，经理特批")
        self.assertEqual(rma.override_user_id, self.manager)
        rma.with_user(self.agent).action_confirm()
        self.assertEqual(rma.state, "confirmed")

    def test_undelivered_order_is_refused(self):
        order = self._sell(qty=1, deliver=False)
        rma = (
            self.env["rma"]
            .with_user(self.agent)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_id": order.id,
                    "product_id": self.product.id,
                    "operation_id": self.op_return.id,
                    "reason_type": "quality",
                    "location_id": self.warehouse.rma_loc_id.id,
                }
            )
        )
        self.assertFalse(rma.eligible)
        with self.assertRaisesRegex(UserError, "Not delivered yet"):
            rma.with_user(self.agent).action_confirm()
        self.assertEqual(rma.state, "draft")
        self.assertFalse(rma.reception_move_id)

    def test_plain_oca_rma_not_blocked(self):
        with freeze_time("2026-06-01 08:00:00"):
            rma = self._request(self.order, operation_id=self.env.ref("rma.rma_operation_refund").id)
        self.assertFalse(rma.kind)
        self.assertTrue(rma.eligible)
        rma.action_confirm()
        self.assertEqual(rma.state, "confirmed")

    def test_no_policy_is_lenient(self):
        self.policy.active = False
        with freeze_time("2026-06-01 08:00:00"):
            rma = self._request(self.order)
        self.assertTrue(rma.eligible)
        self.assertIn("No after-sales policy", rma.eligibility_note)

    def test_quality_reason_required_and_evidence(self):
        with freeze_time("2026-03-03 08:00:00"):
            rma = self._request(self.order, reason_type=False)
            with self.assertRaisesRegex(UserError, "quality problem"):
                rma.with_user(self.agent).action_confirm()
            rma.reason_id = self.env.ref("cs_aftersales.reason_defect")
            self.assertEqual(rma.reason_type, "quality")
            with self.assertRaisesRegex(UserError, "evidence photo"):
                rma.with_user(self.agent).action_confirm()
            photo = self.env["ir.attachment"].create({"name": "broken.jpg", "raw": b"jpeg", "res_model": "rma"})
            rma.evidence_attachment_ids = photo
            rma.with_user(self.agent).action_confirm()
        self.assertEqual(rma.state, "confirmed")

    def test_reason_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        with freeze_time("2026-03-11 02:00:00"):  # 10:00 on 11 March in Shanghai: day 9
            rma = self._request(self.order)
        note = rma.with_context(lang="zh_CN").eligibility_note
        self.assertEqual(note, "收货后第 9 天，超出 7 天退货期")
        with self.assertUserError("收货后第 9 天，超出 7 天退货期"):
            rma.with_user(self.agent).with_context(lang="zh_CN").action_confirm()
