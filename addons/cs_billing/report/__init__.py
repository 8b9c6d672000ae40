from . import cs_fee_report
from . import cs_ageing_report
from . import cs_collection_report
from . import cs_period_report
from . import cs_partner_statement
