from . import cs_ticket_report
from . import cs_complaint_report
from . import cs_followup_report
from . import cs_complaint_digest
from . import cs_call_report
from . import cs_chat_report
