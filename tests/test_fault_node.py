"""One of two HTTP nodes killed (SIGKILL) while tickets are being created through nginx.

deploy/'s two prefork nodes behind deploy/'s nginx site (as `make cluster` runs them, on a
copy of the test database): CLIENTS clients create tickets through nginx for SECONDS
seconds; node1 is killed after KILL_AFTER seconds. Then nginx must send the traffic to
node2, every ticket whose creation was answered must exist once, none twice, and the only
failed requests must be those in flight to node1 when it died (nginx's access log says
which node each request went to).
"""

import os
import re
import threading
import time

import layouts
import pytest

CLIENTS = 6
SECONDS = 24
KILL_AFTER = 8
GRACE = 1.0  # seconds after the kill during which a request may still have been sent to the dying node


@pytest.fixture(scope="module")
def nodes_db(suite_dump):
    db = f"{os.environ['CS_DB']}_nodes"
    layouts.restore_copy(suite_dump, db)
    try:
        yield db
    finally:
        layouts.drop_copy(db)


def create_tickets(lay, db, uid, tag, stop, results):
    """Create tickets through nginx until ``stop``; record (request id, start, end, error or None)."""
    number = 0
    while not stop.is_set():
        number += 1
        rid = f"{tag}-{number}"
        start = time.time()
        try:
            layouts.jsonrpc(
                lay.url, "object", "execute_kw", db, uid, "admin", "cs.ticket", "create",
                [{"name": f"node-kill {rid}", "email_from": f"{rid}@example.com"}], {},
                headers={"X-CS-Request": rid}, timeout=60,
            )  # fmt: skip
            error = None
        except layouts.RpcFailure as failure:
            error = str(failure)
        results.append((rid, start, time.time(), error))


def upstreams(lay):
    """Request id -> the node addresses nginx tried for it, from the access log."""
    tried = {}
    for line in (lay.logs / "nginx-access.log").read_text().splitlines():
        match = re.search(r"upstream=(.*?) upstream_status=.* rid=(\S+)$", line)
        if match and match.group(2) != "-":
            tried[match.group(2)] = [address.strip() for address in re.split(r"[,:]\s", match.group(1))]
    return tried


def test_one_node_killed_nginx_serves_on_the_other_no_ticket_lost_or_doubled(nodes_db):
    with layouts.layout("fault-nodes", nodes_db, pg=layouts.server_pg(), replica=False) as lay:
        for node in lay.nodes:
            layouts.cluster.start_node(lay, node, "http", wait=False)
        for node in lay.nodes:
            layouts.cluster.wait_node(lay, node)
        layouts.cluster.start_nginx(lay)
        node1 = f"127.0.0.1:{lay.ports['node1_http']}"

        uid = layouts.jsonrpc(lay.url, "common", "login", nodes_db, "admin", "admin")
        results, stop = [], threading.Event()
        clients = [
            threading.Thread(target=create_tickets, args=(lay, nodes_db, uid, f"c{index}", stop, results))
            for index in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        time.sleep(KILL_AFTER)
        killed_at = time.time()
        layouts.cluster.kill_node(lay, "node1")
        time.sleep(SECONDS - KILL_AFTER)
        stop.set()
        for client in clients:
            client.join(90)
        tried = upstreams(lay)

    counts = dict(
        layouts.query(
            nodes_db, "SELECT substr(name, 11), count(*) FROM cs_ticket WHERE name LIKE 'node-kill %%' GROUP BY 1"
        )
    )
    answered = [rid for rid, _start, _end, error in results if error is None]
    failed = [(rid, start, end, error) for rid, start, end, error in results if error]
    before = [rid for rid, start, _end, _error in results if start < killed_at]
    after = [rid for rid, start, _end, error in results if start > killed_at + GRACE and error is None]
    in_flight = [rid for rid, start, end, _error in results if start <= killed_at <= end]
    layouts.report(
        f"node kill: {len(results)} ticket creations through nginx ({len(before)} before the kill, "
        f"{len(after)} answered after it); {len(in_flight)} in flight when node1 died, {len(failed)} failed "
        f"({', '.join(sorted({error[:60] for *_rest, error in failed})) or 'none'}); "
        f"{sum(1 for rid in counts if rid not in answered)} ticket(s) committed without an answer"
    )

    assert max(counts.values(), default=0) == 1, "a ticket was created twice"
    assert all(counts.get(rid) == 1 for rid in answered), "an answered ticket creation is missing"
    assert {tried[rid][0] for rid in before if rid in tried} == {
        node1,
        f"127.0.0.1:{lay.ports['node2_http']}",
    }, "before the kill nginx did not use both nodes"
    assert len(after) >= CLIENTS, "the traffic did not go on through node2"
    for rid, start, end, error in failed:
        assert start <= killed_at + GRACE and end >= killed_at, f"{rid} failed outside the kill ({error})"
        assert tried.get(rid, [None])[-1] == node1, f"{rid} failed on {tried.get(rid)}, not on the killed node"
