"""Setup as a new user meets it (scripts/csctl.py's choices, without starting anything) and the
production layout of deploy/ (rendered node settings, the nginx site)."""

import configparser
import importlib.util
import io
import os
import re
import stat
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def csctl():
    return _load("csctl", ROOT / "scripts" / "csctl.py")


@pytest.fixture(scope="module")
def render_conf():
    return _load("render_conf", ROOT / "deploy" / "render_conf.py")


@pytest.fixture
def checkout(csctl, tmp_path, monkeypatch):
    """Point csctl's .local/ at an empty temporary folder."""
    local = tmp_path / ".local"
    local.mkdir()
    monkeypatch.setattr(csctl, "LOCAL", local)
    monkeypatch.setattr(csctl, "MASTER_PASSWORD_FILE", local / "master-password")
    monkeypatch.setattr(csctl, "SERVER_CONF", local / "odoo.conf")
    return local


def _manifest(folder, text):
    folder.mkdir()
    (folder / "__manifest__.py").write_text(text)


def test_addons_come_from_installable_manifests(csctl, tmp_path):
    _manifest(tmp_path / "cs_one", "{'name': 'One', 'depends': ['mail']}")
    _manifest(tmp_path / "cs_two", "{'name': 'Two', 'installable': False}")
    _manifest(tmp_path / "cs_three", "{'name': 'Three', 'installable': True}")
    (tmp_path / "not_an_addon").mkdir()
    assert csctl.suite_addons(tmp_path) == ["cs_one", "cs_three"]


def test_the_suite_installs_every_addon_of_the_repository(csctl):
    folders = {path.parent.name for path in (ROOT / "addons").glob("*/__manifest__.py")}
    assert "cs_helpdesk" in folders
    assert set(csctl.suite_addons()) <= folders
    assert "cs_helpdesk" in csctl.suite_addons()


def test_run_prints_every_demo_login_the_readme_lists(csctl):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.startswith("Demo logins"))
    listed = set(re.findall(r"`([a-z_0-9]+)`", line))
    assert listed == {login for login, _password, _name in csctl.demo_logins()}


def test_every_demo_login_logs_in(csctl, client):
    for login, password, _name in csctl.demo_logins():
        assert client.login(login, password), f"demo login {login} failed"


def test_shipped_conf_has_no_master_password_and_no_database_list():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "odoo.conf", encoding="utf-8")
    assert parser["options"]["admin_passwd"] == ""
    assert parser["options"]["list_db"] == "False"


def test_generated_conf_carries_a_private_random_master_password(csctl, checkout):
    from passlib.context import CryptContext

    conf = csctl.server_conf()
    password = csctl.MASTER_PASSWORD_FILE.read_text().strip()
    assert len(password) >= 24
    for path in (conf, csctl.MASTER_PASSWORD_FILE):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path

    shipped, generated = (configparser.ConfigParser(interpolation=None) for _ in range(2))
    shipped.read(ROOT / "odoo.conf", encoding="utf-8")
    generated.read(conf, encoding="utf-8")
    stored = generated["options"].pop("admin_passwd")
    shipped["options"].pop("admin_passwd")
    assert dict(generated["options"]) == dict(shipped["options"])
    assert password not in conf.read_text()
    context = CryptContext(["pbkdf2_sha512", "plaintext"])
    assert context.verify(password, stored)
    assert not context.verify("admin", stored)

    csctl.server_conf()  # a second run keeps the password of the checkout
    assert csctl.MASTER_PASSWORD_FILE.read_text().strip() == password


def test_as_root_the_cluster_lives_where_postgres_can_enter(csctl, checkout, monkeypatch):
    monkeypatch.setattr(csctl.os, "geteuid", lambda: 0)
    monkeypatch.delenv("CS_PG_BASE", raising=False)
    pg = csctl.pg_dir()
    assert pg.parent.parent == Path("/var/tmp")
    assert pg.parent.name.startswith("cs-suite-")
    assert ROOT not in pg.parents
    # each checkout gets its own cluster
    monkeypatch.setattr(csctl, "ROOT", ROOT / "elsewhere")
    assert csctl.pg_dir() != pg


def test_as_a_user_the_cluster_stays_in_the_checkout(csctl, checkout, monkeypatch):
    monkeypatch.setattr(csctl.os, "geteuid", lambda: 1000)
    assert csctl.pg_dir() == checkout / "pg"


def test_a_cluster_already_in_the_checkout_stays_there(csctl, checkout, monkeypatch):
    monkeypatch.setattr(csctl.os, "geteuid", lambda: 0)
    (checkout / "pg" / "data").mkdir(parents=True)
    (checkout / "pg" / "data" / "PG_VERSION").write_text("15\n")
    assert csctl.pg_dir() == checkout / "pg"


def test_no_postgresql_at_all_stops_with_one_clear_message(csctl, checkout, monkeypatch, capsys):
    monkeypatch.setattr(csctl.shutil, "which", lambda _tool: None)
    with pytest.raises(SystemExit) as stop:
        csctl.start_local_cluster()
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "initdb" in err and "PGHOST" in err and "Traceback" not in err


def test_a_failing_initdb_stops_with_its_message_not_a_traceback(csctl, checkout, monkeypatch, capsys, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "initdb"
    fake.write_text('#!/bin/sh\necho "initdb: error: could not change directory to \\"/x\\": Permission denied" >&2\n'
                    "exit 1\n")  # fmt: skip
    fake.chmod(0o755)
    for tool in ("pg_ctl", "psql"):
        os.symlink("/bin/true", bin_dir / tool)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setattr(csctl.os, "geteuid", lambda: 1000)  # run the fake as this user
    with pytest.raises(SystemExit) as stop:
        csctl.start_local_cluster()
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "initdb failed" in err and "Permission denied" in err and "PGHOST" in err
    assert "Traceback" not in err


def _venv_setup(csctl, checkout, monkeypatch):
    """ensure_venv on an empty checkout without Odoo; returns the commands it runs (none really runs)."""
    venv = checkout / "venv"
    venv.mkdir()
    monkeypatch.setattr(csctl, "VENV", venv)
    monkeypatch.setattr(csctl, "venv_works", lambda: True)
    monkeypatch.setattr(csctl, "odoo_version", lambda python=None: None)
    commands = []

    def run(cmd, **_kw):
        commands.append([str(part) for part in cmd])
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(csctl, "run", run)
    return commands


def test_odoo_goes_into_the_venv_before_the_requirements_that_need_it(csctl, checkout, monkeypatch, tmp_path):
    commands = _venv_setup(csctl, checkout, monkeypatch)
    monkeypatch.setenv("ODOO_SRC", str(tmp_path))
    csctl.ensure_venv()
    odoo, requirements = (command for command in commands if "pip" in command)
    assert odoo[-2:] == ["-e", str(tmp_path)] and "--no-deps" in odoo  # requirements.txt pins its dependencies
    assert "-r" in requirements


def test_a_read_only_odoo_source_is_named_as_the_problem(csctl, checkout, monkeypatch, capsys, tmp_path):
    commands = _venv_setup(csctl, checkout, monkeypatch)
    monkeypatch.setenv("ODOO_SRC", str(tmp_path))
    monkeypatch.setattr(csctl.os, "access", lambda path, mode: False)
    with pytest.raises(SystemExit):
        csctl.ensure_venv()
    err = capsys.readouterr().err
    assert "is not writable" in err and "cp -r" in err and "Traceback" not in err
    assert not [command for command in commands if "pip" in command]


def test_another_odoo_version_stops_setup_before_any_install(csctl, checkout, monkeypatch, capsys):
    commands = _venv_setup(csctl, checkout, monkeypatch)
    monkeypatch.setattr(csctl, "odoo_version", lambda python=None: "17")
    with pytest.raises(SystemExit):
        csctl.ensure_venv()
    assert "Odoo 17 is importable but this suite needs Odoo 18.0" in capsys.readouterr().err
    assert not [command for command in commands if "pip" in command]


def test_restore_refuses_a_filestore_tarball_that_reaches_outside(csctl, tmp_path):
    tarball = tmp_path / "backup.filestore.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        entries = (("./ab/0123", tarfile.REGTYPE), ("../outside", tarfile.REGTYPE), ("ab/link", tarfile.SYMTYPE))
        for name, kind in entries:
            member = tarfile.TarInfo(name)
            member.type = kind
            archive.addfile(member, io.BytesIO(b"") if kind == tarfile.REGTYPE else None)
    with tarfile.open(tarball) as archive:
        assert csctl.outside_members(archive, tmp_path / "filestore" / "cs_new") == ["../outside", "ab/link"]


# ------------------------------------------------------------------ deploy/
def _render(render_conf, tmp_path, *args):
    output = tmp_path / "node.conf"
    render_conf.main(["--db-host", "10.0.0.5", "--master-password-file", str(tmp_path / "mp"), "--output", str(output),
                      *args])  # fmt: skip
    parser = configparser.RawConfigParser()
    parser.read(output, encoding="utf-8")
    return output, parser["options"]


def test_http_node(render_conf, tmp_path):
    from passlib.context import CryptContext

    output, options = _render(render_conf, tmp_path, "--role", "http", "--replica-host", "10.0.0.6",
                              "--cpus", "4", "--memory-mib", "8192")  # fmt: skip
    assert options["workers"] == "9"  # 2 x CPU + 1
    assert options["max_cron_threads"] == "0"
    assert options["http_enable"] == "True"
    assert (options["proxy_mode"], options["list_db"]) == ("True", "False")
    assert (options["db_replica_host"], options["db_replica_port"]) == ("10.0.0.6", "5432")
    assert int(options["limit_memory_soft"]) < int(options["limit_memory_hard"])
    password = (tmp_path / "mp").read_text().strip()
    assert password not in output.read_text()
    assert CryptContext(["pbkdf2_sha512"]).verify(password, options["admin_passwd"])
    assert stat.S_IMODE((tmp_path / "mp").stat().st_mode) == 0o600
    assert not stat.S_IMODE(output.stat().st_mode) & 0o007  # not readable by others


def test_http_workers_sized_from_the_users(render_conf, tmp_path):
    _output, options = _render(render_conf, tmp_path, "--role", "http", "--cpus", "1", "--workers", "9")
    assert options["workers"] == "9"  # not 2 x 1 + 1: sized for the users (deploy/README.md)
    _output, options = _render(render_conf, tmp_path, "--role", "cron", "--workers", "9")
    assert options["workers"] == "1"


def test_workers_fit_in_memory(render_conf):
    assert render_conf.http_workers(4, 8192, 1024) == 9
    assert render_conf.http_workers(4, 2048, 1024) == 3
    assert render_conf.http_workers(16, 4096, 1024) == 9
    assert render_conf.http_workers(1, 512, 1024) == 2


def test_cron_node_shares_the_master_password(render_conf, tmp_path):
    _render(render_conf, tmp_path, "--role", "http")
    password = (tmp_path / "mp").read_text()
    _output, options = _render(render_conf, tmp_path, "--role", "cron", "--cron-threads", "3")
    assert (tmp_path / "mp").read_text() == password
    assert options["http_enable"] == "False"
    assert options["max_cron_threads"] == "3"
    assert int(options["workers"]) >= 1
    assert options["db_replica_host"] == "10.0.0.5"  # no replica: reads go to the primary


@pytest.fixture
def cluster(tmp_path, monkeypatch):
    module = _load("cs_cluster", ROOT / "deploy" / "cluster.py")
    monkeypatch.setattr(module, "STATE", tmp_path / "state")
    monkeypatch.setattr(module, "runtime_dir", lambda: tmp_path / "runtime")
    (tmp_path / "state" / "logs").mkdir(parents=True)
    (tmp_path / "runtime" / "nginx").mkdir(parents=True)
    return module


def test_cluster_sizes_the_workers_for_its_users(cluster):
    # 9 waiting or running requests per worker and node must exceed the users clicking at once
    assert cluster.workers_for(100, 2) == 9 and 2 * 9 * cluster.workers_for(100, 2) >= 100
    assert cluster.workers_for(10, 2) == 3  # at least render_conf.py's count for one CPU


def test_the_nginx_site_balances_both_nodes_and_passes_nginx_t(cluster, tmp_path):
    ports = {"nginx": 18080, "node1_http": 18169, "node2_http": 18170, "node1_gevent": 18272, "node2_gevent": 18273}
    layout = cluster.Layout(folder=tmp_path / "state", runtime=tmp_path / "runtime", db="cs_demo", ports=ports)
    conf = cluster.nginx_site(layout)
    for port in ports.values():
        assert f"127.0.0.1:{port}" in conf
    assert "ssl" not in conf and "cs.example.com" not in conf
    assert "location /websocket" in conf and "client_max_body_size 11m;" in conf
    upstream = re.search(r"upstream cs_odoo \{(.*?)\}", conf, re.S).group(1)
    # the least busy node first; no idle connections kept (prefork workers close them)
    assert "least_conn;" in upstream and "keepalive" not in upstream
    nginx = cluster.nginx_binary()
    if not nginx:
        pytest.skip("nginx is not installed")
    path = tmp_path / "state" / "nginx.conf"
    path.write_text(conf)
    checked = subprocess.run(
        [nginx, "-t", "-c", str(path), "-p", str(tmp_path / "runtime" / "nginx")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
