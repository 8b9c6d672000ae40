#!/usr/bin/env python3
"""Set up, run and test the 客服中心 / Customer Service suite.

    python3 scripts/csctl.py run       # set everything up, serve the demo database
    python3 scripts/csctl.py test      # throwaway database, Odoo tests, pytest, lint
    python3 scripts/csctl.py lint      # ruff + pylint-odoo only
    python3 scripts/csctl.py backup    # pg_dump + filestore tarball into .local/backups/
    python3 scripts/csctl.py restore   # the latest backup into a new database
    python3 scripts/csctl.py stop      # stop the project-local PostgreSQL cluster
    python3 scripts/csctl.py venv      # only create/refresh the virtual environment

Whatever interpreter starts this script, it creates the project's virtual environment
``.local/venv`` (with the system site-packages, so an Odoo installed on the machine is
found), installs what requirements.txt asks and the environment lacks, and re-runs
itself with that interpreter. Only the standard library is used before that.
Everything this script creates lives in ``.local/`` (ignored by git), except the
PostgreSQL cluster of a checkout run as root (see ``pg_dir``).

Environment: PGHOST/PGPORT (a running server to use), CS_DB_USER/CS_DB_PASSWORD,
ODOO_SRC (an Odoo 18 source tree to install when none is importable), CS_PG_BASE
(instead of /var/tmp), CS_NO_VENV=1 (use the interpreter that runs this script as is).
"""

import argparse
import ast
import configparser
import hashlib
import io
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
VENV = LOCAL / "venv"
VENV_PYTHON = VENV / "bin" / "python"
LOG_DIR = LOCAL / "logs"
DATA_DIR = LOCAL / "data"
BACKUP_DIR = LOCAL / "backups"
SHIPPED_CONF = ROOT / "odoo.conf"
SERVER_CONF = LOCAL / "odoo.conf"
MASTER_PASSWORD_FILE = LOCAL / "master-password"
DEMO_DB = "cs_demo"
# The demo company is the seeds' Chinese e-commerce company: its country decides the localisation Odoo
# installs with Accounting (l10n_cn, the Chinese chart of accounts and VAT) and its currency (CNY).
DEMO_COUNTRY = "CN"
# OCA addons the suite extends: their own tests must still pass with the suite installed.
EXTRA_TEST_TAGS = "/rma,/rma_sale,/rma_repair,/account_credit_control"
DB_USER = os.environ.get("CS_DB_USER", "odoo")
DB_PASSWORD = os.environ.get("CS_DB_PASSWORD", "odoo")
# Where setup looks for the official release when Odoo is not importable.
ODOO_RELEASE_URL = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"


def say(msg):
    print(f"[csctl] {msg}", flush=True)


def die(msg):
    print(f"[csctl] ERROR: {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], check=kw.pop("check", True), **kw)


def write_private(path, text):
    """Write a file only its owner can read (mode 0600, also when it already existed)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(text)


# ------------------------------------------------------------------ the suite
def suite_addons(addons_dir=ROOT / "addons"):
    """Every installable addon of this repository, read from the manifests."""
    names = []
    for manifest in sorted(Path(addons_dir).glob("*/__manifest__.py")):
        if ast.literal_eval(manifest.read_text(encoding="utf-8")).get("installable", True):
            names.append(manifest.parent.name)
    return names


def demo_logins(addons_dir=ROOT / "addons"):
    """(login, password, name) of the demo users the addons' demo data create, admin first."""
    import xml.etree.ElementTree as ET

    logins = [("admin", "admin", "Administrator")]
    for path in sorted(Path(addons_dir).glob("*/demo/*.xml")):
        for record in ET.parse(path).getroot().iter("record"):
            if record.get("model") != "res.users":
                continue
            values = {field.get("name"): (field.text or "").strip() for field in record.iter("field")}
            if values.get("login") and values.get("password"):
                logins.append((values["login"], values["password"], values.get("name", "")))
    return logins


# ---------------------------------------------------------------- Python side
def in_venv():
    return Path(sys.prefix).resolve() == VENV.resolve()


def venv_works():
    return VENV_PYTHON.exists() and run([VENV_PYTHON, "-c", "pass"], check=False).returncode == 0


def ensure_venv():
    """Create .local/venv (seeing the system site-packages) and install what requirements.txt lacks."""
    LOCAL.mkdir(exist_ok=True)
    if not venv_works():
        say(f"creating the project virtual environment {VENV} (with the system site-packages)")
        shutil.rmtree(VENV, ignore_errors=True)
        made = run([sys.executable, "-m", "venv", "--system-site-packages", VENV], check=False)
        if made.returncode or not venv_works():
            die(
                f"could not create a virtual environment with {sys.executable}.\n"
                "  Debian/Ubuntu: apt-get install python3-venv (then run again)."
            )
    req = ROOT / "requirements.txt"
    digest = hashlib.sha256(req.read_bytes() + str(VENV_PYTHON.resolve()).encode()).hexdigest()
    stamp = VENV / "requirements.sha256"
    if stamp.exists() and stamp.read_text().strip() == digest:
        return
    install_odoo(VENV_PYTHON)
    # pip leaves alone what the environment (system site-packages included) already satisfies,
    # and installs what is missing or pinned differently into the venv, never into the system.
    say("installing what the virtual environment lacks from requirements.txt")
    if pip_install(VENV_PYTHON, "-r", req):
        die(
            "pip could not install requirements.txt into .local/venv. psycopg2 builds from "
            "source: it needs a C compiler and libpq headers (Debian: apt-get install "
            "build-essential libpq-dev python3-dev)."
        )
    stamp.write_text(digest)


def pip_install(python, *args):
    """``pip install`` into the environment of ``python``, quietly; its exit code."""
    env = dict(os.environ, PIP_ROOT_USER_ACTION="ignore")
    command = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *args]
    return run(command, check=False, env=env).returncode


def use_venv():
    """Re-run this command with the venv's interpreter (unless it is the one running)."""
    if in_venv() or os.environ.get("CS_NO_VENV"):
        return
    ensure_venv()
    script = str(Path(__file__).resolve())
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), script, *sys.argv[1:]])


def odoo_version(python=sys.executable):
    probe = run(
        [python, "-c", "import odoo.release as r; print(r.version_info[0])"],
        check=False,
        capture_output=True,
        text=True,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


ODOO_MISSING = (
    "Odoo 18.0 is not importable and could not be installed.\n"
    "  Provide an Odoo 18.0 Community source tree and run again with\n"
    "  ODOO_SRC=/path/to/odoo-18.0 (the folder holding setup.py and odoo/),\n"
    "  or install it yourself: pip install -e /path/to/odoo-18.0\n"
    f"  (the official release is {ODOO_RELEASE_URL})."
)


def install_odoo(python):
    """Install Odoo 18.0 into the venv from ODOO_SRC or the official release, when it is not importable.

    Without its dependencies: Odoo's setup.py leaves them unpinned (a new lxml no longer has
    ``lxml.html.clean``); requirements.txt, installed next, pins them for Python 3.11. Before
    requirements.txt, whose OCA addons require the ``odoo`` distribution.
    """
    if odoo_18_importable(python):
        return
    source = os.environ.get("ODOO_SRC")
    if source and not os.access(source, os.W_OK):
        die(
            f"ODOO_SRC={source} is not writable by you, and pip installs a source tree in place\n"
            "  (it writes odoo.egg-info there). Copy it to a folder of yours and run again, e.g.\n"
            f"  cp -r {source} ~/odoo-18.0 && ODOO_SRC=~/odoo-18.0 make run"
        )
    target = ["-e", source] if source else [ODOO_RELEASE_URL]
    say(f"Odoo is not importable: installing Odoo 18.0 from {source or ODOO_RELEASE_URL} into .local/venv")
    if pip_install(python, "--no-deps", *target):
        die(ODOO_MISSING)


def odoo_18_importable(python=sys.executable):
    """Whether ``python`` imports Odoo 18.0; stops when it imports another version."""
    version = odoo_version(python)
    if version and version != "18":
        die(f"Odoo {version} is importable but this suite needs Odoo 18.0.")
    return version == "18"


def ensure_odoo():
    if not odoo_18_importable():
        die(ODOO_MISSING)


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


PG_HELP = (
    "Either point PGHOST/PGPORT (and CS_DB_USER/CS_DB_PASSWORD) at a running PostgreSQL 13+ "
    "server where that role may create databases, or fix the problem above and run again."
)


def pg_dir():
    """Folder of the project-local PostgreSQL cluster.

    Not root: ``.local/pg``, and the server runs as the invoking user. Root: PostgreSQL refuses
    to run as root and runs as the ``postgres`` OS user, which cannot enter a checkout in a
    private folder (root's home, mode 0700), so the cluster goes to a folder of its own under
    /var/tmp named after a hash of the checkout path (CS_PG_BASE overrides /var/tmp). A cluster
    already initialised in ``.local/pg`` (older checkouts) stays where it is.
    """
    legacy = LOCAL / "pg"
    if os.geteuid() != 0 or (legacy / "data" / "PG_VERSION").exists():
        return legacy
    tag = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    return Path(os.environ.get("CS_PG_BASE", "/var/tmp")) / f"cs-suite-{tag}" / "pg"


def as_postgres(cmd):
    """PostgreSQL refuses to run as root: drop to the 'postgres' OS user."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def pg_run(cmd, pg, what, log=None):
    """Run a PostgreSQL tool from a folder its user can enter; stop with its message when it fails.

    ``log``: the server log of a ``pg_ctl start``, whose last lines say why the server did not start (its
    folder may be removed right after, as the fault tests' are).
    """
    done = run(as_postgres(cmd), cwd=pg, check=False, capture_output=True, text=True)
    if done.returncode:
        output = (done.stderr or done.stdout).strip().splitlines()[-6:]
        if log and Path(log).is_file():
            output += [f"{log}:", *Path(log).read_text(errors="replace").strip().splitlines()[-8:]]
        die(f"{what} failed in {pg}:\n    " + "\n    ".join(output) + f"\n  {PG_HELP}")
    return done


def prepare_root_pg_folder(pg):
    """As root: a folder only root may change, that the postgres user can enter."""
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        die(f"PostgreSQL refuses to run as root and there is no 'postgres' OS user to run it.\n  {PG_HELP}")
    if not shutil.which("runuser"):
        die(f"running as root needs `runuser` (util-linux) to start PostgreSQL as 'postgres'.\n  {PG_HELP}")
    base = pg.parent
    if base != LOCAL:  # a folder of its own in a world-writable place: root's alone
        base.mkdir(mode=0o755, parents=True, exist_ok=True)
        info = base.stat()
        if info.st_uid != 0 or info.st_mode & 0o022:
            die(f"{base} exists but is not a folder only root may write: remove it and run again.\n  {PG_HELP}")
        os.chmod(base, 0o755)
        (base / "checkout").write_text(f"{ROOT}\n")
    pg.mkdir(parents=True, exist_ok=True)
    run(["chown", "-R", "postgres:postgres", pg])
    os.chmod(pg, 0o700)
    if run(as_postgres(["test", "-w", pg]), cwd="/", check=False).returncode:
        die(f"the 'postgres' OS user cannot write {pg}.\n  {PG_HELP}")


def start_local_cluster():
    """Start (after creating it if needed) the project-local cluster; returns (host, port, started)."""
    pg = pg_dir()
    data, sock_dir, port_file = pg / "data", pg / "run", pg / "port"
    missing = [tool for tool in ("initdb", "pg_ctl", "psql") if not shutil.which(tool)]
    if missing:
        die(
            f"no PostgreSQL server is reachable and {', '.join(missing)} not on PATH.\n"
            "  Install PostgreSQL 13+ (Debian: apt-get install postgresql) or point\n"
            "  PGHOST/PGPORT/CS_DB_USER/CS_DB_PASSWORD at a running server."
        )
    if os.geteuid() == 0:
        prepare_root_pg_folder(pg)
    else:
        pg.mkdir(parents=True, exist_ok=True)
    sock_dir.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        run(["chown", "postgres:postgres", sock_dir])
    if not (data / "PG_VERSION").exists():
        say(f"creating a project-local PostgreSQL cluster in {data}")
        initdb = ["initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]
        pg_run(initdb, pg, "initdb")
    port = int(port_file.read_text()) if port_file.exists() else free_port(55432)
    started = False
    if run(as_postgres(["pg_ctl", "-D", data, "status"]), cwd=pg, check=False, capture_output=True).returncode:
        if not port_is_free(port):
            port = free_port(port + 1)  # taken by another server since last time
        say(f"starting the project-local PostgreSQL on 127.0.0.1:{port} ({data})")
        # fsync=off: a disposable development cluster, speed matters more than crash safety.
        options = f"-p {port} -k {sock_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = pg / "postgres.log"
        pg_run(["pg_ctl", "-D", data, "-l", log, "-w", "-o", options, "start"], pg, "pg_ctl start", log=log)
        started = True
    port_file.write_text(str(port))
    if not can_connect("127.0.0.1", port, DB_USER, DB_PASSWORD):
        sql = f"CREATE ROLE {DB_USER} LOGIN SUPERUSER PASSWORD '{DB_PASSWORD}'"
        run(["psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-q", "-c", sql], cwd="/")
    return "127.0.0.1", port, started


def port_is_free(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def ensure_postgres():
    """(host, port, started): the local cluster if there is one, else a reachable server, else a new cluster."""
    if (pg_dir() / "data" / "PG_VERSION").exists():
        return start_local_cluster()
    host = os.environ.get("PGHOST", "127.0.0.1")
    port = int(os.environ.get("PGPORT", "5432"))
    if can_connect(host, port, DB_USER, DB_PASSWORD):
        say(f"using the PostgreSQL server at {host}:{port} as {DB_USER}")
        return host, port, False
    return start_local_cluster()


def stop_local_cluster(remove=False):
    pg = pg_dir()
    if (pg / "data" / "PG_VERSION").exists():
        say(f"stopping the project-local PostgreSQL ({pg / 'data'})")
        run(as_postgres(["pg_ctl", "-D", pg / "data", "-m", "fast", "-w", "stop"]), cwd=pg, check=False,
            stdout=subprocess.DEVNULL)  # fmt: skip
        if remove:
            shutil.rmtree(pg.parent if pg.parent.name.startswith("cs-suite-") else pg, ignore_errors=True)


# ----------------------------------------------------------------------- Odoo
def server_conf():
    """Write .local/odoo.conf: the shipped odoo.conf plus this checkout's master password.

    The shipped file leaves the master password empty (database manager refused). The
    generated one, readable by its owner only, carries the hash of a random password
    kept in .local/master-password (created once, mode 0600).
    """
    from passlib.context import CryptContext

    if not MASTER_PASSWORD_FILE.exists():
        write_private(MASTER_PASSWORD_FILE, secrets.token_urlsafe(24) + "\n")
    password = MASTER_PASSWORD_FILE.read_text().strip()
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(SHIPPED_CONF, encoding="utf-8")
    parser["options"]["admin_passwd"] = CryptContext(["pbkdf2_sha512"]).hash(password)
    text = io.StringIO()
    text.write("; Generated by scripts/csctl.py from odoo.conf: edit that file, not this one.\n")
    parser.write(text)
    write_private(SERVER_CONF, text.getvalue())
    return SERVER_CONF


def odoo_cmd(db, pg, *extra, data_dir=DATA_DIR):
    host, port = pg[:2]
    cmd = [
        sys.executable, "-m", "odoo",
        "-c", SERVER_CONF,
        "--addons-path", ROOT / "addons",
        "--data-dir", data_dir,
        "--db_host", host, "--db_port", port,
        "-r", DB_USER, "-w", DB_PASSWORD,
        "-d", db, "--db-filter", f"^{db}$",
        *extra,
    ]  # fmt: skip
    return [str(part) for part in cmd]


def connect(db, pg):
    import psycopg2

    return psycopg2.connect(host=pg[0], port=pg[1], user=DB_USER, password=DB_PASSWORD, dbname=db)


def module_states(db, pg, modules):
    if not can_connect(pg[0], pg[1], DB_USER, DB_PASSWORD, db):
        return {}
    with connect(db, pg) as conn, conn.cursor() as cur:
        cur.execute("SELECT to_regclass('ir_module_module')")
        if cur.fetchone()[0] is None:
            return {}
        cur.execute("SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", (modules,))
        return dict(cur.fetchall())


def pg_env():
    return dict(os.environ, PGPASSWORD=DB_PASSWORD)


def drop_db(db, pg):
    run(
        ["dropdb", "--if-exists", "-f", "-h", pg[0], "-p", pg[1], "-U", DB_USER, db],
        check=False, env=pg_env(), stderr=subprocess.DEVNULL,
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
    ensure_odoo()
    pg = ensure_postgres()
    server_conf()
    return pg


# What Odoo's database manager does with its "country" field, done before the suite installs so that
# Accounting picks the company's localisation and every amount of the demo is in the company's currency.
SET_COMPANY_COUNTRY = """
country = env["res.country"].search([("code", "=", {country!r})], limit=1)
company = env.ref("base.main_company")
company.partner_id.state_id = False
company.write({{"country_id": country.id, "currency_id": country.currency_id.id}})
env.cr.commit()
"""


def create_demo_db(db, pg, modules, country=DEMO_COUNTRY):
    log = ["--stop-after-init", "--logfile", LOG_DIR / "demo-install.log"]
    run(odoo_cmd(db, pg, "-i", "base", "--load-language", "zh_CN,en_US", *log))
    shell = odoo_cmd(db, pg, "--no-http", "--logfile", LOG_DIR / "demo-install.log")
    shell.insert(shell.index("odoo") + 1, "shell")
    run(shell, input=SET_COMPANY_COUNTRY.format(country=country), text=True)
    # Accounting alone first: the company's chart of accounts is loaded when a registry finishes loading,
    # and the suite's demo needs its journals
    run(odoo_cmd(db, pg, "-i", "account", *log))
    run(odoo_cmd(db, pg, "-i", ",".join(modules), *log))


def cmd_run(args):
    pg = setup()
    db, modules = args.db, suite_addons()
    states = module_states(db, pg, modules)
    if any(states.get(m) != "installed" for m in modules):
        say(f"creating the demo database '{db}' ({', '.join(modules)}, demo data, zh_CN); takes a few minutes")
        create_demo_db(db, pg, modules)
    elif args.update:
        run(odoo_cmd(db, pg, "-u", ",".join(modules), "--stop-after-init"))
    say(f"Customer Service suite: http://localhost:{args.port}/web/login (database {db})")
    for login, password, name in demo_logins():
        say(f"  login {login:<11} password {password:<11} {name}")
    say(f"Database manager master password: in {MASTER_PASSWORD_FILE} (the manager is off: list_db = False)")
    os.execvp(sys.executable, odoo_cmd(db, pg, "--http-port", args.port))


# ------------------------------------------------------------ backup/restore
def backup(db, pg, target_dir=BACKUP_DIR):
    """pg_dump (custom format) + filestore tarball; returns the dump path."""
    if not can_connect(pg[0], pg[1], DB_USER, DB_PASSWORD, db):
        die(f"database '{db}' does not exist on {pg[0]}:{pg[1]}")
    target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stem = target_dir / f"{db}-{datetime.now():%Y%m%d-%H%M%S}"
    dump = stem.with_name(stem.name + ".dump")
    # the dump first, then the files: a file written in between only adds an unreferenced blob
    run(["pg_dump", "-Fc", "-h", pg[0], "-p", pg[1], "-U", DB_USER, "-f", dump, db], env=pg_env())
    tarball = stem.with_name(stem.name + ".filestore.tar.gz")
    with tarfile.open(tarball, "w:gz") as archive:
        filestore = DATA_DIR / "filestore" / db
        if filestore.is_dir():
            archive.add(filestore, arcname=".")
    os.chmod(dump, 0o600)
    os.chmod(tarball, 0o600)
    return dump


def restore(dump, new_db, pg):
    """Restore a backup made by `backup` into a new database (never over an existing one)."""
    dump = Path(dump)
    tarball = dump.with_name(dump.name.removesuffix(".dump") + ".filestore.tar.gz")
    if not dump.exists() or not tarball.exists():
        die(f"{dump} and {tarball.name} beside it are needed")
    if can_connect(pg[0], pg[1], DB_USER, DB_PASSWORD, new_db):
        die(f"database '{new_db}' exists already: restore creates a new database")
    filestore = DATA_DIR / "filestore" / new_db
    if filestore.exists():
        die(f"{filestore} exists already: remove it or pick another database name")
    with tarfile.open(tarball) as archive:  # checked before anything is created
        if unsafe := outside_members(archive, filestore):
            die(f"{tarball} holds entries that are not files or folders inside a filestore: {unsafe[:3]}")
    base = ["-h", pg[0], "-p", pg[1], "-U", DB_USER]
    run(["createdb", *base, "-T", "template0", "-E", "UTF8", new_db], env=pg_env())
    done = run(["pg_restore", *base, "--no-owner", "-d", new_db, dump], env=pg_env(), check=False)
    if done.returncode:
        drop_db(new_db, pg)
        die(f"pg_restore of {dump} failed: database '{new_db}' dropped again")
    filestore.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        # the standard extraction filter where Python has it (3.11.4+), on top of the check above
        archive.extractall(filestore, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))


def outside_members(archive, folder):
    """Names of a tarball's entries that are not plain files or folders below ``folder`` once extracted."""
    inside = folder.resolve()
    return [
        member.name
        for member in archive.getmembers()
        if not (member.isfile() or member.isdir()) or not (inside / member.name).resolve().is_relative_to(inside)
    ]


def latest_backup(db):
    dumps = sorted(BACKUP_DIR.glob(f"{db}-*.dump"))
    if not dumps:
        die(f"no backup of '{db}' in {BACKUP_DIR}: run `make backup` first")
    return dumps[-1]


def cmd_backup(args):
    pg = setup()
    dump = backup(args.db, pg)
    say(f"backup of '{args.db}': {dump} and {dump.name.removesuffix('.dump')}.filestore.tar.gz")


def cmd_rebuild_rollups(args):
    """Rebuild every report rollup of the database from scratch (after a bulk load or a time zone change)."""
    pg = setup()
    cmd = odoo_cmd(args.db, pg, "--no-http", "--max-cron-threads", "0")
    cmd.insert(3, "shell")  # python -m odoo shell <options>
    code = 'env["cs.report.mixin"]._rollup_rebuild()\nenv.cr.commit()\n'
    started = time.time()
    run(cmd, input=code, text=True, stdout=subprocess.DEVNULL)
    say(f"report rollups of '{args.db}' rebuilt in {time.time() - started:.0f} s")


def cmd_restore(args):
    pg = setup()
    dump = Path(args.dump) if args.dump else latest_backup(args.db)
    new_db = args.to or f"{args.db}_restored_{datetime.now():%Y%m%d_%H%M%S}"
    restore(dump, new_db, pg)
    say(f"restored {dump.name} into the new database '{new_db}'")
    say(f"serve it with: python3 scripts/csctl.py run --db {new_db}")


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


def ruff_bin():
    """ruff's binary: `python -m ruff` in a venv looks only in the venv, not where the system has it."""
    for prefix in (sys.prefix, sys.base_prefix):
        candidate = Path(prefix) / "bin" / "ruff"
        if candidate.exists():
            return candidate
    return shutil.which("ruff") or die("ruff is not installed (it is in requirements.txt)")


def lint():
    """ruff, pylint-odoo and the README.rst check over the addons; returns True when clean."""
    paths = ["addons", "tests", "bench", "scripts"] + (["deploy"] if (ROOT / "deploy").is_dir() else [])
    ruff = ruff_bin()
    ok = run([ruff, "check", *paths], cwd=ROOT, check=False)
    fmt = run([ruff, "format", "--check", "-q", *paths], cwd=ROOT, check=False)
    addons = sorted(str(p.parent) for p in (ROOT / "addons").glob("*/__manifest__.py"))
    pyl = run(
        [sys.executable, "-m", "pylint", "--rcfile", ROOT / ".pylintrc", *addons],
        cwd=ROOT, check=False, env=dict(os.environ, PYTHONPATH=str(ROOT / "addons")),
    )  # fmt: skip
    # each addon's README.rst: generated from readme/*.md and renderable by Odoo (a docutils error fails the install)
    readme = run([sys.executable, ROOT / "scripts" / "gen_readme.py", "--check"], cwd=ROOT, check=False)
    return not (ok.returncode or fmt.returncode or pyl.returncode or readme.returncode)


def cmd_lint(_args):
    sys.exit(0 if lint() else 1)


def cmd_test(args):
    pg = setup()
    try:
        passed, failed, skipped = run_tests(args, pg)
    finally:
        if pg[2]:  # this run started the cluster: leave the machine as it was
            stop_local_cluster(remove=bool(os.environ.get("CI")) and not args.keep_db)
    # the summary is the last line of the output
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""), flush=True)
    sys.exit(1 if failed else 0)


def run_tests(args, pg):
    ensure_chromium()
    lint_ok = lint()
    say(f"lint: {'clean' if lint_ok else 'FAILED'}")
    passed, failed, skipped = (1, 0, 0) if lint_ok else (0, 1, 0)

    db = f"cs_test_{os.getpid()}"
    modules = args.modules or ",".join(suite_addons())
    tags = args.tags or ",".join([*(f"/{m}" for m in modules.split(",")), EXTRA_TEST_TAGS])
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
        p, f, s = run_pytest(db, pg, log, modules)
        passed, failed, skipped = passed + p, failed + f, skipped + s
    if not args.keep_db:
        drop_db(db, pg)
    return passed, failed, skipped


def run_pytest(db, pg, install_log, modules):
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
            CS_MODULES=modules, CS_PGHOST=str(pg[0]), CS_PGPORT=str(pg[1]),
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
    p_run.add_argument("--db", default=DEMO_DB, help=f"database to serve (default {DEMO_DB})")
    p_run.add_argument("--update", action="store_true", help="upgrade the suite's addons first")
    p_run.set_defaults(func=cmd_run)
    p_test = sub.add_parser("test", help="run every test; last line 'N passed, N failed'")
    p_test.add_argument("--modules", help="comma-separated addons to install (default: every addon in addons/)")
    p_test.add_argument("--tags", help="Odoo --test-tags (default: the installed addons)")
    p_test.add_argument("--no-pytest", action="store_true", help="skip the suite-level pytest run")
    p_test.add_argument("--keep-db", action="store_true", help="keep the throwaway database")
    p_test.set_defaults(func=cmd_test)
    p_backup = sub.add_parser("backup", help="pg_dump + filestore tarball into .local/backups/")
    p_backup.add_argument("--db", default=DEMO_DB)
    p_backup.set_defaults(func=cmd_backup)
    p_restore = sub.add_parser("restore", help="restore a backup into a new database")
    p_restore.add_argument("--db", default=DEMO_DB, help="whose latest backup to restore")
    p_restore.add_argument("--dump", help="a .dump file made by backup (default: the latest of --db)")
    p_restore.add_argument("--to", help="new database name (default <db>_restored_<time>)")
    p_restore.set_defaults(func=cmd_restore)
    p_rollups = sub.add_parser("rebuild-rollups", help="rebuild the report rollups of a database from scratch")
    p_rollups.add_argument("--db", default=DEMO_DB)
    p_rollups.set_defaults(func=cmd_rebuild_rollups)
    sub.add_parser("lint", help="ruff + pylint-odoo").set_defaults(func=cmd_lint)
    sub.add_parser("stop", help="stop the local PostgreSQL").set_defaults(func=lambda a: stop_local_cluster())
    sub.add_parser("venv", help="create/refresh .local/venv only").set_defaults(func=lambda a: ensure_venv())
    args = parser.parse_args()
    os.chdir(ROOT)
    if args.command not in ("venv", "stop"):
        use_venv()
    args.func(args)


if __name__ == "__main__":
    main()
