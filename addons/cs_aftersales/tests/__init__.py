from . import test_install
from . import test_policy
from . import test_eligibility
from . import test_quantity
from . import test_flow
from . import test_channels
from . import test_performance
from . import test_oca_regression
