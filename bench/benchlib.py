"""Shared plumbing of the benchmarks: connect with Odoo's API, time, profile, report.

Every benchmark runs in one transaction that is rolled back at the end, so the
database is left as it was. Code that commits on its own (crons committing
between batches) is kept inside that transaction: ``cr.commit`` is replaced by a
counter while a benchmark runs.
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--db", "-d", default="cs_bench", help="database with cs_helpdesk and crm installed")
    p.add_argument("-c", "--config", default=str(ROOT / "odoo.conf"))
    p.add_argument("--addons-path", default=str(ROOT / "addons"))
    p.add_argument("--data-dir", default=str(ROOT / ".local" / "data"))
    p.add_argument("--db_host", default="127.0.0.1")
    p.add_argument("--db_port", default="55432")
    p.add_argument("-r", "--db_user", default="odoo")
    p.add_argument("-w", "--db_password", default="odoo")
    p.add_argument("--log-level", default="warn")
    p.add_argument("--profile", action="store_true", help="run the timed part of the cs path under cProfile")
    p.add_argument("--result-file", help="append the figures as one JSON line (run_all.sh collects them)")
    return p


@contextlib.contextmanager
def environment(args, vacuum_tables=(), modules=("cs_helpdesk", "crm")):
    """Yield a superuser ``env`` on ``args.db``; roll everything back on exit.

    ``vacuum_tables`` are vacuumed first (see :func:`vacuum`); ``modules`` must be installed.
    """
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        [
            "-c", args.config,
            "--addons-path", args.addons_path,
            "--data-dir", args.data_dir,
            "--db_host", args.db_host,
            "--db_port", str(args.db_port),
            "-r", args.db_user,
            "-w", args.db_password,
            "-d", args.db,
            "--log-level", args.log_level,
        ],
        setup_logging=True,
    )  # fmt: skip
    if vacuum_tables:
        vacuum(args, vacuum_tables)
    registry = odoo.modules.registry.Registry(args.db)
    missing = set(modules) - set(registry._init_modules)
    if missing:
        sys.exit(f"database {args.db!r} lacks the modules {sorted(missing)}: run bench/run_all.sh or install them")
    cr = registry.cursor()
    commits = []
    real_commit = cr.commit
    cr.commit = lambda: commits.append(time.perf_counter())  # keep the benchmark in one transaction
    try:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "Asia/Shanghai", "lang": "en_US"})
        env.bench_commits = commits
        yield env
    finally:
        cr.commit = real_commit
        cr.rollback()
        cr.close()


def vacuum(args, tables):
    """VACUUM ANALYZE ``tables`` on a separate autocommit connection.

    Clears the dead rows earlier (rolled back) benchmark runs left behind, so a run
    scans the same pages as the first one. Changes no data.
    """
    import psycopg2
    from odoo.sql_db import connection_info_for

    _name, info = connection_info_for(args.db)
    connection = psycopg2.connect(**info)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'VACUUM (ANALYZE) "{table}"')
    finally:
        connection.close()


class Timer:
    def __init__(self):
        self.seconds = 0.0

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._start


def timed(env, func, *, profile=False, label=""):
    """Run ``func()`` once after flushing, flush again, return (seconds, result)."""
    env.flush_all()
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    result = func()
    env.flush_all()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    if profiler:
        print_profile(profiler, label)
    return seconds, result


def repeat(env, func, times=5):
    """Median and minimum seconds of ``times`` runs of a read-only ``func``."""
    runs = []
    for _run in range(times):
        env.invalidate_all()
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), min(runs), runs


def print_profile(profiler, label, limit=30):
    """Top functions by cumulative and own time, then the suite's own functions."""
    for sort, restriction in (("cumulative", limit), ("tottime", limit), ("cumulative", "addons/cs_")):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(sort).print_stats(restriction, limit)
        title = "cs_* functions only" if restriction == "addons/cs_" else f"sorted by {sort}"
        print(f"\n----- cProfile {label} ({title}) -----")
        print(out.getvalue().replace(str(ROOT) + "/", "").replace("/opt/odoo18/odoo/", ""))


def explain(env, func, marker):
    """EXPLAIN ANALYZE the last query ``func`` runs whose SQL contains ``marker``."""
    from odoo.tools import SQL

    captured = []
    cursor = env.cr
    original = cursor.execute

    def spy(query, params=None, log_exceptions=True):
        if isinstance(query, SQL):
            captured.append((query.code, list(query.params)))
        else:
            captured.append((query, params))
        return original(query, params, log_exceptions)

    env.invalidate_all()
    cursor.execute = spy
    try:
        func()
    finally:
        cursor.execute = original
    code, params = next(q for q in reversed(captured) if marker in q[0])
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + code, params)
    return code, params, "\n".join(row[0] for row in cursor.fetchall())


def wsgi_client(env, args):
    """A client of Odoo's WSGI application serving ``args.db`` on the benchmark's cursor (test mode: every
    request runs in the benchmark's transaction, rolled back with it). Keeps its cookies, so a client is one
    browser session. Call ``env.registry.leave_test_mode()`` at the end."""
    import odoo
    from odoo import http
    from werkzeug.test import Client

    odoo.tools.config["dbfilter"] = f"^{args.db}$"
    if not env.registry.test_cr:
        env.registry.enter_test_mode(env.cr)
    return Client(http.root)


def count_queries(env):
    """Number of SQL queries the cursor ran so far (Odoo's own counter)."""
    return env.cr.sql_log_count


def report(args, name, rows, verdicts=()):
    """Print a small table and optionally append the figures to ``args.result_file``."""
    load = os.getloadavg()
    rows = [*rows, (f"machine load 1/5 min ({os.cpu_count()} CPUs)", f"{load[0]:.1f} / {load[1]:.1f}")]
    width = max(len(label) for label, _value in rows)
    print(f"\n== {name} ==")
    for label, value in rows:
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        print(f"  {label:<{width}}  {shown}")
    for text, ok in verdicts:
        print(f"  [{'PASS' if ok else 'FAIL'}] {text}")
    if args.result_file:
        with open(args.result_file, "a", encoding="utf-8") as handle:
            handle.write(
                json.dumps(
                    {
                        "bench": name,
                        "rows": rows,
                        "verdicts": [[text, bool(ok)] for text, ok in verdicts],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return all(ok for _text, ok in verdicts)
