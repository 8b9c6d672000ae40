from . import test_assignment
from . import test_mail_gateway
from . import test_portal
from . import test_report
from . import test_security
from . import test_sla
from . import test_tour
