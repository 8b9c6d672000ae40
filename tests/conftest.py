"""Suite-level tests: talk to a running Odoo over JSON-RPC as a real client does.

`scripts/csctl.py test` starts the server on a free port and exports
CS_URL, CS_DB, CS_INSTALL_LOG and CS_MODULES before running pytest.
"""

import itertools
import json
import os
import urllib.request

import pytest

_ids = itertools.count(1)


class RpcError(Exception):
    pass


class OdooClient:
    def __init__(self, url, db):
        self.url = url
        self.db = db

    def call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": next(_ids),
        }
        request = urllib.request.Request(
            f"{self.url}/jsonrpc", json.dumps(payload).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=600) as response:
            body = json.load(response)
        if body.get("error"):
            raise RpcError(body["error"]["data"].get("message") or body["error"]["message"])
        return body["result"]

    def login(self, login, password):
        uid = self.call("common", "login", self.db, login, password)
        return uid and UserSession(self, uid, password)


class UserSession:
    def __init__(self, client, uid, password):
        self.client = client
        self.uid = uid
        self.password = password

    def execute(self, model, method, *args, **kwargs):
        return self.client.call(
            "object", "execute_kw", self.client.db, self.uid, self.password, model, method, list(args), kwargs
        )


@pytest.fixture(scope="session")
def client():
    url, db = os.environ.get("CS_URL"), os.environ.get("CS_DB")
    if not url or not db:
        pytest.skip("run through `make test`: CS_URL and CS_DB are not set")
    return OdooClient(url, db)


@pytest.fixture(scope="session")
def modules():
    return os.environ.get("CS_MODULES", "cs_helpdesk,cs_aftersales,cs_billing,cs_quality,cs_training").split(",")


@pytest.fixture(scope="session")
def admin(client):
    session = client.login("admin", "admin")
    assert session, "the admin demo login failed"
    return session


@pytest.fixture(scope="session")
def suite_dump(tmp_path_factory):
    """One dump (+ filestore) of the test database, restored into the fault tests' own databases."""
    if not os.environ.get("CS_PGHOST") or not os.environ.get("CS_DB"):
        pytest.skip("run through `make test`: CS_PGHOST and CS_DB are not set")
    import layouts

    return layouts.csctl.backup(os.environ["CS_DB"], layouts.server_pg(), tmp_path_factory.mktemp("dump"))
