"""cs_quality over JSON-RPC with the demo users: what each role reads and may change."""

import pytest
from conftest import RpcError


def test_agent_reads_only_own_reviews_and_kpis(client):
    agent = client.login("cs_agent", "cs_agent")
    uid = agent.uid
    reviews = agent.execute("cs.qa.review", "search_read", [], fields=["agent_id", "score", "state"])
    assert reviews, "the demo has reviews of cs_agent"
    assert {review["agent_id"][0] for review in reviews} == {uid}
    snapshots = agent.execute("cs.kpi.snapshot", "search_read", [], fields=["user_id"])
    assert {row["user_id"][0] for row in snapshots if row["user_id"]} <= {uid}
    checks = agent.execute("cs.qa.check", "search_read", [], fields=["agent_id"])
    assert {row["agent_id"][0] for row in checks} <= {uid}


def test_agent_cannot_rescore_a_review(client):
    agent = client.login("cs_agent", "cs_agent")
    review_ids = agent.execute("cs.qa.review", "search", [])
    with pytest.raises(RpcError):
        agent.execute("cs.qa.review", "write", review_ids[:1], {"feedback": "<p>满分</p>"})
    assert agent.execute("cs.qa.review.line", "has_access", [], "write") is False


def test_inspector_reads_all_reviews_and_tickets(client):
    inspector = client.login("cs_qa", "cs_qa")
    agents = {row["agent_id"][0] for row in inspector.execute("cs.qa.review", "search_read", [], fields=["agent_id"])}
    assert len(agents) >= 2, "the demo inspector sees the reviews of both demo agents"
    assert inspector.execute("cs.ticket", "has_access", [], "read") is True
    assert inspector.execute("cs.ticket", "has_access", [], "write") is False


def test_analyst_reads_kpis_but_not_scorecards_for_writing(client):
    analyst = client.login("cs_analyst", "cs_analyst")
    assert analyst.execute("cs.kpi.snapshot", "search_count", [])
    assert analyst.execute("cs.qa.scorecard", "has_access", [], "write") is False
