from . import cs_aftersales_policy
from . import rma_operation
from . import rma
from . import cs_ticket
