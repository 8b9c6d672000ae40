from . import test_install
from . import test_scorecard
from . import test_review
from . import test_sampling
from . import test_autocheck
from . import test_kpi
from . import test_security
