def test_demo_agent_logs_in_and_reads_module_states(client, modules):
    agent = client.login("cs_agent", "cs_agent")
    assert agent, "the demo agent cannot log in"
    states = agent.execute("ir.module.module", "search_read", [("name", "in", modules)], fields=["name", "state"])
    assert {row["name"]: row["state"] for row in states} == dict.fromkeys(modules, "installed")


def test_wrong_password_is_refused(client):
    assert not client.login("cs_agent", "not-the-password")


def test_agent_sees_the_customer_service_app(client):
    agent = client.login("cs_agent", "cs_agent")
    menus = agent.execute("ir.ui.menu", "search_read", [("parent_id", "=", False)], fields=["name", "web_icon"])
    icons = [menu["web_icon"] for menu in menus]
    assert "cs_helpdesk,static/description/icon.png" in icons


def test_analyst_cannot_write_tickets(client):
    analyst = client.login("cs_analyst", "cs_analyst")
    rights = analyst.execute("cs.ticket", "has_access", [], "write")  # [] = no ids: the model ACL
    assert rights is False


def test_agent_may_write_tickets(client):
    agent = client.login("cs_agent", "cs_agent")
    assert agent.execute("cs.ticket", "has_access", [], "write") is True
