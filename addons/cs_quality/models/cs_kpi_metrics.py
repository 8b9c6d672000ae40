"""KPIs of the snapshots, shared by targets, risk warning indicators and improvement actions."""

KPI_METRICS = [
    ("ticket_count", "Ticket Volume"),
    ("first_response_hours", "First Response (h)"),
    ("handling_hours", "Handling Time (h)"),
    ("fcr_rate", "First Contact Resolution"),
    ("sla_met_rate", "SLA Met"),
    ("csat_avg", "Average Rating"),
    ("satisfied_rate", "Satisfied Customers"),
    ("complaint_count", "Complaints"),
    ("complaint_rate", "Complaint Rate"),
    ("reopen_rate", "Reopen Rate"),
    ("qa_score_avg", "QA Average Score"),
    ("autocheck_pass_rate", "Automatic Check Pass Rate"),
    ("followup_rate", "Return Visits Completed"),
    ("esat_score", "Employee Satisfaction"),
    ("repeat_purchase_rate", "Repeat Purchase after Complaint"),
    ("churn_rate", "Churn after Complaint"),
    ("call_count", "Calls"),
    ("talk_seconds", "Average Talk Time (s)"),
    ("hold_seconds", "Average Hold Time (s)"),
    ("call_handling_seconds", "Average Call Handling Time (s)"),
    ("wait_seconds", "Customer Waiting Time (s)"),
    ("service_level", "Service Level"),
    ("chat_count", "Chats"),
]
# KPIs where a lower value is better (the others: higher is better)
LOWER_IS_BETTER = {
    "first_response_hours",
    "handling_hours",
    "complaint_count",
    "complaint_rate",
    "reopen_rate",
    "churn_rate",
    "talk_seconds",
    "hold_seconds",
    "call_handling_seconds",
    "wait_seconds",
}
# rates are stored as fractions and shown as percentages
RATE_METRICS = {
    "fcr_rate",
    "sla_met_rate",
    "satisfied_rate",
    "complaint_rate",
    "reopen_rate",
    "autocheck_pass_rate",
    "followup_rate",
    "esat_score",
    "repeat_purchase_rate",
    "churn_rate",
    "service_level",
}
PERIOD_TYPES = [("day", "Day"), ("week", "Week"), ("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
