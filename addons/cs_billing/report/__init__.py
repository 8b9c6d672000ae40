from . import cs_fee_report
from . import cs_ageing_report
from . import cs_collection_report
