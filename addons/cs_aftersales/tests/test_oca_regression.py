"""OCA's own RMA tests, run again after every module is installed.

OCA's classes are at_install: Odoo runs them when rma, rma_sale or rma_repair is installed, before
cs_aftersales is loaded, so they cannot see this addon's overrides. These subclasses run the same
tests post-install, with cs_aftersales in the registry (plain OCA RMAs have no kind: the suite's
policy must leave them alone).
"""

from odoo.addons.rma.tests import test_rma
from odoo.addons.rma_repair.tests import test_rma_repair_order
from odoo.addons.rma_sale.tests import test_rma_sale, test_rma_sale_allowed_qty, test_rma_sale_refund_from_invoice
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestOcaRma(test_rma.TestRmaCase):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install")
class TestOcaRmaSale(test_rma_sale.TestRmaSale):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install")
class TestOcaRmaSaleAllowedQty(test_rma_sale_allowed_qty.TestRmaSaleQuantityAllowed):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install")
class TestOcaRmaSaleRefund(test_rma_sale_refund_from_invoice.TestRmaSaleRefundFromInvoice):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install")
class TestOcaRmaRepair(test_rma_repair_order.RMARepairOrderTest):
    allow_inherited_tests_method = True
