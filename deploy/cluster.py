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

The pieces (``Layout`` and the functions taking one) are what the fault tests in tests/
and the load and fault runs in bench/load/ start their own small layouts with.
"""

import argparse
import dataclasses
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
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
# first port tried for each part (the next free one is taken)
PORTS = {"primary": 55532, "replica": 55533, "nginx": 18080, "http": 18169, "gevent": 18272}
# deploy/README.md's sizing: one prefork worker per 6 concurrent users of the back office
USERS_PER_WORKER = 6
# workers of a node started without a count: render_conf.py's for one CPU (2 x 1 + 1)
DEFAULT_WORKERS = 3
# CPU priority of the cron node (the systemd unit's Nice=): emails, SLA and QA checks wait for the HTTP workers
CRON_NICENESS = 10
say, run = csctl.say, csctl.run


class ClusterError(RuntimeError):
    pass


@dataclasses.dataclass
class Layout:
    """One deployment of this folder's layout on loopback: its files, database, ports and processes.

    ``folder`` holds the configurations, logs and (unless ``data_dir`` is given) the data_dir the
    nodes share; ``runtime`` the PostgreSQL data folders and nginx's runtime files, where the
    ``postgres`` and ``www-data`` users can enter (see ``runtime_dir``). ``pg`` is the primary
    (host, port) when it is not started by ``start_postgres``; ``replica`` False renders the
    nodes without a replica (read-only requests then use the primary). ``workers``: HTTP workers
    per node (None: DEFAULT_WORKERS, render_conf.py's count for one CPU).
    """

    folder: Path
    runtime: Path
    db: str
    data_dir: Path = None
    pg: tuple = None
    replica: bool = True
    nodes: tuple = HTTP_NODES
    workers: int = None
    ports: dict = dataclasses.field(default_factory=dict)
    pids: dict = dataclasses.field(default_factory=dict)
    state_file: Path = None

    def __post_init__(self):
        self.folder, self.runtime = Path(self.folder), Path(self.runtime)
        self.data_dir = Path(self.data_dir) if self.data_dir else self.folder / "data"
        for folder in (self.folder, self.logs, self.data_dir):
            folder.mkdir(parents=True, exist_ok=True)

    @property
    def logs(self):
        return self.folder / "logs"

    @property
    def primary(self):
        return self.pg or ("127.0.0.1", self.ports["primary"])

    @property
    def url(self):
        return f"http://127.0.0.1:{self.ports['nginx']}"

    def node_url(self, name):
        return f"http://127.0.0.1:{self.ports[f'{name}_http']}"

    def save(self):
        if self.state_file:
            state = {"ports": self.ports, "pids": self.pids, "workers": self.workers}
            self.state_file.write_text(json.dumps(state, indent=2))


def runtime_dir(name="cluster"):
    """Folder of a layout's PostgreSQL data and nginx runtime files (see the module's docstring)."""
    return csctl.pg_dir().parent / name


def cluster_layout():
    """The layout of `make cluster`, with the ports and pids it saved."""
    state = json.loads(STATE_FILE.read_text()) if STATE_FILE.exists() else {}
    return Layout(STATE, runtime_dir(), DB, state_file=STATE_FILE, **state)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except (OSError, TypeError):
        return False
    return True


def allocate_ports(layout, first=None):
    """Free loopback ports for every part, chosen once (``first``: the first port tried per kind)."""
    first = dict(PORTS, **(first or {}))
    wanted = {"nginx": first["nginx"]}
    if layout.pg is None:
        wanted |= {"primary": first["primary"], "replica": first["replica"]}
    for node in layout.nodes:
        wanted |= {f"{node}_http": first["http"], f"{node}_gevent": first["gevent"]}
    for name, start in wanted.items():
        if name not in layout.ports:
            port = start
            while not csctl.port_is_free(port) or port in layout.ports.values():
                port += 1
            layout.ports[name] = port
    layout.save()


# ------------------------------------------------------------------ PostgreSQL
def pg_folder(layout, name):
    folder = layout.runtime / name
    if os.geteuid() == 0:
        csctl.prepare_root_pg_folder(folder)
    else:  # PostgreSQL refuses a data folder others may enter (a umask of 002 gives 0775)
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
    return folder


def pg_running(data):
    status = run(csctl.as_postgres(["pg_ctl", "-D", data, "status"]), cwd="/", check=False, capture_output=True)
    return status.returncode == 0


def pg_start(layout, name, *settings):
    data = layout.runtime / name
    if pg_running(data):
        return
    sock_dir = pg_folder(layout, "run")
    options = " ".join([f"-p {layout.ports[name]} -k {sock_dir} -c listen_addresses=127.0.0.1", *settings])
    log = sock_dir / f"{name}.log"  # a folder the server's user may write
    command = ["pg_ctl", "-D", data, "-l", log, "-w", "-t", "120", "-o", options, "start"]
    csctl.pg_run(command, data.parent, f"pg_ctl start of the {name}", log=log)


def pg_ctl(layout, name, action):
    """``pg_ctl stop``/``restart`` of the primary or the replica (fast mode: sessions are cut).

    A restarted server logs to the file its start did (it would otherwise hold our output pipe open).
    """
    data = layout.runtime / name
    log = ["-l", layout.runtime / "run" / f"{name}.log"] if action == "restart" else []
    cmd = ["pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "120", *log, action]
    return run(csctl.as_postgres(cmd), cwd="/", check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# synchronous_commit=off: a loopback demo may lose its last transactions in a crash,
# never its consistency; wal_keep_size lets the replica catch up after a pause.
# max_connections: 2 nodes x 9 workers hold about 2 connections each to each server, and
# may open up to db_maxconn (8); a replica needs at least the primary's value.
PRIMARY_SETTINGS = (
    "-c wal_level=replica -c max_wal_senders=5 -c wal_keep_size=512MB -c synchronous_commit=off",
    "-c max_connections=200",
)
REPLICA_SETTINGS = ("-c hot_standby=on -c hot_standby_feedback=on -c max_connections=200",)


def start_postgres(layout):
    primary, replica = layout.runtime / "primary", layout.runtime / "replica"
    ports = layout.ports
    if not (primary / "PG_VERSION").exists():
        pg_folder(layout, "primary")
        say(f"creating the primary PostgreSQL cluster in {primary}")
        initdb = ["initdb", "-D", primary, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]
        csctl.pg_run(initdb, primary.parent, "initdb")
    pg_start(layout, "primary", *PRIMARY_SETTINGS)
    pg = layout.primary
    if not csctl.can_connect(*pg, csctl.DB_USER, csctl.DB_PASSWORD):
        sql = f"CREATE ROLE {csctl.DB_USER} LOGIN SUPERUSER PASSWORD '{csctl.DB_PASSWORD}'"
        run(["psql", "-h", pg[0], "-p", pg[1], "-U", "postgres", "-q", "-c", sql], cwd="/")
    if not (replica / "PG_VERSION").exists():
        shutil.rmtree(replica, ignore_errors=True)
        pg_folder(layout, "replica")
        say(f"creating the streaming replica in {replica} (pg_basebackup)")
        basebackup = ["pg_basebackup", "-h", pg[0], "-p", pg[1], "-U", "postgres", "-D", replica, "-R", "-X", "stream"]
        csctl.pg_run([*basebackup, "-c", "fast"], replica.parent, "pg_basebackup")
    pg_start(layout, "replica", *REPLICA_SETTINGS)
    say(f"PostgreSQL primary on 127.0.0.1:{ports['primary']}, replica on 127.0.0.1:{ports['replica']}")
    return pg


def stop_postgres(layout):
    for name in ("replica", "primary"):
        data = layout.runtime / name
        if (data / "PG_VERSION").exists() and pg_running(data):
            say(f"stopping PostgreSQL {name}")
            pg_ctl(layout, name, "stop")


def replica_caught_up(layout, timeout=60):
    """Wait until the replica has replayed everything the primary has written; True when it has."""
    with csctl.connect("postgres", layout.primary) as conn, conn.cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        target = cur.fetchone()[0]
    conn.close()
    deadline = time.time() + timeout
    while time.time() < deadline:
        with csctl.connect("postgres", ("127.0.0.1", layout.ports["replica"])) as conn, conn.cursor() as cur:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            done = cur.fetchone()[0]
        conn.close()
        if done:
            return True
        time.sleep(0.5)
    return False


# ------------------------------------------------------------------------ Odoo
def ensure_database(layout):
    modules = csctl.suite_addons()
    states = csctl.module_states(layout.db, layout.primary, modules)
    if all(states.get(m) == "installed" for m in modules):
        return
    say(f"installing {', '.join(modules)} with demo data in '{layout.db}' on the primary (a few minutes)")
    cmd = csctl.odoo_cmd(
        layout.db, layout.primary, "-i", ",".join(modules), "--load-language", "zh_CN,en_US", "--stop-after-init",
        "--logfile", layout.logs / "install.log", data_dir=layout.data_dir,
    )  # fmt: skip
    if run(cmd, check=False).returncode:
        raise ClusterError(f"installing the suite in '{layout.db}' failed: see {layout.logs / 'install.log'}")


def render_node(layout, name, role, *extra):
    ports = layout.ports
    host, port = layout.primary
    args = [
        "--role", role, "--output", layout.folder / f"{name}.conf",
        "--master-password-file", layout.folder / "master-password",
        "--addons-path", csctl.ROOT / "addons", "--data-dir", layout.data_dir,
        "--db-host", host, "--db-port", port,
        "--db-user", csctl.DB_USER, "--db-password", csctl.DB_PASSWORD, "--db-sslmode", "disable",
        "--db-name", layout.db, "--cpus", "1",  # the machine is shared: 3 workers per node
    ]  # fmt: skip
    if layout.replica:
        args += ["--replica-host", "127.0.0.1", "--replica-port", ports["replica"]]
    if role == "http":
        args += ["--http-port", ports[f"{name}_http"], "--gevent-port", ports[f"{name}_gevent"]]
        if layout.workers:
            args += ["--workers", layout.workers]
    render_conf.main([str(arg) for arg in [*args, *extra]])
    return layout.folder / f"{name}.conf"


def start_node(layout, name, role, *extra, wait=True):
    """Start an Odoo node (``extra``: more render_conf.py options); ``wait`` until it answers."""
    if pid_alive(layout.pids.get(name)):
        return
    conf = render_node(layout, name, role, *extra)
    log = layout.logs / f"{name}.log"
    command = [csctl.VENV_PYTHON, HERE / "odoo-server.py", "-c", conf, "--logfile", log]
    if role == "cron":  # as the systemd unit's Nice=: background jobs yield the CPU to people's clicks
        command = ["nice", "-n", str(CRON_NICENESS), *command]
    process = subprocess.Popen(
        command, start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT, cwd=csctl.ROOT,
    )  # fmt: skip
    layout.pids[name] = process.pid
    layout.save()
    if wait:
        wait_node(layout, name, role, process)


def wait_node(layout, name, role="http", process=None):
    log = layout.logs / f"{name}.log"
    pid = layout.pids[name]
    if role == "http":
        url = f"{layout.node_url(name)}/web/login"
        if not (csctl.wait_http(url, process) if process else wait_url(url, pid)):
            raise ClusterError(f"Odoo {name} did not answer on {url}: see {log}")
    else:
        time.sleep(5)
        if not pid_alive(pid) or (process and process.poll() is not None):
            raise ClusterError(f"the cron node stopped: see {log}")
    say(f"Odoo {name} ({role}) running, pid {pid}, log {log}")


class _Running:
    """What ``csctl.wait_http`` asks of the process it waits for, for a pid (None: no process to watch)."""

    def __init__(self, pid):
        self.pid = pid

    def poll(self):
        return None if self.pid is None or pid_alive(self.pid) else 1


def wait_url(url, pid=None, timeout=180):
    """Wait until ``url`` answers 200 (while the process ``pid``, when given, lives)."""
    return csctl.wait_http(url, _Running(pid), timeout)


def kill_node(layout, name, sig=signal.SIGKILL):
    """Send ``sig`` to every process of the node (its master, workers and gevent process)."""
    pid = layout.pids.get(name)
    if pid_alive(pid):
        os.killpg(pid, sig)
    if sig == signal.SIGKILL:
        reap(pid)


def reap(pid, timeout=10):
    """Wait for a node process to be gone (collecting it when this process started it: no zombie)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except (ChildProcessError, TypeError):
            if not pid_alive(pid):
                return
        time.sleep(0.1)


def stop_nodes(layout):
    for name, pid in layout.pids.items():
        if pid_alive(pid):
            say(f"stopping Odoo {name} (pid {pid})")
            os.killpg(pid, signal.SIGTERM)
    deadline = time.time() + 60
    while time.time() < deadline and any(pid_alive(pid) for pid in layout.pids.values()):
        for pid in layout.pids.values():
            reap(pid, timeout=0.5)
    for pid in layout.pids.values():
        if pid_alive(pid):
            os.killpg(pid, signal.SIGKILL)
            reap(pid)
    layout.pids.clear()
    layout.save()


# ----------------------------------------------------------------------- nginx
# the access log says which node served each request and how long it took
LOG_FORMAT = (
    "log_format cs_upstream '$remote_addr [$time_iso8601] \"$request\" $status $body_bytes_sent '\n"
    "        'upstream=$upstream_addr upstream_status=$upstream_status rt=$request_time "
    "urt=$upstream_response_time rid=$http_x_cs_request';\n"
)


def nginx_site(layout):
    """deploy/nginx/cs-suite.conf for loopback: plain HTTP, this layout's nodes, local paths."""
    ports, rt, logs = layout.ports, layout.runtime / "nginx", layout.logs
    site = (HERE / "nginx" / "cs-suite.conf").read_text(encoding="utf-8")
    site = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", site, flags=re.S)  # the redirect to HTTPS
    site = re.sub(r"^\s*(ssl_|add_header Strict|listen \[::\]).*\n", "", site, flags=re.M)
    site = re.sub(r"listen 443 ssl.*", f"listen 127.0.0.1:{ports['nginx']};", site)
    site = site.replace("server_name cs.example.com;", "server_name _;")
    for upstream, kind in (("cs_odoo", "http"), ("cs_odoo_gevent", "gevent")):
        servers = "".join(
            f"    server 127.0.0.1:{ports[f'{node}_{kind}']} max_fails=3 fail_timeout=10s;\n" for node in layout.nodes
        )
        site = re.sub(rf"(upstream {upstream} \{{\n)(?:    #? ?server .*\n)+", rf"\g<1>{servers}", site)
    site = site.replace("/var/cache/nginx/cs-suite", str(rt / "cache"))
    site = site.replace("/var/log/nginx/cs-suite.access.log", f"{logs / 'nginx-access.log'} cs_upstream")
    site = site.replace("/var/log/nginx/cs-suite.error.log", str(logs / "nginx-error.log"))
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {rt / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {rt / 'nginx.pid'};\nerror_log {logs / 'nginx-error.log'};\n"
        "events { worker_connections 1024; }\nhttp {\n    include /etc/nginx/mime.types;\n"
        f"    default_type application/octet-stream;\n    {LOG_FORMAT}{temp}{site}}}\n"
    )


def nginx_binary():
    """nginx on PATH, else where Debian puts it: /usr/sbin, which is not on a normal user's PATH."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


def ensure_nginx():
    """The nginx binary, installed first as root when missing."""
    nginx = nginx_binary()
    if not nginx and os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing nginx (apt-get install nginx)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "install", "-y", "-qq", "nginx"], check=False, env=env, stdout=subprocess.DEVNULL)
        nginx = nginx_binary()
    if not nginx:
        raise ClusterError("nginx is not installed (Debian: apt-get install nginx)")
    return nginx


def start_nginx(layout):
    nginx = ensure_nginx()
    rt = layout.runtime / "nginx"
    rt.mkdir(parents=True, exist_ok=True)
    conf = layout.folder / "nginx.conf"
    conf.write_text(nginx_site(layout))
    pid_file = rt / "nginx.pid"
    if pid_file.exists() and pid_alive(int(pid_file.read_text() or 0)):
        run([nginx, "-c", conf, "-p", rt, "-s", "reload"])
    else:
        test = run([nginx, "-t", "-q", "-c", conf, "-p", rt], check=False, capture_output=True, text=True)
        if test.returncode:
            raise ClusterError(f"nginx refuses {conf}:\n{test.stderr}")
        run([nginx, "-c", conf, "-p", rt])
    if not wait_url(f"{layout.url}/web/login", timeout=30):
        raise ClusterError(f"nginx does not answer on {layout.url}")
    say(f"nginx on 127.0.0.1:{layout.ports['nginx']} in front of {', '.join(layout.nodes)}")


def stop_nginx(layout):
    rt = layout.runtime / "nginx"
    try:
        pid = int((rt / "nginx.pid").read_text() or 0)
    except (FileNotFoundError, ValueError):  # not started, or removed by nginx as it exits
        return
    if pid and pid_alive(pid):
        say("stopping nginx")
        run([nginx_binary(), "-c", layout.folder / "nginx.conf", "-p", rt, "-s", "quit"], check=False)
        deadline = time.time() + 30
        while pid_alive(pid) and time.time() < deadline:
            time.sleep(0.2)


def stop_all(layout):
    """Stop whatever of the layout runs: nginx, the Odoo nodes, PostgreSQL."""
    stop_nginx(layout)
    stop_nodes(layout)
    stop_postgres(layout)


# --------------------------------------------------------------------- commands
def status(layout):
    ports = layout.ports
    if "primary" not in ports:
        say("no cluster was started from this checkout")
        return
    with csctl.connect("postgres", layout.primary) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
        streaming = cur.fetchone()[0]
    with csctl.connect("postgres", ("127.0.0.1", ports["replica"])) as conn, conn.cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        in_recovery = cur.fetchone()[0]
    say(f"primary 127.0.0.1:{ports['primary']}: {streaming} streaming replica(s)")
    say(f"replica 127.0.0.1:{ports['replica']}: {'hot standby' if in_recovery else 'NOT in recovery'}")
    for name, pid in layout.pids.items():
        say(f"Odoo {name}: {'running' if pid_alive(pid) else 'stopped'} (pid {pid})")
    say(f"open {layout.url}/web/login (database {layout.db}, demo logins as `make run` prints)")


def workers_for(users, nodes):
    """HTTP workers per node for ``users`` concurrent users (deploy/README.md), at least 3.

    Each node holds ``workers`` requests in progress and ``8 x workers`` waiting in its listen
    backlog; sized by the CPUs of this shared machine (3 per node) two nodes held 54, fewer
    than 100 users' clicks when the CPUs fall behind, and nginx's connections timed out.
    """
    return max(DEFAULT_WORKERS, math.ceil(users / USERS_PER_WORKER / nodes))


def cmd_start(args):
    csctl.ensure_odoo()
    csctl.LOCAL.mkdir(exist_ok=True)
    csctl.server_conf()  # .local/odoo.conf, used to install the suite
    layout = cluster_layout()
    running = [name for name, pid in layout.pids.items() if pid_alive(pid)]
    workers = workers_for(args.users, len(layout.nodes))
    if running and layout.workers != workers:
        kept = layout.workers or DEFAULT_WORKERS
        say(f"{', '.join(running)} keep their {kept} workers: `make cluster-stop` to resize them")
    else:
        layout.workers = workers
    first = {"primary": args.pg_port_base, "replica": args.pg_port_base + 1, "nginx": args.nginx_port}
    allocate_ports(layout, dict(first, http=args.http_port_base, gevent=args.gevent_port_base))
    start_postgres(layout)
    ensure_database(layout)
    for node in layout.nodes:
        start_node(layout, node, "http")
    start_node(layout, "cron", "cron")
    start_nginx(layout)
    status(layout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start")
    start.add_argument("--pg-port-base", type=int, default=PORTS["primary"], help="first port tried for PostgreSQL")
    start.add_argument("--http-port-base", type=int, default=PORTS["http"], help="first port tried for the nodes")
    start.add_argument("--gevent-port-base", type=int, default=PORTS["gevent"], help="first port tried for gevent")
    start.add_argument("--nginx-port", type=int, default=PORTS["nginx"], help="first port tried for nginx")
    start.add_argument(
        "--users", type=int, default=100, help="concurrent users to carry: sizes the workers (deploy/README.md)"
    )
    start.set_defaults(func=cmd_start)
    sub.add_parser("stop").set_defaults(func=lambda _args: stop_all(cluster_layout()))
    sub.add_parser("status").set_defaults(func=lambda _args: status(cluster_layout()))
    args = parser.parse_args()
    os.chdir(csctl.ROOT)
    if not csctl.in_venv():
        csctl.ensure_venv()
        os.execv(str(csctl.VENV_PYTHON), [str(csctl.VENV_PYTHON), __file__, *sys.argv[1:]])
    try:
        args.func(args)
    except ClusterError as error:
        csctl.die(str(error))


if __name__ == "__main__":
    main()
