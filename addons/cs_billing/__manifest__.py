{
    "name": "Customer Service Billing",
    "summary": "Service fees, invoicing, waivers and write-offs, dunning and ageing for the customer service center",
    "version": "18.0.1.0.0",
    "category": "Services/Customer Service",
    "author": "CS Center Suite contributors",
    "website": "https://github.com/cs-center/cs-suite",
    "license": "LGPL-3",
    "depends": ["cs_aftersales", "account"],
    "data": ["views/cs_billing_menus.xml"],
    "installable": True,
    "application": False,
}
