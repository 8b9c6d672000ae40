from . import cs_arrears_call
