from . import portal, web_form
