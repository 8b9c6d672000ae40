"""A cron node killed (SIGKILL) in the middle of an SLA batch: whole batches only, and the next run finishes.

The production cron node of deploy/ (prefork, rendered by render_conf.py) runs the SLA cron on
a copy of the test database holding LINES due SLA lines, in batches of BATCH. The node is
killed while a batch has written but not committed; then every ticket must be either fully
processed (breach recorded, one chatter message, escalation fired) or untouched, and a new
node must process the rest, each line exactly once.
"""

import os
import time

import layouts
import pytest

LINES = 1000
BATCH = 100  # ten batches: one cron run (Odoo runs at most ten batches of a job in a row)
# only the SLA cron runs in this copy, due now
CRON_SETUP = """
UPDATE ir_cron SET active = (id = %(cron)s);
UPDATE ir_cron SET nextcall = (now() AT TIME ZONE 'UTC') - interval '1 minute' WHERE id = %(cron)s;
"""
# a transaction of another session that has written to what a batch writes and not committed yet
UNCOMMITTED_BATCH = """
SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND l.mode = 'RowExclusiveLock'
   AND l.relation IN ('cs_ticket_sla'::regclass, 'mail_message'::regclass, 'mail_activity'::regclass)
"""


@pytest.fixture(scope="module")
def sla_db(suite_dump):
    db = f"{os.environ['CS_DB']}_cron"
    layouts.restore_copy(suite_dump, db)
    try:
        prefix = layouts.seed_sla_backlog(db, LINES, BATCH)
        layouts.query(db, CRON_SETUP, {"cron": layouts.query(db, layouts.SLA_CRON)[0][0]})
        yield db, prefix
    finally:
        layouts.drop_copy(db)


def facts(db, prefix):
    rows = layouts.sla_ticket_facts(db, prefix)
    assert len(rows) == LINES
    return rows


def processed(db, prefix):
    return sum(1 for _id, done, _running, _messages, _activities in facts(db, prefix) if done)


def test_cron_node_killed_mid_batch_then_next_run_completes_each_line_once(sla_db):
    sla_db, prefix = sla_db
    assert processed(sla_db, prefix) == 0
    with layouts.layout("fault-cron", sla_db, pg=layouts.server_pg(), replica=False, nodes=()) as lay:
        layouts.cluster.start_node(lay, "cron", "cron", wait=False)

        def mid_batch():
            layouts.wake_cron_workers()
            done = processed(sla_db, prefix)
            return BATCH <= done <= LINES - 2 * BATCH and layouts.query(sla_db, UNCOMMITTED_BATCH)[0][0]

        layouts.wait_for(mid_batch, timeout=120, step=0.05, what="a batch written but not committed")
        layouts.cluster.kill_node(lay, "cron")
        killed_at = time.time()
        layouts.wait_for(
            lambda: not layouts.query(
                sla_db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )[0][0],
            timeout=30, what="the killed node's sessions to end",
        )  # fmt: skip

        # whole batches only: a ticket is processed with its message and activity, or not at all
        rows = facts(sla_db, prefix)
        done = [row for row in rows if row[1]]
        untouched = [row for row in rows if row[2] and not row[1]]
        assert len(done) + len(untouched) == LINES
        assert len(done) % BATCH == 0 and BATCH <= len(done) < LINES, len(done)
        # what one processing leaves on a ticket: one breach message, the escalation's activity
        per_line = {row[3:5] for row in done}
        assert per_line in ({(1, 0)}, {(1, 1)}), per_line
        assert {row[3:5] for row in untouched} == {(0, 0)}, "a line of the killed batch left a trace"

        # a new node: the next run finishes the rest, each line once
        layouts.cluster.start_node(lay, "cron", "cron", wait=False)

        def all_done():
            layouts.wake_cron_workers()
            return processed(sla_db, prefix) == LINES

        layouts.wait_for(all_done, timeout=150, step=1, what="the next run to process every line")
        finished_at = time.time()
        rows = facts(sla_db, prefix)
        assert {row[3:5] for row in rows} == per_line, "a line was processed twice (more messages or activities)"
        progress = layouts.query(
            sla_db,
            "SELECT p.done, p.remaining FROM ir_cron_progress p JOIN ir_model_data d ON d.res_id = p.cron_id "
            "AND d.model = 'ir.cron' AND d.name = 'ir_cron_cs_ticket_sla' ORDER BY p.id DESC LIMIT 1",
        )
        assert progress and progress[0][1] == 0
    layouts.report(
        f"cron kill: {len(done)} of {LINES} lines committed before the kill (batches of {BATCH}); "
        f"the restarted node finished the other {LINES - len(done)} in {finished_at - killed_at:.0f} s; "
        "each line processed once"
    )
