#!/usr/bin/env python3
"""Render deploy/odoo.conf.template for one production node.

    python3 deploy/render_conf.py --role http --db-host 10.0.0.5 --replica-host 10.0.0.6 \\
        --output /etc/odoo/cs-http.conf
    python3 deploy/render_conf.py --role cron --db-host 10.0.0.5 --output /etc/odoo/cs-cron.conf \\
        --master-password-file /etc/odoo/master-password

HTTP nodes get ``workers = 2 x CPU + 1`` (fewer when the memory cannot hold them, at least 2;
``--workers`` to size them from the users instead) and no cron threads; the cron node serves
no HTTP and runs ``--cron-threads`` cron workers.
The master password is generated once (``--master-password-file``, mode 0600, reused by the
next rendering so every node shares it) and only its PBKDF2 hash goes into the file.
Needs passlib, which every Odoo installation has. See deploy/README.md.
"""

import argparse
import os
import secrets
import sys
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
MIB = 1024 * 1024
# Memory a prefork worker averages over a day, for the worker cap from RAM: most requests
# stay near 150 MiB, about one in five (reports, exports, imports) grows towards the soft limit.
WORKER_AVERAGE_MIB = 0.8 * 150 + 0.2 * 1024


def memory_mib():
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def http_workers(cpus, mem_mib, reserved_mib):
    """2 x CPU + 1, capped so the workers' average use fits in RAM minus what is reserved."""
    workers = 2 * cpus + 1
    if mem_mib:
        workers = min(workers, int((mem_mib - reserved_mib) // WORKER_AVERAGE_MIB))
    return max(workers, 2)


def master_password(path):
    path = Path(path)
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    password = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password


def render(args):
    from passlib.context import CryptContext

    cpus = args.cpus or os.cpu_count() or 1
    mem = args.memory_mib or memory_mib()
    is_http = args.role == "http"
    values = {
        "role": args.role,
        "addons_path": args.addons_path,
        "data_dir": args.data_dir,
        "db_host": args.db_host,
        "db_port": args.db_port,
        "db_user": args.db_user,
        "db_password": args.db_password,
        "db_sslmode": args.db_sslmode,
        # no replica given: read-only routes use the primary (empty would mean the unix socket)
        "db_replica_host": args.replica_host or args.db_host,
        "db_replica_port": args.replica_port or args.db_port,
        "db_name": args.db_name,
        "db_maxconn": args.db_maxconn,
        "db_maxconn_gevent": args.db_maxconn * 4,
        "admin_passwd": CryptContext(["pbkdf2_sha512"]).hash(master_password(args.master_password_file)),
        "http_enable": is_http,
        "http_interface": args.http_interface,
        "http_port": args.http_port,
        "gevent_port": args.gevent_port,
        # the cron node still runs prefork (workers > 0) for the memory and time limits
        "workers": (args.workers or http_workers(cpus, mem, args.reserved_mib)) if is_http else 1,
        "max_cron_threads": 0 if is_http else args.cron_threads,
        "limit_memory_soft": args.limit_memory_soft_mib * MIB,
        "limit_memory_hard": args.limit_memory_hard_mib * MIB,
        "limit_memory_soft_gevent": 2 * args.limit_memory_soft_mib * MIB,
        "limit_memory_hard_gevent": 2 * args.limit_memory_hard_mib * MIB,
        "limit_time_cpu": args.limit_time_cpu,
        "limit_time_real": 2 * args.limit_time_cpu,
        # a cron batch commits and re-checks its time budget: allow it longer than a request
        "limit_time_real_cron": 3600,
    }
    return Template((HERE / "odoo.conf.template").read_text(encoding="utf-8")).substitute(values)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--role", choices=("http", "cron"), required=True)
    parser.add_argument("--output", help="file to write (mode 0640); default: standard output")
    parser.add_argument("--master-password-file", default="/etc/odoo/master-password")
    parser.add_argument("--addons-path", default="/opt/cs-suite/addons")
    parser.add_argument("--data-dir", default="/var/lib/odoo", help="shared by all nodes (NFS or similar)")
    parser.add_argument("--db-host", required=True)
    parser.add_argument("--db-port", type=int, default=5432)
    parser.add_argument("--db-user", default="odoo")
    parser.add_argument("--db-password", default="")
    parser.add_argument("--db-sslmode", default="prefer")
    parser.add_argument("--db-name", default="cs_prod")
    parser.add_argument("--replica-host", help="streaming replica for read-only routes (reports)")
    parser.add_argument("--replica-port", type=int)
    parser.add_argument("--db-maxconn", type=int, default=8)
    parser.add_argument("--http-interface", default="127.0.0.1", help="0.0.0.0 when nginx runs on another host")
    parser.add_argument("--http-port", type=int, default=8069)
    parser.add_argument("--gevent-port", type=int, default=8072)
    parser.add_argument("--cpus", type=int, help="default: this machine's CPU count")
    parser.add_argument("--memory-mib", type=int, help="default: this machine's RAM")
    parser.add_argument(
        "--workers", type=int, help="HTTP workers, when sized from the users (deploy/README.md) rather than the CPUs"
    )
    parser.add_argument("--reserved-mib", type=int, default=1024, help="RAM kept for the OS, gevent, nginx")
    parser.add_argument("--cron-threads", type=int, default=2)
    parser.add_argument("--limit-memory-soft-mib", type=int, default=1024)
    parser.add_argument("--limit-memory-hard-mib", type=int, default=1536)
    parser.add_argument("--limit-time-cpu", type=int, default=600)
    args = parser.parse_args(argv)
    text = render(args)
    if not args.output:
        sys.stdout.write(text)
        return
    fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
