"""deploy/render_conf.py: production settings rendered for an HTTP node and the cron node."""

import configparser
import importlib.util
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def render_conf():
    spec = importlib.util.spec_from_file_location("render_conf", ROOT / "deploy" / "render_conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    spec = importlib.util.spec_from_file_location("cs_cluster", ROOT / "deploy" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "STATE", tmp_path / "state")
    monkeypatch.setattr(module, "runtime_dir", lambda: tmp_path / "runtime")
    (tmp_path / "state" / "logs").mkdir(parents=True)
    (tmp_path / "runtime" / "nginx").mkdir(parents=True)
    return module


def test_the_nginx_site_balances_both_nodes_and_passes_nginx_t(cluster, tmp_path):
    ports = {"nginx": 18080, "node1_http": 18169, "node2_http": 18170, "node1_gevent": 18272, "node2_gevent": 18273}
    conf = cluster.nginx_site({"ports": ports})
    for port in ports.values():
        assert f"127.0.0.1:{port}" in conf
    assert "ssl" not in conf and "cs.example.com" not in conf
    assert "location /websocket" in conf and "client_max_body_size 11m;" in conf
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed")
    path = tmp_path / "state" / "nginx.conf"
    path.write_text(conf)
    checked = subprocess.run(
        ["nginx", "-t", "-c", str(path), "-p", str(tmp_path / "runtime" / "nginx")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
