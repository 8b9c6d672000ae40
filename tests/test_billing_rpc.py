"""cs_billing as its users reach it over JSON-RPC, on the demo data (see cs_billing/demo)."""

import pytest
from conftest import RpcError


def customer(session, name):
    [row] = session.execute(
        "res.partner",
        "search_read",
        [("name", "=", name)],
        fields=["cs_overdue_amount", "cs_dunning_level", "cs_open_invoice_count"],
    )
    return row


def test_agent_sees_arrears_but_not_accounting(client):
    agent = client.login("cs_agent", "cs_agent")
    row = customer(agent, "钱思远")  # demo: invoiced 75 days ago, due after 15 days, unpaid
    assert row["cs_overdue_amount"] > 0
    assert row["cs_dunning_level"] >= 1
    assert row["cs_open_invoice_count"] >= 1
    with pytest.raises(RpcError):
        agent.execute("account.move", "search_read", [("move_type", "=", "out_invoice")], fields=["name"])


def test_agent_follow_up_queue_is_read_only(client):
    agent = client.login("cs_agent", "cs_agent")
    lines = agent.execute("credit.control.line", "search_read", [], fields=["partner_id", "balance_due"])
    assert lines, "the demo arrears run gives the demo agent customers to call"
    with pytest.raises(RpcError):
        agent.execute("credit.control.line", "write", [lines[0]["id"]], {"balance_due": 0})


def test_nobody_approves_their_own_request_or_above_their_level(client):
    agent = client.login("cs_agent", "cs_agent")
    [request] = agent.execute(
        "cs.billing.adjustment", "search_read", [("state", "=", "submitted")], fields=["name", "approval_level"]
    )
    with pytest.raises(RpcError):
        agent.execute("cs.billing.adjustment", "action_approve", [request["id"]])
    clerk = client.login("cs_billing", "cs_billing")
    with pytest.raises(RpcError):
        clerk.execute("cs.billing.adjustment", "action_approve", [request["id"]])
    [after] = clerk.execute("cs.billing.adjustment", "read", [request["id"]], fields=["state"])
    assert after["state"] == "submitted"
