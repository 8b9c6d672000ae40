from . import cs_knowledge_insert
from . import cs_complaint_refuse_wizard
