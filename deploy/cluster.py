#!/usr/bin/env python3
"""The production layout of deploy/ on this machine, over loopback (`make cluster`, `make cluster-stop`).

    python3 deploy/cluster.py start     # primary + streaming replica, 2 HTTP nodes, 1 cron node, nginx
    python3 deploy/cluster.py status
    python3 deploy/cluster.py stop

* PostgreSQL primary and a hot-standby replica made with ``pg_basebackup -R`` (the
  machine's PostgreSQL binaries), each on a free loopback port.
* The database ``cs_cluster`` (the suite's addons with demo data, zh_CN) on the primary.
* Two Odoo nodes in prefork mode (configuration rendered by deploy/render_conf.py with
  the replica for read-only requests) sharing one filestore, and one cron-only node.
* nginx (Debian package; installed with apt-get when missing and run as root) with
  deploy/nginx/cs-suite.conf adapted to loopback: no TLS, both nodes in the upstreams.

Configurations, logs, pids and the shared filestore are in .local/cluster/. The
PostgreSQL data folders and nginx's temporary files are there too, except as root:
then they are where the `postgres` and `www-data` users can enter, beside the
checkout's development cluster (/var/tmp/cs-suite-<hash>/cluster, see scripts/csctl.py).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))
sys.path.insert(0, str(HERE))

import csctl  # noqa: E402
import render_conf  # noqa: E402

DB = "cs_cluster"
STATE = csctl.LOCAL / "cluster"
STATE_FILE = STATE / "state.json"
HTTP_NODES = ("node1", "node2")
say, die, run = csctl.say, csctl.die, csctl.run


def runtime_dir():
    """Folder of the PostgreSQL data and nginx runtime files (see the module's docstring)."""
    return csctl.pg_dir().parent / "cluster"


def load_state():
    return json.loads(STATE_FILE.read_text()) if STATE_FILE.exists() else {}


def save_state(state):
    STATE_FILE.write_text(json.dumps(state, indent=2))


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except (OSError, TypeError):
        return False
    return True


# ------------------------------------------------------------------ PostgreSQL
def pg_folder(name):
    folder = runtime_dir() / name
    if os.geteuid() == 0:
        csctl.prepare_root_pg_folder(folder)
    else:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def pg_running(data):
    status = run(csctl.as_postgres(["pg_ctl", "-D", data, "status"]), cwd="/", check=False, capture_output=True)
    return status.returncode == 0


def pg_start(data, port, sock_dir, *settings):
    if pg_running(data):
        return
    options = " ".join([f"-p {port} -k {sock_dir} -c listen_addresses=127.0.0.1", *settings])
    log = sock_dir / f"{data.name}.log"  # a folder the server's user may write
    csctl.pg_run(["pg_ctl", "-D", data, "-l", log, "-w", "-t", "120", "-o", options, "start"], data.parent, "pg_ctl")


def start_postgres(state):
    sock_dir = pg_folder("run")
    primary, replica = runtime_dir() / "primary", runtime_dir() / "replica"
    ports = state["ports"]
    if not (primary / "PG_VERSION").exists():
        pg_folder("primary")
        say(f"creating the primary PostgreSQL cluster in {primary}")
        initdb = ["initdb", "-D", primary, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]
        csctl.pg_run(initdb, primary.parent, "initdb")
    # synchronous_commit=off: a loopback demo may lose its last transactions in a crash,
    # never its consistency; wal_keep_size lets the replica catch up after a pause
    primary_settings = ("-c wal_level=replica -c max_wal_senders=5 -c wal_keep_size=512MB -c synchronous_commit=off",)
    pg_start(primary, ports["primary"], sock_dir, *primary_settings)
    pg = ("127.0.0.1", ports["primary"])
    if not csctl.can_connect(*pg, csctl.DB_USER, csctl.DB_PASSWORD):
        sql = f"CREATE ROLE {csctl.DB_USER} LOGIN SUPERUSER PASSWORD '{csctl.DB_PASSWORD}'"
        run(["psql", "-h", pg[0], "-p", pg[1], "-U", "postgres", "-q", "-c", sql], cwd="/")
    if not (replica / "PG_VERSION").exists():
        shutil.rmtree(replica, ignore_errors=True)
        pg_folder("replica")
        say(f"creating the streaming replica in {replica} (pg_basebackup)")
        basebackup = ["pg_basebackup", "-h", pg[0], "-p", pg[1], "-U", "postgres", "-D", replica, "-R", "-X", "stream"]
        csctl.pg_run([*basebackup, "-c", "fast"], replica.parent, "pg_basebackup")
    pg_start(replica, ports["replica"], sock_dir, "-c hot_standby=on -c hot_standby_feedback=on")
    say(f"PostgreSQL primary on 127.0.0.1:{ports['primary']}, replica on 127.0.0.1:{ports['replica']}")
    return pg


def stop_postgres():
    for name in ("replica", "primary"):
        data = runtime_dir() / name
        if (data / "PG_VERSION").exists() and pg_running(data):
            say(f"stopping PostgreSQL {name}")
            run(csctl.as_postgres(["pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]), cwd="/", check=False)


# ------------------------------------------------------------------------ Odoo
def ensure_database(pg):
    modules = csctl.suite_addons()
    states = csctl.module_states(DB, pg, modules)
    if all(states.get(m) == "installed" for m in modules):
        return
    say(f"installing {', '.join(modules)} with demo data in '{DB}' on the primary (a few minutes)")
    cmd = csctl.odoo_cmd(
        DB, pg, "-i", ",".join(modules), "--load-language", "zh_CN,en_US", "--stop-after-init",
        "--logfile", STATE / "logs" / "install.log", data_dir=STATE / "data",
    )  # fmt: skip
    if run(cmd, check=False).returncode:
        die(f"installing the suite in '{DB}' failed: see {STATE / 'logs' / 'install.log'}")


def render_node(name, role, state):
    ports = state["ports"]
    args = [
        "--role", role, "--output", STATE / f"{name}.conf",
        "--master-password-file", STATE / "master-password",
        "--addons-path", csctl.ROOT / "addons", "--data-dir", STATE / "data",
        "--db-host", "127.0.0.1", "--db-port", ports["primary"],
        "--replica-host", "127.0.0.1", "--replica-port", ports["replica"],
        "--db-user", csctl.DB_USER, "--db-password", csctl.DB_PASSWORD, "--db-sslmode", "disable",
        "--db-name", DB, "--cpus", "1",  # the machine is shared: 3 workers per node
    ]  # fmt: skip
    if role == "http":
        args += ["--http-port", ports[f"{name}_http"], "--gevent-port", ports[f"{name}_gevent"]]
    render_conf.main([str(arg) for arg in args])
    return STATE / f"{name}.conf"


def start_node(name, role, state):
    pids = state.setdefault("pids", {})
    if pid_alive(pids.get(name)):
        return
    conf = render_node(name, role, state)
    log = STATE / "logs" / f"{name}.log"
    process = subprocess.Popen(
        [csctl.VENV_PYTHON, HERE / "odoo-server.py", "-c", conf, "--logfile", log],
        start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        cwd=csctl.ROOT,
    )  # fmt: skip
    pids[name] = process.pid
    save_state(state)
    if role == "http":
        url = f"http://127.0.0.1:{state['ports'][f'{name}_http']}/web/login"
        if not csctl.wait_http(url, process):
            die(f"Odoo {name} did not answer on {url}: see {log}")
    else:
        time.sleep(5)
        if process.poll() is not None:
            die(f"the cron node stopped: see {log}")
    say(f"Odoo {name} ({role}) running, pid {process.pid}, log {log}")


def stop_nodes(state):
    for name, pid in state.get("pids", {}).items():
        if pid_alive(pid):
            say(f"stopping Odoo {name} (pid {pid})")
            os.killpg(pid, signal.SIGTERM)
    deadline = time.time() + 60
    while time.time() < deadline and any(pid_alive(pid) for pid in state.get("pids", {}).values()):
        time.sleep(1)
    for pid in state.get("pids", {}).values():
        if pid_alive(pid):
            os.killpg(pid, signal.SIGKILL)
    state["pids"] = {}


# ----------------------------------------------------------------------- nginx
def nginx_site(state):
    """deploy/nginx/cs-suite.conf for loopback: plain HTTP, this cluster's nodes, local paths."""
    ports, rt, logs = state["ports"], runtime_dir() / "nginx", STATE / "logs"
    site = (HERE / "nginx" / "cs-suite.conf").read_text(encoding="utf-8")
    site = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", site, flags=re.S)  # the redirect to HTTPS
    site = re.sub(r"^\s*(ssl_|add_header Strict|listen \[::\]).*\n", "", site, flags=re.M)
    site = re.sub(r"listen 443 ssl.*", f"listen 127.0.0.1:{ports['nginx']};", site)
    site = site.replace("server_name cs.example.com;", "server_name _;")
    for upstream, kind in (("cs_odoo", "http"), ("cs_odoo_gevent", "gevent")):
        servers = "".join(
            f"    server 127.0.0.1:{ports[f'{node}_{kind}']} max_fails=3 fail_timeout=10s;\n" for node in HTTP_NODES
        )
        site = re.sub(rf"(upstream {upstream} \{{\n)(?:    #? ?server .*\n)+", rf"\g<1>{servers}", site)
    site = site.replace("/var/cache/nginx/cs-suite", str(rt / "cache"))
    site = site.replace("/var/log/nginx/cs-suite.access.log", str(logs / "nginx-access.log"))
    site = site.replace("/var/log/nginx/cs-suite.error.log", str(logs / "nginx-error.log"))
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {rt / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {rt / 'nginx.pid'};\nerror_log {logs / 'nginx-error.log'};\n"
        "events { worker_connections 1024; }\nhttp {\n    include /etc/nginx/mime.types;\n"
        f"    default_type application/octet-stream;\n{temp}{site}}}\n"
    )


def start_nginx(state):
    if not shutil.which("nginx"):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            say("installing nginx (apt-get install nginx)")
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            run(["apt-get", "install", "-y", "-qq", "nginx"], check=False, env=env, stdout=subprocess.DEVNULL)
        if not shutil.which("nginx"):
            die("nginx is not installed (Debian: apt-get install nginx)")
    rt = runtime_dir() / "nginx"
    rt.mkdir(parents=True, exist_ok=True)
    conf = STATE / "nginx.conf"
    conf.write_text(nginx_site(state))
    pid_file = rt / "nginx.pid"
    if pid_file.exists() and pid_alive(int(pid_file.read_text() or 0)):
        run(["nginx", "-c", conf, "-p", rt, "-s", "reload"])
    else:
        test = run(["nginx", "-t", "-q", "-c", conf, "-p", rt], check=False, capture_output=True, text=True)
        if test.returncode:
            die(f"nginx refuses {conf}:\n{test.stderr}")
        run(["nginx", "-c", conf, "-p", rt])
    url = f"http://127.0.0.1:{state['ports']['nginx']}/web/login"
    for _attempt in range(20):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(1)
    else:
        die(f"nginx does not answer on {url}")
    say(f"nginx on 127.0.0.1:{state['ports']['nginx']} in front of {', '.join(HTTP_NODES)}")


def stop_nginx():
    rt = runtime_dir() / "nginx"
    pid_file = rt / "nginx.pid"
    if pid_file.exists() and pid_alive(int(pid_file.read_text() or 0)):
        say("stopping nginx")
        run(["nginx", "-c", STATE / "nginx.conf", "-p", rt, "-s", "quit"], check=False)


# --------------------------------------------------------------------- commands
def allocate_ports(ports):
    """Free loopback ports for every part, chosen once and kept in state.json."""
    wanted = {"primary": 55532, "replica": 55533, "nginx": 18080}
    for node in HTTP_NODES:
        wanted |= {f"{node}_http": 18169, f"{node}_gevent": 18272}
    for name, start in wanted.items():
        if name not in ports:
            port = start
            while not csctl.port_is_free(port) or port in ports.values():
                port += 1
            ports[name] = port


def status(state):
    ports = state.get("ports", {})
    if "primary" not in ports:
        say("no cluster was started from this checkout")
        return
    with csctl.connect("postgres", ("127.0.0.1", ports["primary"])) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
        streaming = cur.fetchone()[0]
    with csctl.connect("postgres", ("127.0.0.1", ports["replica"])) as conn, conn.cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        in_recovery = cur.fetchone()[0]
    say(f"primary 127.0.0.1:{ports['primary']}: {streaming} streaming replica(s)")
    say(f"replica 127.0.0.1:{ports['replica']}: {'hot standby' if in_recovery else 'NOT in recovery'}")
    for name, pid in state.get("pids", {}).items():
        say(f"Odoo {name}: {'running' if pid_alive(pid) else 'stopped'} (pid {pid})")
    say(f"open http://127.0.0.1:{ports['nginx']}/web/login (database {DB}, demo logins as `make run` prints)")


def cmd_start(_args):
    csctl.ensure_odoo()
    for folder in (csctl.LOCAL, STATE, STATE / "logs", STATE / "data"):
        folder.mkdir(exist_ok=True)
    csctl.server_conf()  # .local/odoo.conf, used to install the suite
    state = load_state()
    allocate_ports(state.setdefault("ports", {}))
    save_state(state)
    pg = start_postgres(state)
    ensure_database(pg)
    for node in HTTP_NODES:
        start_node(node, "http", state)
    start_node("cron", "cron", state)
    start_nginx(state)
    save_state(state)
    status(state)


def cmd_stop(_args):
    state = load_state()
    stop_nginx()
    stop_nodes(state)
    save_state(state)
    stop_postgres()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("start").set_defaults(func=cmd_start)
    sub.add_parser("stop").set_defaults(func=cmd_stop)
    sub.add_parser("status").set_defaults(func=lambda _args: status(load_state()))
    args = parser.parse_args()
    os.chdir(csctl.ROOT)
    if not csctl.in_venv():
        csctl.ensure_venv()
        os.execv(str(csctl.VENV_PYTHON), [str(csctl.VENV_PYTHON), __file__, *sys.argv[1:]])
    args.func(args)


if __name__ == "__main__":
    main()
