from . import test_install
from . import test_fee
from . import test_adjustment
from . import test_arrears
from . import test_report
from . import test_security
from . import test_fapiao
from . import test_tour
