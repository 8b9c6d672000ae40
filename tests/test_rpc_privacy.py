"""Issue 8 §2 over JSON-RPC, as the probes ran against the demo server: each role, each path."""

import pytest
from conftest import RpcError

CONTACT = ["email", "phone", "mobile", "street", "email_formatted", "contact_address"]


@pytest.fixture(scope="module")
def analyst(client):
    return client.login("cs_analyst", "cs_analyst")


@pytest.fixture(scope="module")
def agent(client):
    return client.login("cs_agent", "cs_agent")


@pytest.fixture(scope="module")
def customer_ticket(admin):
    """A ticket of a customer with a portal account, a follower and an email from the customer."""
    partner = admin.execute("res.users", "search_read", [("login", "=", "portal")], fields=["partner_id"])
    if not partner:
        pytest.skip("the portal demo user is not installed")
    partner_id = partner[0]["partner_id"][0]
    admin.execute("res.partner", "write", [partner_id], {"email": "joel.willis@example.com", "phone": "+1 555 0100"})
    team = admin.execute("cs.ticket.team", "search", [], limit=1)
    ticket_id = admin.execute(
        "cs.ticket",
        "create",
        {"name": "RPC privacy probe", "partner_id": partner_id, "team_id": team[0] if team else False},
    )
    admin.execute(
        "cs.ticket",
        "message_post",
        [ticket_id],
        body="Where is my parcel?",
        author_id=False,
        email_from="joel.willis@example.com",
        message_type="email",
    )
    admin.execute(
        "cs.ticket",
        "write",
        [ticket_id],
        {"type_id": admin.execute("cs.ticket.type", "search", [("code", "=", "complaint")], limit=1)[0]},
    )
    return ticket_id, partner_id


def test_analyst_reads_no_customer_contact_data(analyst, customer_ticket):
    ticket_id, partner_id = customer_ticket
    for field in CONTACT:
        with pytest.raises(RpcError):
            analyst.execute("res.partner", "read", [partner_id], [field])
    with pytest.raises(RpcError):
        analyst.execute("res.partner", "search_read", [("id", "=", partner_id)], fields=["name", "email"])
    with pytest.raises(RpcError):
        analyst.execute(
            "cs.ticket", "web_read", [ticket_id], specification={"partner_id": {"fields": {"email": {}, "phone": {}}}}
        )
    with pytest.raises(RpcError):
        analyst.execute("mail.message", "search_read", [("model", "=", "cs.ticket"), ("res_id", "=", ticket_id)],
                        fields=["email_from"])  # fmt: skip
    with pytest.raises(RpcError):
        analyst.execute("mail.followers", "search_read", [("res_model", "=", "cs.ticket"), ("res_id", "=", ticket_id)],
                        fields=["email"])  # fmt: skip
    with pytest.raises(RpcError):
        analyst.execute("res.users", "search_read", [("login", "=", "portal")], fields=["login"])
    name = analyst.execute("res.partner", "read", [partner_id], ["name"])[0]["name"]
    assert name


def test_analyst_keeps_the_reports(analyst):
    groups = analyst.execute("cs.ticket.report", "read_group", [], fields=["__count"], groupby=["team_id"], lazy=False)
    assert isinstance(groups, list)
    analyst.execute("cs.complaint.report", "search_read", [], fields=["ticket_count"], limit=5)


def test_export_block_by_meaning(agent, analyst, customer_ticket):
    ticket_id, partner_id = customer_ticket
    for session in (agent, analyst):
        for model, ids, path in (
            ("res.partner", [partner_id], "email_formatted"),
            ("res.partner", [partner_id], "contact_address"),
            ("cs.ticket", [ticket_id], "message_follower_ids/email"),
            ("cs.ticket", [ticket_id], "message_ids/email_from"),
            ("cs.ticket", [ticket_id], "partner_id/user_ids/login"),
        ):
            with pytest.raises(RpcError):
                session.execute(model, "export_data", ids, ["id", path])


def test_agent_bulk_read_of_contact_data(admin, agent):
    key = "cs_helpdesk.contact_bulk_read_limit"
    admin.execute("ir.config_parameter", "set_param", key, "2")
    try:
        with pytest.raises(RpcError):
            agent.execute("res.partner", "search_read", [("email", "!=", False)], fields=["name", "email"])
        assert (
            len(agent.execute("res.partner", "search_read", [("email", "!=", False)], fields=["email"], limit=2)) == 2
        )
    finally:
        admin.execute("ir.config_parameter", "set_param", key, "80")


def test_portal_customer_reads_no_internal_complaint_field(client, customer_ticket):
    ticket_id, _partner_id = customer_ticket
    portal = client.login("portal", "portal")
    assert portal.execute("cs.ticket", "read", [ticket_id], ["name"])[0]["name"] == "RPC privacy probe"
    for field in ("complaint_defect_description", "complaint_compensation", "complaint_user_ids", "sla_ids",
                  "lead_id", "complaint_refusal_reason", "complaint_escalation_level"):  # fmt: skip
        with pytest.raises(RpcError):
            portal.execute("cs.ticket", "read", [ticket_id], [field])


def test_agent_cannot_write_measured_figures(agent):
    ticket = agent.execute("cs.ticket", "search", [], limit=1)
    for field, value in (("reopen_count", 0), ("first_response_date", "2026-01-01 00:00:00"), ("answer_seconds", 1)):
        with pytest.raises(RpcError):
            agent.execute("cs.ticket", "write", ticket, {field: value})
