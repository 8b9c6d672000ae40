from . import test_install
from . import test_incentive
from . import test_incentive_security
from . import test_incentive_complaint
from . import test_translation
from . import test_tour
from . import test_roster
