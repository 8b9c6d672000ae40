{
    "name": "Customer Service Training",
    "summary": "Courses, sessions, exams, reward/penalty rules, performance reviews and shifts",
    "version": "18.0.1.0.0",
    "category": "Services/Customer Service",
    "author": "CS Center Suite contributors",
    "website": "https://github.com/cs-center/cs-suite",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["cs_quality", "survey", "hr"],
    "data": ["security/cs_training_security.xml", "views/cs_training_menus.xml"],
    "installable": True,
    "application": False,
}
