from . import cs_ticket_report
