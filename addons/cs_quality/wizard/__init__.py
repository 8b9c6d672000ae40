from . import cs_qa_appeal_wizard
