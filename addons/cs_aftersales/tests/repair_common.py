from datetime import date

from odoo.addons.cs_helpdesk.tests.common import CsHelpdeskCase
from odoo.tests import new_test_user


class CsRepairCase(CsHelpdeskCase):
    """Repair fixture on top of cs_helpdesk's: a tracked appliance, a spare part, fee standards, users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("cs_helpdesk.sla_policy_repair_contact").active = True
        cls.env.ref("cs_aftersales.sla_policy_urgent_repair").active = True
        cls.category_repair = cls.env.ref("cs_helpdesk.category_repair")
        cls.type_aftersales = cls.env.ref("cs_helpdesk.type_aftersales")
        cls.technician = new_test_user(
            cls.env, login="cs_test_technician", groups="cs_aftersales.group_repair_technician", tz="Asia/Shanghai"
        )
        cls.technician2 = new_test_user(
            cls.env, login="cs_test_technician2", groups="cs_aftersales.group_repair_technician"
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.categ = cls.env["product.category"].create({"name": "测试家电"})
        cls.appliance = cls.env["product.product"].create(
            {
                "name": "测试空调",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": cls.categ.id,
                "list_price": 3000.0,
            }
        )
        cls.part = cls.env["product.product"].create(
            {"name": "测试压缩机电容", "is_storable": True, "list_price": 50.0, "standard_price": 20.0}
        )
        cls.labour = cls.env["product.product"].create({"name": "测试维修工时", "type": "service", "list_price": 80.0})
        cls.install_service = cls.env["product.product"].create(
            {"name": "测试上门安装", "type": "service", "list_price": 120.0}
        )
        FeeRule = cls.env["cs.fee.rule"]
        FeeRule.search([]).active = False  # demo fee standards would match first
        cls.rule_repair = FeeRule.create({"name": "保外维修工时", "product_id": cls.labour.id, "fee_type": "repair"})
        cls.rule_install = FeeRule.create(
            {"name": "上门安装费", "product_id": cls.install_service.id, "fee_type": "installation"}
        )
        Lot = cls.env["stock.lot"]
        cls.serial_new = Lot.create({"name": "CS-SN-NEW", "product_id": cls.appliance.id, "company_id": cls.company.id})
        cls.serial_old = Lot.create({"name": "CS-SN-OLD", "product_id": cls.appliance.id, "company_id": cls.company.id})
        Warranty = cls.env["cs.warranty"]
        common = {"partner_id": cls.partner.id, "product_id": cls.appliance.id, "company_id": cls.company.id}
        cls.warranty_new = Warranty.create(
            dict(common, lot_id=cls.serial_new.id, date_start=date(2025, 1, 10), warranty_months=12)
        )
        cls.warranty_old = Warranty.create(
            dict(common, lot_id=cls.serial_old.id, date_start=date(2022, 1, 10), warranty_months=12)
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.appliance, cls.stock, 1, lot_id=cls.serial_new)
        Quant._update_available_quantity(cls.appliance, cls.stock, 1, lot_id=cls.serial_old)
        Quant._update_available_quantity(cls.part, cls.stock, 10)

    def repair_ticket(self, **values):
        values = {"type_id": self.type_aftersales.id, "category_id": self.category_repair.id, **values}
        return self.make_ticket(**values)

    def make_repair(self, ticket, lot, user=None, **values):
        Repair = self.env["repair.order"].with_user(user) if user else self.env["repair.order"]
        return Repair.create(
            {
                "cs_ticket_id": ticket.id if ticket else False,
                "partner_id": self.partner.id,
                "product_id": self.appliance.id,
                "lot_id": lot.id,
                **values,
            }
        )

    def add_part(self, repair, quantity=2.0):
        return self.env["stock.move"].create(
            {
                "repair_id": repair.id,
                "repair_line_type": "add",
                "product_id": self.part.id,
                "product_uom_qty": quantity,
            }
        )

    def finish(self, repair, user=None):
        """Start and end ``repair`` as ``user``, every part line consumed as planned."""
        repair = repair.with_user(user) if user else repair
        repair.action_repair_start()
        for move in repair.move_ids:
            move.quantity = move.product_uom_qty
        repair.move_ids.picked = True
        repair.action_repair_end()

    def rma_values(self, operation="return", **values):
        return {
            "partner_id": self.partner.id,
            "product_id": self.appliance.id,
            "product_uom_qty": 1,
            "operation_id": self.env.ref(f"cs_aftersales.rma_operation_{operation}").id,
            **values,
        }
