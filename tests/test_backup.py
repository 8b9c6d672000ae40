"""`make backup` and `make restore`: the restored database has the same tickets, files and messages."""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / ".local" / "data"
BACKUP_DIR = ROOT / ".local" / "backups"
COUNTS = {
    "tickets": "SELECT count(*) FROM cs_ticket",
    "ticket attachments": "SELECT count(*) FROM ir_attachment WHERE res_model = 'cs.ticket'",
    "stored files": "SELECT count(*) FROM ir_attachment WHERE store_fname IS NOT NULL",
    "ticket messages": "SELECT count(*) FROM mail_message WHERE model = 'cs.ticket'",
}


@pytest.fixture(scope="module")
def pg_env():
    if not os.environ.get("CS_PGHOST") or not os.environ.get("CS_DB"):
        pytest.skip("run through `make test`: CS_PGHOST and CS_DB are not set")
    return dict(os.environ, PGHOST=os.environ["CS_PGHOST"], PGPORT=os.environ["CS_PGPORT"])


def _connect(db):
    import psycopg2

    return psycopg2.connect(
        host=os.environ["CS_PGHOST"], port=os.environ["CS_PGPORT"], dbname=db,
        user=os.environ.get("CS_DB_USER", "odoo"), password=os.environ.get("CS_DB_PASSWORD", "odoo"),
    )  # fmt: skip


def _facts(db):
    with _connect(db) as conn, conn.cursor() as cur:
        counts = {}
        for name, query in COUNTS.items():
            cur.execute(query)
            counts[name] = cur.fetchone()[0]
        cur.execute(
            "SELECT store_fname, checksum FROM ir_attachment WHERE res_model = 'cs.ticket' AND store_fname IS NOT NULL"
        )
        files = cur.fetchall()
    conn.close()
    return counts, files


def _csctl(env, *args):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "csctl.py"), *args],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_backup_then_restore_into_a_new_database(admin, pg_env):
    db = os.environ["CS_DB"]
    ticket = admin.execute("cs.ticket", "search", [], limit=1)
    assert ticket, "the demo data has no ticket to attach a file to"
    content = os.urandom(2048)
    admin.execute(
        "ir.attachment", "create",
        {"name": "backup-probe.bin", "res_model": "cs.ticket", "res_id": ticket[0],
         "datas": base64.b64encode(content).decode()},
    )  # fmt: skip
    before, files = _facts(db)
    assert before["tickets"] and before["ticket attachments"] and before["ticket messages"]

    restored = f"{db}_restored"
    existing = set(BACKUP_DIR.glob(f"{db}-*"))
    try:
        _csctl(pg_env, "backup", "--db", db)
        made = set(BACKUP_DIR.glob(f"{db}-*")) - existing
        assert {path.name.split(".", 1)[1] for path in made} == {"dump", "filestore.tar.gz"}
        _csctl(pg_env, "restore", "--db", db, "--to", restored)

        after, restored_files = _facts(restored)
        assert after == before
        assert restored_files == files
        filestore = DATA_DIR / "filestore" / restored
        for store_fname, checksum in restored_files:
            assert hashlib.sha1((filestore / store_fname).read_bytes()).hexdigest() == checksum
        assert hashlib.sha1(content).hexdigest() in {checksum for _name, checksum in restored_files}

        # restore never overwrites a database
        clash = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "csctl.py"), "restore", "--db", db, "--to", restored],
            env=pg_env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert clash.returncode != 0 and "exists already" in clash.stderr
    finally:
        subprocess.run(["dropdb", "--if-exists", "-f", "-U", "odoo", restored], env=dict(pg_env, PGPASSWORD="odoo"),
                       check=False)  # fmt: skip
        shutil.rmtree(DATA_DIR / "filestore" / restored, ignore_errors=True)
        for path in set(BACKUP_DIR.glob(f"{db}-*")) - existing:
            path.unlink()
