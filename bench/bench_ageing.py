#!/usr/bin/env python3
"""The receivable ageing pivot (cs.ageing.report) over 1,000,000 open journal items.

Bulk inserts (SQL) ``--count`` open receivable journal items: posted, unpaid customer invoices
of ``--customers`` customers with ``--items-per-invoice`` instalments each, due dates spread
from 30 days ahead to 400 days ago, then ``ANALYZE``. The pivot reads per-due-day rollups
(cs_helpdesk's ``cs.report.mixin``): the bulk load marks its due days dirty and the rollup
cron's refresh of them is timed first. Timed then, as a billing clerk through the web client's
``read_group(..., lazy=False)`` (record rules applied), median of ``--repeat`` runs after a cold one:

* the pivot's opening: 2 requests (total, rows = age buckets), open and overdue amounts;
* customer x age bucket (all customers expanded: one group per customer and bucket);
* the overdue filter (arrears summary menu) by age bucket;
* the pivot's opening and customer x bucket without the rollups (the view's raw rows, as before them).

Core reference in the same run: ``account.move.line.read_group`` of the same open receivable
items by customer (Odoo's own grouping on the journal items, the aged receivable's base).
Target: the pivot opening < 1 s.

Maintenance (``--maintenance-invoices``, 0 to skip): on top of the loaded items, N invoices are
posted, then paid through the register-payment wizard (one payment each), with the rollup triggers
(and the due-date index) and without them, timed per invoice; then the pivot's opening with the
due days of those payments still dirty (before the cron) and the cron's refresh of them.

    python3 bench/bench_ageing.py --db billing_bench [--count 1000000] [--customers 20000] [--explain]
"""

import sys
import time
from datetime import timedelta

import benchlib
import datagen
import psycopg2
import receivables
from odoo.tools import SQL

TARGET_SECONDS = 1.0


def open_items_domain(company):
    return [
        ("company_id", "=", company.id),
        ("account_id.account_type", "=", "asset_receivable"),
        ("parent_state", "=", "posted"),
        ("reconciled", "=", False),
        ("amount_residual", "!=", 0),
    ]


def rollup_triggers(env):
    env.cr.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'account_move_line'::regclass AND tgname LIKE %s",
        ["cs\\_ageing\\_report\\_rollup%"],
    )
    return [name for (name,) in env.cr.fetchall()]


def set_maintenance(env, enabled):
    """The rollups' triggers and the open items' due-date index, on or off (inside the transaction)."""
    from odoo.addons.cs_billing.report.cs_ageing_report import DUE_DATE, DUE_INDEX, OPEN_ITEMS
    from odoo.tools.sql import create_index

    env.flush_all()
    for name in rollup_triggers(env):
        action = SQL("ENABLE") if enabled else SQL("DISABLE")
        env.cr.execute(SQL("ALTER TABLE account_move_line %s TRIGGER %s", action, SQL.identifier(name)))
    if enabled:
        create_index(env.cr, DUE_INDEX, "account_move_line", [DUE_DATE], where=OPEN_ITEMS)
    else:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(DUE_INDEX)))


def make_invoices(env, ledger, customers, count, offset):
    """``count`` draft invoices of one line each, due dates spread over the same 430 days as the data."""
    from odoo import Command, fields

    today = fields.Date.context_today(env["account.move"])
    values = []
    for index in range(offset, offset + count):
        due = today - timedelta(days=(index * 7919) % 430 - 30)
        values.append(
            {
                "move_type": "out_invoice",
                "partner_id": customers[(index * 104729) % len(customers)].id,
                "journal_id": ledger.journal.id,
                "invoice_date": min(due, today),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "服务费",
                            "account_id": ledger.income.id,
                            "price_unit": 100 + index % 900,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
    return env["account.move"].with_context(tracking_disable=True).create(values)


def register_payments(env, invoices):
    from odoo import fields

    return (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoices.ids)
        .create({"group_payment": False, "payment_date": fields.Date.context_today(invoices)})
        ._create_payments()
    )


def trigger_seconds(env):
    """Time spent in the rollup triggers so far in this transaction (needs track_functions = 'pl')."""
    env.cr.execute(
        "SELECT COALESCE(sum(total_time), 0) / 1000 FROM pg_stat_xact_user_functions WHERE funcname LIKE %s",
        ["cs\\_ageing\\_report\\_rollup%"],
    )
    return float(env.cr.fetchone()[0])


def maintenance(env, ledger, customers, count, rounds, pivot_open):
    """Per-invoice seconds of posting and paying with and without the rollup maintenance."""
    post = {True: 0.0, False: 0.0}
    pay = {True: 0.0, False: 0.0}
    try:
        with env.cr.savepoint():
            env.cr.execute("SET LOCAL track_functions = 'pl'")
    except psycopg2.Error:  # a superuser's setting: without it the trigger time shows as 0
        pass
    in_triggers = trigger_seconds(env)
    # warm-up (not timed): caches, plans, the sequence of the journals
    register_payments(env, make_invoices(env, ledger, customers, 20, 0).with_context(tracking_disable=True))
    offset = 20
    for round_index in range(rounds):
        for enabled in (False, True) if round_index % 2 == 0 else (True, False):
            set_maintenance(env, enabled)
            invoices = make_invoices(env, ledger, customers, count, offset)
            offset += count
            seconds, _result = benchlib.timed(env, invoices.action_post)
            post[enabled] += seconds
            seconds, _result = benchlib.timed(env, lambda invoices=invoices: register_payments(env, invoices))
            pay[enabled] += seconds
    set_maintenance(env, True)
    in_triggers = trigger_seconds(env) - in_triggers
    Report = env["cs.ageing.report"]
    dirty_days = len(Report._rollup_dirty_days())
    dirty_read, _best, _runs = benchlib.repeat(env, pivot_open, 3)
    sync_seconds, _result = benchlib.timed(env, Report._rollup_sync)
    total = count * rounds

    def per_invoice(seconds):
        return f"{seconds[True] * 1000 / total:.2f} / {seconds[False] * 1000 / total:.2f}"

    rows = [
        ("maintenance: invoices posted and paid per side", total),
        ("post ms/invoice, rollup maintenance on / off", per_invoice(post)),
        ("post overhead of the rollup", f"{post[True] / post[False] - 1:+.1%}"),
        ("pay ms/invoice, rollup maintenance on / off", per_invoice(pay)),
        ("pay overhead of the rollup", f"{pay[True] / pay[False] - 1:+.1%}"),
        ("time in the rollup triggers, share of post + pay (on)", f"{in_triggers / (post[True] + pay[True]):.2%}"),
        ("dirty due days after the payments", dirty_days),
        ("pivot open s before the cron's refresh (median of 3)", dirty_read),
        ("cron refresh of those days s", sync_seconds),
    ]
    return rows


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=1000000, help="open receivable journal items (default 1,000,000)")
    p.add_argument("--customers", type=int, default=20000)
    p.add_argument("--items-per-invoice", type=int, default=5)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the customer x bucket query")
    p.add_argument("--maintenance-invoices", type=int, default=1000, help="invoices posted and paid per side")
    p.add_argument("--maintenance-rounds", type=int, default=1, help="alternating rounds per side")
    p.add_argument("--seed", type=float, default=0.42)
    args = p.parse_args()

    with benchlib.environment(
        args, vacuum_tables=("account_move", "account_move_line"), modules=("cs_billing",)
    ) as env:
        from odoo import Command

        if not rollup_triggers(env):
            sys.exit("no ageing rollup triggers on account_move_line: is cs_billing up to date in this database?")
        ledger = receivables.Ledger(env)
        clerk = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Bench 收费员",
                    "login": "bench_ageing_clerk",
                    "groups_id": [Command.set([env.ref("cs_billing.group_billing_user").id])],
                    "company_id": ledger.company.id,
                    "company_ids": [Command.set(ledger.company.ids)],
                }
            )
        )
        start = time.perf_counter()
        customers = receivables.insert_customers(env, args.customers, prefix="账龄客户")
        invoices = args.count // args.items_per_invoice
        with datagen.indexes_rebuilt(env, "account_move_line"):
            receivables.insert_invoices(
                env,
                ledger,
                customers,
                invoices,
                SQL("floor(r.r2 * 430)::int - 30"),
                seed=args.seed,
                items_per_invoice=args.items_per_invoice,
                prefix="AGE/",
            )
        env.cr.execute("ANALYZE account_move; ANALYZE account_move_line; ANALYZE res_partner")
        gen_seconds = time.perf_counter() - start
        env.cr.execute(SQL("SELECT count(*) FROM cs_ageing_report WHERE company_id = %s", ledger.company.id))
        open_items = env.cr.fetchone()[0]

        Report = env["cs.ageing.report"]
        loaded_days = len(Report._rollup_dirty_days())
        sync_seconds, _result = benchlib.timed(env, Report._rollup_sync)
        sizes = {}
        for key in Report._rollups:
            table = SQL.identifier(Report._rollup_table(key))
            env.cr.execute(SQL("ANALYZE %s", table))  # autovacuum's analyze does it in production
            env.cr.execute(SQL("SELECT count(*) FROM %s", table))
            sizes[key] = env.cr.fetchone()[0]

        Report = Report.with_user(clerk)

        def pivot_open(report=Report):
            # the default pivot: age buckets in rows, open and overdue amounts (customers on expanding)
            for groupby in ([], ["bucket"]):
                report.read_group([], ["amount_residual:sum", "overdue_amount:sum"], groupby, lazy=False)

        def customer_bucket(report=Report):
            return report.read_group([], ["amount_residual:sum"], ["partner_id", "bucket"], lazy=False)

        def overdue_bucket():
            return Report.read_group([("is_overdue", "=", True)], ["overdue_amount:sum"], ["bucket"], lazy=False)

        Line = env["account.move.line"].with_user(clerk)

        def core():
            return Line.read_group(
                open_items_domain(ledger.company), ["amount_residual:sum"], ["partner_id"], lazy=False
            )

        timings = {}
        for name, func in (
            ("pivot open (2 requests)", pivot_open),
            ("customer x bucket", customer_bucket),
            ("overdue by bucket", overdue_bucket),
            ("pivot open without the rollups", lambda: pivot_open(Report.with_context(cs_rollup_off=True))),
            ("customer x bucket without the rollups", lambda: customer_bucket(Report.with_context(cs_rollup_off=True))),
            ("core: journal items by customer", core),
        ):
            func()  # cold run: plans, caches
            median, best, _runs = benchlib.repeat(env, func, args.repeat)
            timings[name] = (median, best)
        groups = len(customer_bucket())
        total_view = sum(row["amount_residual"] for row in Report.read_group([], ["amount_residual:sum"], []))
        total_core = sum(row["amount_residual"] for row in core())
        if args.explain:
            _code, _params, plan = benchlib.explain(env, customer_bucket, "cs_ageing_report")
            print(plan)

        rows = [
            ("generated in s", gen_seconds),
            ("open receivable items in the view", open_items),
            ("cron refresh of the loaded due days s", f"{sync_seconds:.2f} ({loaded_days} days)"),
            ("rollup rows (company / customer)", f"{sizes['company']:,} / {sizes['partner']:,}"),
            ("customer x bucket groups", groups),
        ]
        rows += [(f"{name} s (median / best)", f"{m:.3f} / {b:.3f}") for name, (m, b) in timings.items()]
        core_median = timings["core: journal items by customer"][0]
        rows.append(("ratio pivot open / core", timings["pivot open (2 requests)"][0] / core_median))
        rows.append(("ratio customer x bucket / core", timings["customer x bucket"][0] / core_median))
        rows.append(("open amount: view / journal items", f"{total_view:,.2f} / {total_core:,.2f}"))
        verdicts = [
            (f"pivot open < {TARGET_SECONDS} s", timings["pivot open (2 requests)"][0] < TARGET_SECONDS),
            ("view total = journal items total", abs(total_view - total_core) < 0.01),
        ]
        if args.maintenance_invoices:
            rows += maintenance(env, ledger, customers, args.maintenance_invoices, args.maintenance_rounds, pivot_open)
            total_after = sum(row["amount_residual"] for row in Report.read_group([], ["amount_residual:sum"], []))
            total_core_after = sum(row["amount_residual"] for row in core())
            rows.append(("after payments: view / journal items", f"{total_after:,.2f} / {total_core_after:,.2f}"))
            verdicts.append(("after payments: view = journal items", abs(total_after - total_core_after) < 0.01))
        ok = benchlib.report(args, "ageing pivot", rows, verdicts)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
