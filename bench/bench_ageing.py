#!/usr/bin/env python3
"""The receivable ageing pivot (cs.ageing.report) over 1,000,000 open journal items.

Bulk inserts (SQL) ``--count`` open receivable journal items: posted, unpaid customer invoices
of ``--customers`` customers with ``--items-per-invoice`` instalments each, due dates spread
from 30 days ahead to 400 days ago, then ``ANALYZE``. Timed, as a billing clerk through the web
client's ``read_group(..., lazy=False)`` (record rules applied), median of ``--repeat`` runs
after a cold one:

* the pivot's opening: 2 requests (total, rows = age buckets), open and overdue amounts;
* customer x age bucket (all customers expanded: one group per customer and bucket);
* the overdue filter (arrears summary menu) by age bucket.

Core reference in the same run: ``account.move.line.read_group`` of the same open receivable
items by customer (Odoo's own grouping on the journal items, the aged receivable's base).
Target: the pivot opening < 1 s; customer x bucket is reported beside the core grouping (most of
its time is per-group work in Python, the same for any read_group with that many groups).

    python3 bench/bench_ageing.py --db billing_bench [--count 1000000] [--customers 20000] [--explain]
"""

import sys
import time

import benchlib
import datagen
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


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=1000000, help="open receivable journal items (default 1,000,000)")
    p.add_argument("--customers", type=int, default=20000)
    p.add_argument("--items-per-invoice", type=int, default=5)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the customer x bucket query")
    p.add_argument("--seed", type=float, default=0.42)
    args = p.parse_args()

    with benchlib.environment(
        args, vacuum_tables=("account_move", "account_move_line"), modules=("cs_billing",)
    ) as env:
        from odoo import Command

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

        Report = env["cs.ageing.report"].with_user(clerk)

        def pivot_open():
            # the default pivot: age buckets in rows, open and overdue amounts (customers on expanding)
            for groupby in ([], ["bucket"]):
                Report.read_group([], ["amount_residual:sum", "overdue_amount:sum"], groupby, lazy=False)

        def customer_bucket():
            return Report.read_group([], ["amount_residual:sum"], ["partner_id", "bucket"], lazy=False)

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
            ("customer x bucket groups", groups),
        ]
        rows += [(f"{name} s (median / best)", f"{m:.3f} / {b:.3f}") for name, (m, b) in timings.items()]
        core_median = timings["core: journal items by customer"][0]
        rows.append(("ratio customer x bucket / core", timings["customer x bucket"][0] / core_median))
        rows.append(("open amount: view / journal items", f"{total_view:,.2f} / {total_core:,.2f}"))
        ok = benchlib.report(
            args,
            "ageing pivot",
            rows,
            [
                (f"pivot open < {TARGET_SECONDS} s", timings["pivot open (2 requests)"][0] < TARGET_SECONDS),
                ("view total = journal items total", abs(total_view - total_core) < 0.01),
            ],
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
