"""Uninstall then reinstall the whole suite (runs last: it changes the database)."""


def _states(admin, modules):
    rows = admin.execute("ir.module.module", "search_read", [("name", "in", modules)], fields=["name", "state"])
    return {row["name"]: row["state"] for row in rows}


def test_uninstall_and_reinstall(admin, modules):
    base = admin.execute("ir.module.module", "search", [("name", "=", "cs_helpdesk")])
    admin.execute("ir.module.module", "button_immediate_uninstall", base)
    assert set(_states(admin, modules).values()) == {"uninstalled"}
    assert not admin.execute("ir.model", "search", [("model", "=", "cs.ticket")])

    ids = admin.execute("ir.module.module", "search", [("name", "in", modules)])
    admin.execute("ir.module.module", "button_immediate_install", ids)
    assert _states(admin, modules) == dict.fromkeys(modules, "installed")
    assert admin.execute("ir.model", "search", [("model", "=", "cs.ticket")])
