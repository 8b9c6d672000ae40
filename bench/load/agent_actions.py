"""The agent actions of the load test, shared by the Locust users and bench/bench_agent_actions.py.

For each model: the fields the list and the form read (as the web client's specification), the
list's everyday domain, and the reply (body and subtype). A ticket agent replies to the customer
(``mail.mt_comment``); the crm.lead reference logs a note (``mail.mt_note``), as the issue defines it.
"""

TICKET = {
    "model": "cs.ticket",
    "list_fields": {
        "number": {},
        "name": {},
        "partner_id": {"fields": {"display_name": {}}},
        "team_id": {"fields": {}},
        "stage_id": {"fields": {"display_name": {}}},
        "priority": {},
        "sla_deadline": {},
        "create_date": {},
    },
    "form_extra": {"description": {}, "user_id": {"fields": {"display_name": {}}}, "type_id": {"fields": {}}},
    "open_only": True,  # "my open tickets", the agent's everyday filter
    "reply": ("<p>您好，已为您查询，请稍候。</p>", "mail.mt_comment"),
}
LEAD = {
    "model": "crm.lead",
    "list_fields": {
        "name": {},
        "partner_id": {"fields": {"display_name": {}}},
        "team_id": {"fields": {}},
        "stage_id": {"fields": {"display_name": {}}},
        "priority": {},
        "expected_revenue": {},
        "create_date": {},
    },
    "form_extra": {"description": {}, "user_id": {"fields": {"display_name": {}}}, "email_from": {}},
    "open_only": False,
    "reply": ("<p>已电话联系客户。</p>", "mail.mt_note"),
}


def form_fields(kind):
    return dict(kind["list_fields"], **kind["form_extra"])


def list_domain(kind, uid):
    domain = [("user_id", "=", uid)]
    return [*domain, ("is_closed", "=", False)] if kind["open_only"] else domain


def list_params(kind, uid):
    """kwargs of the list's ``web_search_read``."""
    return {"domain": list_domain(kind, uid), "specification": kind["list_fields"], "limit": 80, "order": "id desc"}


def chatter_params(kind, record_id):
    """params of ``/mail/thread/messages`` when the form opens."""
    return {"thread_model": kind["model"], "thread_id": record_id, "limit": 30}


def reply_params(kind, record_id):
    """params of ``/mail/message/post`` for the reply."""
    body, subtype = kind["reply"]
    post_data = {"body": body, "message_type": "comment", "subtype_xmlid": subtype}
    return {"thread_model": kind["model"], "thread_id": record_id, "post_data": post_data}
