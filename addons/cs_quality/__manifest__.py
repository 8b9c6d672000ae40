{
    "name": "Customer Service Quality",
    "summary": "QA scorecards, reviews, appeals, agent KPIs, improvement actions, risk plans and tools",
    "version": "18.0.1.0.0",
    "category": "Services/Customer Service",
    "author": "CS Center Suite contributors",
    "website": "https://github.com/cs-center/cs-suite",
    "license": "LGPL-3",
    "depends": ["cs_helpdesk", "hr"],
    "data": ["security/cs_quality_security.xml", "views/cs_quality_menus.xml"],
    "installable": True,
    "application": False,
}
