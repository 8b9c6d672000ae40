"""Selections shared by several models of the suite (and by the other cs_* addons)."""

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]
TOP_PRIORITY = PRIORITIES[-1][0]
# how a customer is contacted: return visits, complaint feedback, survey campaigns, preferred contact
CONTACT_METHODS = [
    ("phone", "Phone"),
    ("sms", "SMS"),
    ("email", "Email"),
    ("chat", "Online Chat"),
    ("wechat", "WeChat"),
    ("visit", "Face-to-face"),
    ("mail", "Post"),
]
FOLLOWUP_RESULTS = [("satisfied", "Satisfied"), ("unsatisfied", "Not Satisfied"), ("unreachable", "Unreachable")]
SEVERITIES = [("minor", "Minor"), ("normal", "Moderate"), ("serious", "Serious"), ("critical", "Critical")]
ESCALATION_LEVELS = [
    ("1", "L1 Agent"),
    ("2", "L2 Complaint Handler"),
    ("3", "L3 Team Leader"),
    ("4", "L4 Manager"),
]
SLA_STATUSES = [("none", "No SLA"), ("running", "On Track"), ("failed", "Failed"), ("met", "Met")]
