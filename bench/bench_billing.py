#!/usr/bin/env python3
"""Batch invoicing of service fees against Odoo's own account.move.create with the same lines.

Creates --customers (2,000) customers and --fees (10,000) confirmed service fees spread over them
(5 per customer, one month, two taxed service products), then times
``cs.fee._create_invoices()`` (one draft invoice per customer and month, the fees linked to their
invoice lines, the fees' state recomputed) and ``account.move.create`` of the same invoices with
the same lines (product, quantity, price, taxes) in one call. Two rounds on two halves of the
customers, each path running first once, so the order does not favour either. Prints ms/invoice of each path,
SQL queries/invoice and the ratio cs/core (target <= 1.2).

    python3 bench/bench_billing.py --db billing_bench [--customers 2000] [--fees 10000]

The database needs cs_billing and a chart of accounts on the main company (any database where
cs_billing was installed: without demo data Odoo loads the generic chart).
"""

import sys

import benchlib

TARGET_RATIO = 1.2


def setup(env, args):
    """Customers, two taxed service products and the confirmed fees (not timed)."""
    from odoo import Command

    company = env.company
    tax = company.account_sale_tax_id
    products = env["product.product"].create(
        [
            {"name": name, "type": "service", "list_price": price, "taxes_id": [Command.set(tax.ids)]}
            for name, price in (("保外维修人工费", 80.0), ("上门安装服务费", 150.0))
        ]
    )
    partners = env["res.partner"].create(
        [{"name": f"客户{index:05d}", "email": f"bench.fee{index:05d}@example.com"} for index in range(args.customers)]
    )
    fee_values = [
        {
            "partner_id": partners[index % len(partners)].id,
            "product_id": products[index % 2].id,
            "quantity": 1 + index % 3,
            "date": "2026-10-15",
            "manual_state": "confirmed",
            "company_id": company.id,
        }
        for index in range(args.fees)
    ]
    fees = env["cs.fee"]
    for start in range(0, len(fee_values), 2000):
        fees |= env["cs.fee"].create(fee_values[start : start + 2000])
    env.flush_all()
    return partners, products, fees


def core_values(env, fees):
    """The invoices _create_invoices makes, as plain account.move values (no fee link)."""
    from odoo import Command

    journal = env["cs.fee"]._sale_journal(env.company)
    by_partner = {}
    for fee in fees:
        by_partner.setdefault(fee.partner_id, []).append(fee)
    return [
        {
            "move_type": "out_invoice",
            "company_id": env.company.id,
            "journal_id": journal.id,
            "partner_id": partner.id,
            "currency_id": env.company.currency_id.id,
            "invoice_origin": "Service fees 2026-10",
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": fee.product_id.id,
                        "name": fee.name,
                        "quantity": fee.quantity,
                        "price_unit": fee.price_unit,
                        "tax_ids": [Command.set(fee.tax_ids.ids)],
                    }
                )
                for fee in partner_fees
            ],
        }
        for partner, partner_fees in by_partner.items()
    ]


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=2000)
    p.add_argument("--fees", type=int, default=10000)
    p.add_argument("--no-profile", action="store_true", help="never profile, even when the ratio misses the target")
    args = p.parse_args()

    with benchlib.environment(args, vacuum_tables=("cs_fee", "account_move", "account_move_line")) as env:
        env = env(context=dict(env.context, tracking_disable=True))
        partners, _products, fees = setup(env, args)
        Move = env["account.move"].with_context(default_move_type="out_invoice")
        # warm-up of both paths: caches, prepared plans, the first sequence numbers
        warm = fees.filtered(lambda fee: fee.partner_id in partners[:20])
        fees -= warm
        warm[: len(warm) // 2]._create_invoices()
        Move.create(core_values(env, warm[len(warm) // 2 :]))
        env.flush_all()

        # two rounds on two halves of the customers, each path once first and once second,
        # so neither gains from running on smaller tables or warmer caches
        half = partners[len(partners) // 2 :]
        fees_a = fees.filtered(lambda fee: fee.partner_id not in half)
        fees_b = fees - fees_a
        cs_sec = core_sec = 0.0
        cs_queries = core_queries = invoices = 0
        moves = env["account.move"]
        for core_fees, cs_fees in ((fees_a, fees_b), (fees_b, fees_a)):
            values = core_values(env, core_fees)
            invoices += len(values)
            queries = benchlib.count_queries(env)
            seconds, _moves = benchlib.timed(env, lambda values=values: Move.create(values))
            core_sec += seconds
            core_queries += benchlib.count_queries(env) - queries
            queries = benchlib.count_queries(env)
            seconds, created = benchlib.timed(env, cs_fees._create_invoices)
            cs_sec += seconds
            cs_queries += benchlib.count_queries(env) - queries
            moves |= created

        invoiced = env["cs.fee"].search_count([("id", "in", fees.ids), ("state", "=", "invoiced")])
        lines = sum(len(move.invoice_line_ids) for move in moves)
        cs_ms, core_ms = cs_sec * 1000 / len(moves), core_sec * 1000 / invoices
        ratio = cs_ms / core_ms
        ok = benchlib.report(
            args,
            "fee batch invoicing",
            [
                ("fees invoiced", invoiced),
                ("invoices (cs / core)", f"{len(moves)} / {invoices}"),
                ("invoice lines (cs)", lines),
                ("cs.fee._create_invoices ms/invoice", cs_ms),
                ("account.move.create ms/invoice (core)", core_ms),
                ("ratio cs/core", ratio),
                ("cs SQL queries/invoice", cs_queries / len(moves)),
                ("core SQL queries/invoice", core_queries / invoices),
                ("cs total s", cs_sec),
                ("core total s", core_sec),
            ],
            [
                (f"ratio cs/core <= {TARGET_RATIO}", ratio <= TARGET_RATIO),
                ("every fee invoiced", invoiced == len(fees)),
            ],
        )
        if not ok and not args.no_profile:
            sample = env["cs.fee"].create(
                [
                    {
                        "partner_id": fee.partner_id.id,
                        "product_id": fee.product_id.id,
                        "quantity": fee.quantity,
                        "date": "2026-11-15",
                        "manual_state": "confirmed",
                    }
                    for fee in fees[:1000]
                ]
            )
            benchlib.timed(env, sample._create_invoices, profile=True, label="cs.fee._create_invoices x1000 fees")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
