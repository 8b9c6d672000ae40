from . import portal, web_form
from . import rating
from . import complaint_portal
from . import cs_telephony
