"""Small deployments for the fault tests, built from deploy/cluster.py's pieces.

A fault test gets its own copy of the test database (restored from one dump of it per
session), its own Odoo nodes and nginx on free loopback ports, and a ``finally`` that
stops everything it started.
"""

import contextlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "scripts"))

import cluster  # noqa: E402
import csctl  # noqa: E402

_ids = itertools.count(1)
# first ports tried by the fault tests' layouts (the next free ones are taken)
# below Linux's ephemeral range (32768-60999): a port found free there can be taken, before the server
# binds it, by one of the many client connections the tests open
PORTS = {"primary": 25561, "replica": 25562, "http": 18181, "gevent": 18185, "nginx": 18189}


def server_pg():
    """(host, port) of the PostgreSQL server `make test` runs on."""
    return os.environ["CS_PGHOST"], int(os.environ["CS_PGPORT"])


def connect(db, pg=None):
    conn = csctl.connect(db, pg or server_pg())
    conn.autocommit = True
    return conn


def query(db, sql, params=None, pg=None):
    with contextlib.closing(connect(db, pg)) as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else None


def restore_copy(dump, db, pg=None):
    """A new database ``db`` (and its filestore) from a dump made by ``csctl.backup``."""
    drop_copy(db, pg)
    csctl.restore(dump, db, pg or server_pg())


def drop_copy(db, pg=None):
    csctl.drop_db(db, pg or server_pg())
    shutil.rmtree(csctl.DATA_DIR / "filestore" / db, ignore_errors=True)


@contextlib.contextmanager
def layout(tag, db, **kwargs):
    """A ``cluster.Layout`` under .local/<tag>-<pid>, everything it started stopped and removed on exit."""
    name = f"{tag}-{os.getpid()}"
    lay = cluster.Layout(csctl.LOCAL / name, cluster.runtime_dir(name), db, data_dir=csctl.DATA_DIR, **kwargs)
    try:
        cluster.allocate_ports(lay, PORTS)
        yield lay
    finally:
        cluster.stop_all(lay)
        shutil.rmtree(lay.folder, ignore_errors=True)
        shutil.rmtree(lay.runtime, ignore_errors=True)


def jsonrpc(url, service, method, *args, timeout=60, headers=None):
    """One JSON-RPC call to ``url``/jsonrpc; returns the result or raises ``RpcFailure``."""
    payload = {"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}}
    return post_json(f"{url}/jsonrpc", dict(payload, id=next(_ids)), timeout, headers)


class RpcFailure(Exception):
    """An HTTP error, a refused or cut connection, or an Odoo error answer."""


def post_json(url, payload, timeout=60, headers=None, opener=None):
    request = urllib.request.Request(
        url, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
            body = json.load(response)
    except urllib.error.HTTPError as error:
        raise RpcFailure(f"HTTP {error.code}") from error
    except (OSError, ValueError) as error:  # refused, reset, timed out, truncated
        raise RpcFailure(type(error).__name__) from error
    if body.get("error"):
        raise RpcFailure(body["error"]["data"].get("message") or body["error"]["message"])
    return body["result"]


def report(line):
    """A fault test's figures: on stderr and appended to .local/logs/faults.log (pytest hides stderr)."""
    print(line, file=sys.stderr)
    csctl.LOG_DIR.mkdir(parents=True, exist_ok=True)
    with open(csctl.LOG_DIR / "faults.log", "a", encoding="utf-8") as log:
        log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")


# ------------------------------------------------------------------ an SLA backlog for the cron node
GENERATE = """
import sys
sys.path.insert(0, {bench!r})
import datagen
from bench_sla_cron import generate
fixture = datagen.Fixture(env, teams=1, agents_per_team=2, partners=20)
generate(env, fixture, {lines}, 1.0, 0.42, env.ref("cs_helpdesk.sla_policy_email_reply"))
env.cr.commit()
"""
# every deadline days ago: one run fires the whole escalation ladder, after which a line has nothing left to do
PAST_DEADLINES = """
UPDATE cs_ticket_sla s
   SET deadline = (now() AT TIME ZONE 'UTC') - interval '3 days' - random() * interval '1 day'
  FROM cs_ticket t WHERE t.id = s.ticket_id AND t.number LIKE %(prefix)s;
UPDATE cs_ticket_sla s SET next_check = s.deadline - interval '2 hours'
  FROM cs_ticket t WHERE t.id = s.ticket_id AND t.number LIKE %(prefix)s;
UPDATE cs_ticket t SET sla_deadline = s.deadline
  FROM cs_ticket_sla s WHERE t.id = s.ticket_id AND t.number LIKE %(prefix)s;
"""
SLA_CRON = "SELECT res_id FROM ir_model_data WHERE module = 'cs_helpdesk' AND name = 'ir_cron_cs_ticket_sla'"
# per generated ticket: its line processed?, still running?, "SLA failed" messages, activities
TICKET_FACTS = """
SELECT t.id, bool_or(s.status = 'failed' AND s.escalation_level = '3'), bool_or(s.status = 'running'),
       (SELECT count(*) FROM mail_message m JOIN ir_model_data d ON d.res_id = m.subtype_id
         WHERE m.model = 'cs.ticket' AND m.res_id = t.id
           AND d.module = 'cs_helpdesk' AND d.name = 'mt_ticket_sla_failed'),
       (SELECT count(*) FROM mail_activity a WHERE a.res_model = 'cs.ticket' AND a.res_id = t.id)
  FROM cs_ticket t JOIN cs_ticket_sla s ON s.ticket_id = t.id
 WHERE t.number LIKE %s
 GROUP BY t.id
"""


def seed_sla_backlog(db, lines, batch, pg=None, data_dir=csctl.DATA_DIR):
    """``lines`` due SLA lines on new tickets (bench_sla_cron's generator), the SLA cron in batches of ``batch``.

    Returns the LIKE pattern of the tickets' numbers.
    """
    pg = pg or server_pg()
    # the generator's users have fixed logins: those of an earlier backlog in this database step aside
    query(db, "UPDATE res_users SET login = login || '-' || id WHERE login ~ '^bench_(leader|agent)_[0-9]+$'", pg=pg)
    cmd = csctl.odoo_cmd(db, pg, "--no-http", "--max-cron-threads", "0", data_dir=data_dir)
    cmd.insert(3, "shell")  # python -m odoo shell <options>
    code = GENERATE.format(bench=str(ROOT / "bench"), lines=lines)
    done = subprocess.run(cmd, input=code, text=True, capture_output=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    prefix = f"SLA{lines}-%"  # the numbers bench_sla_cron.generate gives
    query(db, PAST_DEADLINES, {"prefix": prefix}, pg=pg)
    query(
        db,
        "UPDATE ir_act_server SET code = %s WHERE id = (SELECT ir_actions_server_id FROM ir_cron WHERE id = %s)",
        [f"model._cron_process_sla(batch_size={batch})", query(db, SLA_CRON, pg=pg)[0][0]],
        pg=pg,
    )
    return prefix


def sla_ticket_facts(db, prefix, pg=None):
    """(ticket id, processed, running, messages, activities) of each backlog ticket."""
    return query(db, TICKET_FACTS, [prefix], pg=pg)


_last_wake = [0.0]


def wake_cron_workers(pg=None, every=2.0):
    """What ``ir.cron._trigger`` does after its commit: cron workers sleep up to a minute otherwise.

    At most once per ``every`` seconds: the cron workers of every database on the server wake up.
    """
    if time.time() - _last_wake[0] >= every:
        _last_wake[0] = time.time()
        query("postgres", "SELECT pg_notify('cron_trigger', 'any')", pg=pg)


def wait_for(predicate, timeout, step=0.2, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
