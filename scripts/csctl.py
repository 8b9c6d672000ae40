#!/usr/bin/env python3
"""Set up, run and test the 客服中心 / Customer Service suite.

    python3 scripts/csctl.py run     # set everything up, serve the demo database
    python3 scripts/csctl.py test    # throwaway database, Odoo tests, pytest, lint
    python3 scripts/csctl.py lint    # ruff + pylint-odoo only
    python3 scripts/csctl.py stop    # stop the project-local PostgreSQL cluster

Only the standard library is used before the requirements are installed.
Everything this script creates lives in ``.local/`` (ignored by git).
"""

import argparse
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
PG_DIR = LOCAL / "pg"
LOG_DIR = LOCAL / "logs"
MODULES = ["cs_helpdesk", "cs_aftersales", "cs_billing", "cs_quality", "cs_training"]
DEMO_DB = "cs_demo"
DB_USER = os.environ.get("CS_DB_USER", "odoo")
DB_PASSWORD = os.environ.get("CS_DB_PASSWORD", "odoo")
DEMO_LOGINS = [
    ("admin", "admin", "Administrator / 管理员"),
    ("cs_manager", "cs_manager", "Manager / 客服经理"),
    ("cs_leader", "cs_leader", "Team leader / 组长"),
    ("cs_agent", "cs_agent", "Agent / 客服专员"),
    ("cs_analyst", "cs_analyst", "Data analyst / 数据分析师"),
]
# Where setup looks for the official release when Odoo is not importable.
ODOO_RELEASE_URL = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"


def say(msg):
    print(f"[csctl] {msg}", flush=True)


def die(msg):
    print(f"[csctl] ERROR: {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], check=kw.pop("check", True), **kw)


# ---------------------------------------------------------------- Python side
def ensure_requirements():
    req = ROOT / "requirements.txt"
    digest = hashlib.sha256(req.read_bytes()).hexdigest()
    stamp = LOCAL / "requirements.sha256"
    if stamp.exists() and stamp.read_text().strip() == digest:
        return
    say("installing the pinned Python requirements (requirements.txt)")
    done = run([sys.executable, "-m", "pip", "install", "-q", "--root-user-action=ignore", "-r", req], check=False)
    if done.returncode:
        die(
            "pip could not install requirements.txt. psycopg2 builds from source: "
            "it needs a C compiler and libpq headers (Debian: apt-get install "
            "build-essential libpq-dev python3-dev)."
        )
    stamp.write_text(digest)


def odoo_version():
    probe = run(
        [sys.executable, "-c", "import odoo.release as r; print(r.version_info[0])"],
        check=False,
        capture_output=True,
        text=True,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def ensure_odoo():
    version = odoo_version()
    if version == "18":
        return
    if version:
        die(f"Odoo {version} is importable but this suite needs Odoo 18.0.")
    source = os.environ.get("ODOO_SRC")
    target = ["-e", source] if source else [ODOO_RELEASE_URL]
    say(f"Odoo is not importable: installing Odoo 18.0 from {source or ODOO_RELEASE_URL}")
    run([sys.executable, "-m", "pip", "install", "-q", *target], check=False)
    if odoo_version() != "18":
        die(
            "Odoo 18.0 is not importable and could not be installed.\n"
            "  Provide an Odoo 18.0 Community source tree and run again with\n"
            "  ODOO_SRC=/path/to/odoo-18.0 (the folder holding setup.py and odoo/),\n"
            "  or install it yourself: pip install -e /path/to/odoo-18.0\n"
            f"  (the official release is {ODOO_RELEASE_URL})."
        )


def ensure_chromium():
    if shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing Chromium for the browser tours (apt-get install chromium)")
        run(["apt-get", "update", "-qq"], check=False, stdout=subprocess.DEVNULL)
        run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, stdout=subprocess.DEVNULL)
    if not shutil.which("chromium"):
        say("WARNING: Chromium is missing: browser tours will be counted as skipped.")


# ----------------------------------------------------------------- PostgreSQL
def can_connect(host, port, user, password, dbname="postgres"):
    try:
        import psycopg2
    except ImportError:
        return False
    try:
        psycopg2.connect(host=host, port=port, user=user, password=password, dbname=dbname, connect_timeout=3).close()
        return True
    except psycopg2.Error:
        return False


def free_port(start):
    for port in range(start, start + 200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    die(f"no free TCP port from {start}")


def as_postgres(cmd):
    """PostgreSQL refuses to run as root: drop to the 'postgres' OS user."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def start_local_cluster():
    data = PG_DIR / "data"
    sock_dir = PG_DIR / "run"
    port_file = PG_DIR / "port"
    if not shutil.which("initdb") or not shutil.which("pg_ctl"):
        die(
            "no PostgreSQL server is reachable and initdb/pg_ctl are not on PATH.\n"
            "  Install PostgreSQL 13+ (Debian: apt-get install postgresql) or point\n"
            "  PGHOST/PGPORT/CS_DB_USER/CS_DB_PASSWORD at a running server."
        )
    PG_DIR.mkdir(parents=True, exist_ok=True)
    sock_dir.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        run(["chown", "-R", "postgres:postgres", PG_DIR])
    if not (data / "PG_VERSION").exists():
        say(f"creating a project-local PostgreSQL cluster in {data}")
        run(
            as_postgres(["initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]),
            stdout=subprocess.DEVNULL,
        )
    port = int(port_file.read_text()) if port_file.exists() else free_port(55432)
    status = run(as_postgres(["pg_ctl", "-D", data, "status"]), check=False, capture_output=True)
    if status.returncode != 0:
        if can_connect("127.0.0.1", port, "postgres", None):  # port taken by another server
            port = free_port(port + 1)
        say(f"starting the project-local PostgreSQL on 127.0.0.1:{port}")
        # fsync=off: a disposable development cluster, speed matters more than crash safety.
        options = f"-p {port} -k {sock_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(
            as_postgres(["pg_ctl", "-D", data, "-l", PG_DIR / "postgres.log", "-w", "-o", options, "start"]),
            stdout=subprocess.DEVNULL,
        )
    port_file.write_text(str(port))
    if not can_connect("127.0.0.1", port, DB_USER, DB_PASSWORD):
        sql = f"CREATE ROLE {DB_USER} LOGIN SUPERUSER PASSWORD '{DB_PASSWORD}'"
        run(["psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-q", "-c", sql])
    return "127.0.0.1", port


def ensure_postgres():
    """Use a reachable server (PGHOST/PGPORT or localhost:5432), else the local cluster."""
    if (PG_DIR / "data" / "PG_VERSION").exists():
        return start_local_cluster()
    host = os.environ.get("PGHOST", "127.0.0.1")
    port = int(os.environ.get("PGPORT", "5432"))
    if can_connect(host, port, DB_USER, DB_PASSWORD):
        say(f"using the PostgreSQL server at {host}:{port} as {DB_USER}")
        return host, port
    return start_local_cluster()


def stop_local_cluster():
    data = PG_DIR / "data"
    if (data / "PG_VERSION").exists():
        run(as_postgres(["pg_ctl", "-D", data, "-m", "fast", "stop"]), check=False)


# ----------------------------------------------------------------------- Odoo
def odoo_cmd(db, pg, *extra):
    host, port = pg
    cmd = [
        sys.executable, "-m", "odoo",
        "-c", ROOT / "odoo.conf",
        "--addons-path", ROOT / "addons",
        "--data-dir", LOCAL / "data",
        "--db_host", host, "--db_port", port,
        "-r", DB_USER, "-w", DB_PASSWORD,
        "-d", db, "--db-filter", f"^{db}$",
        *extra,
    ]  # fmt: skip
    return [str(part) for part in cmd]


def module_states(db, pg):
    import psycopg2

    host, port = pg
    if not can_connect(host, port, DB_USER, DB_PASSWORD, db):
        return {}
    with psycopg2.connect(host=host, port=port, user=DB_USER, password=DB_PASSWORD, dbname=db) as cr:
        cur = cr.cursor()
        cur.execute("SELECT to_regclass('ir_module_module')")
        if cur.fetchone()[0] is None:
            return {}
        cur.execute("SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", (MODULES,))
        return dict(cur.fetchall())


def drop_db(db, pg):
    host, port = pg
    env = dict(os.environ, PGPASSWORD=DB_PASSWORD)
    run(
        ["dropdb", "--if-exists", "-f", "-h", host, "-p", port, "-U", DB_USER, db],
        check=False, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_http(url, proc, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            time.sleep(1)
    return False


def setup():
    LOCAL.mkdir(exist_ok=True)
    LOG_DIR.mkdir(exist_ok=True)
    ensure_requirements()
    ensure_odoo()
    return ensure_postgres()


def cmd_run(args):
    pg = setup()
    states = module_states(DEMO_DB, pg)
    if any(states.get(m) != "installed" for m in MODULES):
        say(f"creating the demo database '{DEMO_DB}' (five addons, demo data, zh_CN); takes a few minutes")
        run(
            odoo_cmd(
                DEMO_DB, pg, "-i", ",".join(MODULES), "--load-language", "zh_CN,en_US",
                "--stop-after-init", "--logfile", LOG_DIR / "demo-install.log",
            )
        )  # fmt: skip
    elif args.update:
        run(odoo_cmd(DEMO_DB, pg, "-u", ",".join(MODULES), "--stop-after-init"))
    say(f"Customer Service suite: http://localhost:{args.port}/web/login (database {DEMO_DB})")
    for login, password, role in DEMO_LOGINS:
        say(f"  {role:<28} login {login:<11} password {password}")
    os.execvp(sys.executable, odoo_cmd(DEMO_DB, pg, "--http-port", args.port))


# ---------------------------------------------------------------------- tests
RESULT_RE = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests")
SKIP_RE = re.compile(r" INFO \S+ odoo\.addons\.\S+: skipped ")


def odoo_test_counts(log_text):
    results = RESULT_RE.findall(log_text)
    if not results:
        return None
    failed, errors, total = (int(x) for x in results[-1])
    skipped = len(SKIP_RE.findall(log_text))
    return total - failed - errors - skipped, failed + errors, skipped


def pytest_counts(junit):
    import xml.etree.ElementTree as ET

    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total, failed, errors, skipped = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
    return total - failed - errors - skipped, failed + errors, skipped


def lint():
    """ruff and pylint-odoo over the addons; returns True when clean."""
    ok = run([sys.executable, "-m", "ruff", "check", "addons", "tests", "bench", "scripts"], cwd=ROOT, check=False)
    fmt = run([sys.executable, "-m", "ruff", "format", "--check", "-q", "addons", "tests", "bench", "scripts"],
              cwd=ROOT, check=False)  # fmt: skip
    addons = sorted(str(p.parent) for p in (ROOT / "addons").glob("*/__manifest__.py"))
    pyl = run(
        [sys.executable, "-m", "pylint", "--rcfile", ROOT / ".pylintrc", *addons],
        cwd=ROOT, check=False, env=dict(os.environ, PYTHONPATH=str(ROOT / "addons")),
    )  # fmt: skip
    return not (ok.returncode or fmt.returncode or pyl.returncode)


def cmd_lint(_args):
    sys.exit(0 if lint() else 1)


def cmd_test(args):
    pg = setup()
    ensure_chromium()
    passed = failed = skipped = 0
    lint_ok = lint()
    say(f"lint: {'clean' if lint_ok else 'FAILED'}")
    passed, failed = (1, 0) if lint_ok else (0, 1)

    db = f"cs_test_{os.getpid()}"
    modules = args.modules or ",".join(MODULES)
    tags = args.tags or ",".join(f"/{m}" for m in MODULES)
    log = LOG_DIR / "test-odoo.log"
    say(f"installing {modules} in throwaway database {db} and running Odoo tests ({tags})")
    drop_db(db, pg)
    log.unlink(missing_ok=True)  # Odoo appends to its log file: read this run only
    run(
        odoo_cmd(
            db, pg, "-i", modules, "--test-tags", tags,
            "--stop-after-init", "--log-level", "test", "--http-port", free_port(18069),
            "--max-cron-threads", "0", "--logfile", log,
        ),
        check=False,
    )  # fmt: skip
    text = log.read_text(errors="replace")
    counts = odoo_test_counts(text)
    if counts is None:
        say(f"Odoo's test run printed no result line: see {log}")
        failed += 1
    else:
        say(f"Odoo tests: {counts[0]} passed, {counts[1]} failed, {counts[2]} skipped")
        for line in text.splitlines():
            if " ERROR " in line or " FAIL: " in line or " CRITICAL " in line:
                print("   ", line[:300])
        passed, failed, skipped = passed + counts[0], failed + counts[1], skipped + counts[2]

    if not args.no_pytest and counts is not None:
        p, f, s = run_pytest(db, pg, log)
        passed, failed, skipped = passed + p, failed + f, skipped + s
    if not args.keep_db:
        drop_db(db, pg)
    summary = f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")
    print(summary, flush=True)
    sys.exit(1 if failed else 0)


def run_pytest(db, pg, install_log):
    port = free_port(28069)
    server_log = LOG_DIR / "test-server.log"
    server_log.unlink(missing_ok=True)
    server = subprocess.Popen(
        odoo_cmd(db, pg, "--http-port", port, "--max-cron-threads", "0", "--logfile", server_log),
        start_new_session=True,
    )
    junit = LOG_DIR / "pytest.xml"
    junit.unlink(missing_ok=True)
    try:
        if not wait_http(f"http://127.0.0.1:{port}/web/login", server):
            say(f"the test server did not answer: see {server_log}")
            return 0, 1, 0
        env = dict(
            os.environ, CS_URL=f"http://127.0.0.1:{port}", CS_DB=db, CS_INSTALL_LOG=str(install_log),
            CS_MODULES=",".join(MODULES),
        )  # fmt: skip
        run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml", junit, ROOT / "tests"],
            cwd=ROOT, env=env, check=False,
        )  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    if not junit.exists():
        return 0, 1, 0
    return pytest_counts(junit)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="set up and serve the demo database")
    p_run.add_argument("--port", type=int, default=8069)
    p_run.add_argument("--update", action="store_true", help="upgrade the five addons first")
    p_run.set_defaults(func=cmd_run)
    p_test = sub.add_parser("test", help="run every test; last line 'N passed, N failed'")
    p_test.add_argument("--modules", help="comma-separated addons to install (default: all five)")
    p_test.add_argument("--tags", help="Odoo --test-tags (default: the five addons)")
    p_test.add_argument("--no-pytest", action="store_true", help="skip the suite-level pytest run")
    p_test.add_argument("--keep-db", action="store_true", help="keep the throwaway database")
    p_test.set_defaults(func=cmd_test)
    sub.add_parser("lint", help="ruff + pylint-odoo").set_defaults(func=cmd_lint)
    sub.add_parser("stop", help="stop the local PostgreSQL").set_defaults(func=lambda a: stop_local_cluster())
    args = parser.parse_args()
    os.chdir(ROOT)
    args.func(args)


if __name__ == "__main__":
    main()
