from . import cs_aftersales_override_wizard
from . import cs_aftersales_negotiation_wizard
from . import sale_order_rma_wizard
