from . import cs_qa_report
