#!/usr/bin/env python3
"""Load run on `make cluster`: Locust's working day (locustfile.py), optional faults, counts, table, plot.

    make cluster
    .local/venv/bin/python bench/load/run_load.py --users 100 --minutes 5
    .local/venv/bin/python bench/load/run_load.py --users 100 --minutes 3 --fault node-kill --fault-at 60
    .local/venv/bin/python bench/load/run_load.py --users 100 --minutes 3 --fault pg-restart --fault-at 60

Locust runs from its own environment ``.local/load-venv`` (bench/load/requirements.txt): it
needs newer gevent and requests than the versions Odoo 18 is pinned to in requirements.txt,
so it cannot share the project's environment. The accounts the users log in with (agents,
leaders, portal customers, each with their tickets or leads) are created once through
JSON-RPC as admin; the web form's per-hour limit is switched off in that database (all
simulated customers come from 127.0.0.1).

Faults: ``node-kill`` SIGKILLs every process of node1 at ``--fault-at`` seconds (nginx must
carry on with node2; requests in flight to node1 are the only ones allowed to fail), and
starts it again 30 s later. ``pg-restart`` restarts the primary (fast mode) at that moment
while the cron node works off a backlog of due SLA lines seeded before the run (batches of
200): the nodes must reconnect by themselves and every line must be processed once.

Afterwards: every web-form submission and gateway email must be exactly one ticket; the
table (p50/p95 per action, failures), the targets and a latency-over-time plot are written
to .local/load/<name>/ (report.md, latency.png).
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "tests"))

import cluster  # noqa: E402
import layouts  # noqa: E402

csctl = cluster.csctl
LOAD_VENV = csctl.LOCAL / "load-venv"
OUT_BASE = csctl.LOCAL / "load"
MIX = {"ticket_agents": 40, "lead_agents": 20, "leaders": 10, "customers": 25}  # per 100 users, + 5 gateways
SLA_BACKLOG = 6000


def say(msg):
    print(f"[load] {msg}", flush=True)


def ensure_load_venv():
    stamp = LOAD_VENV / "requirements.txt"
    wanted = (HERE / "requirements.txt").read_text()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    say(f"creating {LOAD_VENV} with bench/load/requirements.txt (Locust, matplotlib)")
    subprocess.run([sys.executable, "-m", "venv", "--clear", LOAD_VENV], check=True)
    pip = [LOAD_VENV / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", HERE / "requirements.txt"], check=True)
    stamp.write_text(wanted)


class Admin:
    def __init__(self, url, db):
        self.url, self.db = url, db
        self.uid = layouts.jsonrpc(url, "common", "login", db, "admin", "admin")

    def __call__(self, model, method, *args, **kwargs):
        return layouts.jsonrpc(
            self.url, "object", "execute_kw", self.db, self.uid, "admin", model, method, list(args), kwargs,
            timeout=600,
        )  # fmt: skip

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"])
        return rows[0]["res_id"]


def users(admin, prefix, count, groups, share=False):
    """``count`` users ``<prefix>NN`` (password = login), created once; returns their accounts."""
    logins = [f"{prefix}{index:02d}" for index in range(count)]
    existing = {u["login"]: u["id"] for u in admin("res.users", "search_read", [("login", "in", logins)], ["login"])}
    missing = [login for login in logins if login not in existing]
    if missing:
        say(f"creating {len(missing)} users {prefix}*")
        ids = admin(
            "res.users", "create",
            [{"name": login, "login": login, "password": login, "email": f"{login}@example.com",
              "groups_id": [(6, 0, groups)]} for login in missing],
            context={"no_reset_password": True, "mail_create_nolog": True},
        )  # fmt: skip
        existing.update(zip(missing, ids, strict=True))
    return [{"login": login, "password": login, "id": existing[login]} for login in logins]


def records_for(admin, model, field, accounts, per_account, values):
    """Give each account ``per_account`` records of ``model`` (``field`` = the account's user or partner)."""
    for account in accounts:
        key = account["partner_id"] if field == "partner_id" else account["id"]
        ids = admin(model, "search", [(field, "=", key)], limit=per_account)
        missing = per_account - len(ids)
        if missing > 0:
            ids += admin(model, "create", [dict(values(index), **{field: key}) for index in range(missing)])
        account["records"] = ids


def prepare(layout, run_tag, scale):
    admin = Admin(layout.url, layout.db)
    counts = {kind: max(1, round(share * scale / 100)) for kind, share in MIX.items()}
    employee = admin.ref("base.group_user")
    agents = users(admin, "load_agent", counts["ticket_agents"], [employee, admin.ref("cs_helpdesk.group_agent")])
    sales = admin.ref("sales_team.group_sale_salesman")
    lead_agents = users(admin, "load_sales", counts["lead_agents"], [employee, sales])
    leaders = users(admin, "load_leader", counts["leaders"], [employee, admin.ref("cs_helpdesk.group_leader")])
    customers = users(admin, "load_customer", counts["customers"], [admin.ref("base.group_portal")])
    for account in customers:
        account["partner_id"] = admin("res.users", "read", [account["id"]], ["partner_id"])[0]["partner_id"][0]
    team = admin("cs.ticket.team", "search", [], limit=1)[0]
    stage = admin.ref("cs_helpdesk.stage_in_progress")
    records_for(
        admin, "cs.ticket", "user_id", agents, 10,
        lambda index: {
            "name": f"压测工单 {index}", "team_id": team, "stage_id": stage, "description": "<p>查件</p>",
            "email_from": f"load.customer{index}@example.com",
        },
    )  # fmt: skip
    lead_stages = admin("crm.stage", "search", [("is_won", "=", False)], limit=3)
    records_for(
        admin, "crm.lead", "user_id", lead_agents, 10,
        lambda index: {"name": f"压测商机 {index}", "type": "opportunity", "stage_id": lead_stages[0]},
    )  # fmt: skip
    records_for(
        admin, "cs.ticket", "partner_id", customers, 3, lambda index: {"name": f"我的工单 {index}", "team_id": team}
    )
    for account in customers:
        account["tickets"] = account.pop("records")
    admin("ir.config_parameter", "set_param", "cs_helpdesk.web_form_rate_limit", "0")
    accounts = {
        "db": layout.db,
        "run": run_tag,
        "ticket_agents": agents,
        "lead_agents": lead_agents,
        "leaders": leaders,
        "customers": customers,
        "ticket_stages": [admin.ref(f"cs_helpdesk.stage_{name}") for name in ("in_progress", "waiting")],
        "lead_stages": lead_stages[1:] or lead_stages,
        "web_form_teams": admin("cs.ticket.team", "search", [("web_form_published", "=", True)]),
        "gateway": {"uid": admin.uid, "password": "admin"},
    }
    return accounts


# ------------------------------------------------------------------ faults
def sla_facts(layout, prefix):
    rows = layouts.sla_ticket_facts(layout.db, prefix, pg=layout.primary)
    done = [row for row in rows if row[1]]
    return len(rows), len(done), {row[3:5] for row in done}


def inject(fault, at, layout, events):
    time.sleep(at)
    events.append((time.time(), f"{fault} start"))
    if fault == "node-kill":
        say("fault: SIGKILL node1")
        cluster.kill_node(layout, "node1")
        events.append((time.time(), "node1 killed"))
        time.sleep(30)
        layout.pids.pop("node1", None)
        cluster.start_node(layout, "node1", "http")
        events.append((time.time(), "node1 back"))
    elif fault == "pg-restart":
        say("fault: restarting the PostgreSQL primary")
        started = time.time()
        done = cluster.pg_ctl(layout, "primary", "restart")
        events.append((time.time(), f"primary restarted in {time.time() - started:.1f} s (rc {done.returncode})"))
        layouts.wake_cron_workers(layout.primary, every=0)


def listen_overflows():
    """Connections the kernel refused because a listen backlog was full (this host, since boot)."""
    lines = Path("/proc/net/netstat").read_text().splitlines()
    for head, values in zip(lines[::2], lines[1::2], strict=True):
        if head.startswith("TcpExt:"):
            return dict(zip(head.split()[1:], map(int, values.split()[1:]), strict=True)).get("ListenOverflows", 0)
    return 0


def accept_queues(ports):
    """Connections waiting in each node's listen backlog (``ss``: Recv-Q of a listening socket)."""
    listing = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=False).stdout
    queued = {}
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[3].rsplit(":", 1)[-1] in ports:
            queued[fields[3].rsplit(":", 1)[-1]] = int(fields[1])
    return [queued.get(port, 0) for port in ports]


def watch_machine(layout, samples, stop):
    """Every 5 s: the load average (the machine is shared) and the nodes' waiting connections."""
    ports = [str(layout.ports[f"{node}_http"]) for node in layout.nodes]
    while not stop.wait(5):
        samples.append((time.time(), os.getloadavg()[0], accept_queues(ports)))


def wake_cron(layout, stop):
    """The cron node sleeps up to a minute between polls: wake it as a trigger's commit does."""
    while not stop.wait(5):
        try:
            layouts.wake_cron_workers(layout.primary, every=0)
        except Exception:  # the primary may be restarting
            pass


# ------------------------------------------------------------------ counts
def count_tokens(layout, out):
    """Tickets per web-form/gateway subject: one for each answered submission, none twice."""
    with open(out / "tokens.csv", encoding="utf-8") as handle:
        sent = [(row[1], row[2] == "1") for row in csv.reader(handle)]
    found = dict(
        layouts.query(
            layout.db, "SELECT name, count(*) FROM cs_ticket WHERE name = ANY(%s) GROUP BY name",
            [[subject for subject, _answered in sent]], pg=layout.primary,
        )
    )  # fmt: skip
    answered = [found.get(subject, 0) for subject, ok in sent if ok]
    unanswered = [found.get(subject, 0) for subject, ok in sent if not ok]
    return {
        "answered": len(answered),
        "answered_exactly_one": answered.count(1),
        "unanswered": len(unanswered),
        "unanswered_with_ticket": sum(1 for count in unanswered if count),
        "more_than_one": sum(1 for count in answered + unanswered if count > 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument(
        "--spawn-rate", type=float, default=1, help="users started per second (each log in costs ~1 s of CPU)"
    )
    parser.add_argument("--fault", choices=("node-kill", "pg-restart"))
    parser.add_argument("--fault-at", type=float, default=60, help="seconds after the start")
    parser.add_argument("--sla-lines", type=int, default=SLA_BACKLOG, help="SLA backlog of the pg-restart fault")
    parser.add_argument("--name", help="results folder under .local/load/ (default: the fault or 'load')")
    args = parser.parse_args()

    layout = cluster.cluster_layout()
    if not layout.ports.get("nginx") or not cluster.wait_url(f"{layout.url}/web/login", timeout=10):
        sys.exit("the cluster does not answer: run `make cluster` first")
    ensure_load_venv()
    name = args.name or args.fault or "load"
    out = OUT_BASE / name
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("requests.csv", "tokens.csv"):
        (out / stale).unlink(missing_ok=True)
    (out / "tokens.csv").touch()
    run_tag = f"{name}{int(time.time())}"
    say(f"preparing accounts for {args.users} users in '{layout.db}'")
    accounts = prepare(layout, run_tag, args.users)
    (out / "accounts.json").write_text(json.dumps(accounts))
    sla_prefix = None
    if args.fault == "pg-restart":
        say(f"seeding {args.sla_lines} due SLA lines for the cron node")
        sla_prefix = layouts.seed_sla_backlog(layout.db, args.sla_lines, 200, layout.primary, layout.data_dir)

    node_logs = [layout.logs / f"{node}.log" for node in layout.nodes]
    log_sizes = {log: log.stat().st_size if log.exists() else 0 for log in node_logs}
    events, samples, stop = [], [], threading.Event()
    overflows = listen_overflows()
    started = time.time()
    threads = [
        threading.Thread(target=wake_cron, args=(layout, stop), daemon=True),
        threading.Thread(target=watch_machine, args=(layout, samples, stop), daemon=True),
    ]
    if args.fault:
        threads.append(threading.Thread(target=inject, args=(args.fault, args.fault_at, layout, events)))
    for thread in threads:
        thread.start()
    say(f"Locust: {args.users} users for {args.minutes} min against {layout.url}")
    locust = [
        LOAD_VENV / "bin" / "locust", "-f", HERE / "locustfile.py", "--headless", "--only-summary",
        "-u", args.users, "-r", args.spawn_rate, "-t", f"{int(args.minutes * 60)}s", "--host", layout.url,
        "--stop-timeout", "30",
    ]  # fmt: skip
    env = dict(os.environ, CS_LOAD_ACCOUNTS=str(out / "accounts.json"), CS_LOAD_OUT=str(out))
    with open(out / "locust.log", "w") as log:
        subprocess.run([str(part) for part in locust], env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    for thread in threads[2:]:
        thread.join()
    facts = {"started": started, "events": events, "users": args.users, "minutes": args.minutes}
    facts["machine"] = {
        "cpus": os.cpu_count(),
        "workers_per_node": layout.workers or cluster.DEFAULT_WORKERS,
        "load_samples": [(stamp, load) for stamp, load, _queues in samples],
        "accept_queue_max": max((max(queues) for *_rest, queues in samples), default=0),
        "listen_overflows": listen_overflows() - overflows,
    }
    # concurrent updates of one row that PostgreSQL refused and Odoo retried (invisible to the user)
    facts["serialization_retries"] = sum(
        log.read_bytes()[log_sizes[log] :].count(b"could not serialize access") for log in node_logs if log.exists()
    )
    if sla_prefix:
        deadline = time.time() + 300
        while True:
            total, done, per_line = sla_facts(layout, sla_prefix)
            if done == total or time.time() > deadline:
                break
            time.sleep(5)
        facts["sla"] = {"lines": total, "processed": done, "per_line": sorted(per_line)}
    stop.set()
    facts["tokens"] = count_tokens(layout, out)
    (out / "facts.json").write_text(json.dumps(facts))
    say("writing the report")
    subprocess.run([LOAD_VENV / "bin" / "python", HERE / "report.py", out], check=True)
    print((out / "report.md").read_text())


if __name__ == "__main__":
    main()
