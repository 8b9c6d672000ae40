from . import test_assignment, test_mail_gateway, test_portal, test_report, test_sla
