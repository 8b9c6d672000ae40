from . import cs_incentive_export
