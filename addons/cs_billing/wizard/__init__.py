from . import cs_arrears_call
from . import cs_statement_wizard
