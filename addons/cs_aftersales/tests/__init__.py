from . import test_install
from . import test_policy
from . import test_repair
from . import test_warranty
from . import test_parcel_review
from . import test_report
