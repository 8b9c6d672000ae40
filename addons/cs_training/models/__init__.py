from . import cs_incentive_rule
from . import cs_incentive_record
from . import cs_ticket
