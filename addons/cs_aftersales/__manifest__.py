{
    "name": "Customer Service After-sales",
    "summary": "Returns, exchanges, repairs and warranty with a policy engine for the customer service center",
    "version": "18.0.1.0.0",
    "category": "Services/Customer Service",
    "author": "CS Center Suite contributors",
    "website": "https://github.com/cs-center/cs-suite",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["cs_helpdesk", "cs_billing", "rma", "rma_sale", "rma_repair"],
    "data": ["views/cs_aftersales_menus.xml"],
    "installable": True,
    "application": False,
}
