#!/usr/bin/env python3
"""Return requests end to end (cs_aftersales on OCA RMA) against the plain Odoo return of the same goods.

Sells, delivers and invoices --orders orders of --lines products (one unit each, not timed), then
returns one unit of --count lines through each path, on separate orders so neither path touches the
other's documents:

* cs path, per line: ``rma.create`` (kind return, quality reason; policy and eligibility computed,
  quantities locked and checked), ``action_confirm`` (eligibility enforced, receipt prepared), the
  receipt validated, ``action_inspect_pass`` (inspection recorded, OCA refund from the invoice line:
  a draft credit note). Customer emails are muted on both paths (``tracking_disable``,
  ``mail_notrack``), the chatter messages kept.
* core path, per line: the return-picking wizard (``stock.return.picking``) for that move, the return
  validated, and the invoice's reversal wizard (``account.move.reversal``) keeping only the returned
  line with one unit, as a user does it in plain Odoo.

Both paths alternate in chunks of --chunk requests (each path first in turn). Prints ms/request of each
path, SQL queries/request, the ratio cs/core (target <= 1.5) and checks that every cs refund equals what
was invoiced for the unit. With --budget-seconds (counted from the start, setup included), no new pair of
chunks starts once it would end past the budget: the figures then cover the requests done (both paths the
same number).

    python3 bench/aftersales_returns.py --db aftersales_bench [--count 2000] [--lines 10] [--budget-seconds S]

The database needs cs_aftersales installed (demo data not needed).
"""

import sys
import time

import benchlib

TARGET_RATIO = 1.5


def setup(env, args):
    """Customers, products and delivered + invoiced orders (not timed)."""
    from odoo import Command

    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    products = env["product.product"].create(
        [
            {"name": f"退货商品{index:02d}", "type": "consu", "is_storable": True, "list_price": 100.0 + index}
            for index in range(args.lines)
        ]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10 * args.orders)
    partners = env["res.partner"].create(
        [{"name": f"售后客户{index:04d}", "tz": "Asia/Shanghai"} for index in range(args.orders)]
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": product.list_price})
                    for product in products
                ],
            }
            for partner in partners
        ]
    )
    orders.action_confirm()
    pickings = orders.picking_ids
    for move in pickings.move_ids:
        move.quantity = move.product_uom_qty
    pickings.move_ids.picked = True
    pickings._action_done()
    invoices = orders._create_invoices()
    invoices.action_post()
    env.flush_all()
    return warehouse, orders


def cs_return(env, move, warehouse, operation):
    rma = env["rma"].create(
        {
            "partner_id": move.picking_id.partner_id.id,
            "order_id": move.sale_line_id.order_id.id,
            "picking_id": move.picking_id.id,
            "move_id": move.id,
            "product_id": move.product_id.id,
            "product_uom_qty": 1,
            "product_uom": move.product_uom.id,
            "operation_id": operation.id,
            "reason_type": "quality",
            "location_id": warehouse.rma_loc_id.id,
        }
    )
    rma.action_confirm()
    reception = rma.reception_move_id
    reception.quantity = 1
    reception.picked = True
    reception.picking_id._action_done()
    rma.action_inspect_pass()
    return rma


def core_return(env, move):
    picking = move.picking_id
    wizard = (
        env["stock.return.picking"]
        .with_context(active_id=picking.id, active_model="stock.picking")
        .create({"picking_id": picking.id})
    )
    for line in wizard.product_return_moves:
        line.quantity = 1 if line.move_id == move else 0
    returned = wizard._create_return()
    for line in returned.move_ids:
        line.quantity = line.product_uom_qty
    returned.move_ids.picked = True
    returned._action_done()
    invoice = move.sale_line_id.invoice_lines.move_id
    reversal = (
        env["account.move.reversal"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({"journal_id": invoice.journal_id.id, "reason": "退货"})
    )
    refund = env["account.move"].browse(reversal.refund_moves()["res_id"])
    refund.write(
        {
            "invoice_line_ids": [
                (2, line.id) if move.sale_line_id not in line.sale_line_ids else (1, line.id, {"quantity": 1})
                for line in refund.invoice_line_ids
            ]
        }
    )
    return refund


def invoiced_unit(sale_line):
    line = sale_line.invoice_lines.filtered(lambda aml: aml.move_id.move_type == "out_invoice")
    return line.price_total / line.quantity


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=2000, help="returns per path")
    p.add_argument("--lines", type=int, default=10, help="lines per order")
    p.add_argument("--chunk", type=int, default=50, help="requests per path between two switches of path")
    p.add_argument("--budget-seconds", type=float, default=0, help="stop the timed part after this many seconds")
    args = p.parse_args()
    args.orders = 2 * (-(-args.count // args.lines)) + 4  # both paths + a warm-up order each
    started = time.monotonic()  # the budget counts from here: setup included

    with benchlib.environment(args, vacuum_tables=("rma", "stock_move", "account_move", "account_move_line")) as env:
        if "rma" not in env:
            sys.exit("the database lacks cs_aftersales")
        env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True, mail_create_nolog=True))
        env["cs.aftersales.policy"].search([]).active = False
        env["cs.aftersales.policy"].create({"name": "Bench", "return_days": 7})
        operation = env.ref("cs_aftersales.rma_operation_return")
        warehouse, orders = setup(env, args)
        moves_by_order = [order.picking_ids.move_ids for order in orders]
        cs_moves = [m for moves in moves_by_order[0::2] for m in moves]
        core_moves = [m for moves in moves_by_order[1::2] for m in moves]
        # warm-up of both paths (caches, sequences, prepared plans)
        cs_return(env, cs_moves.pop(), warehouse, operation)
        core_return(env, core_moves.pop())
        cs_moves, core_moves = cs_moves[: args.count], core_moves[: args.count]

        cs_set = set(cs_moves)
        cs_sec = core_sec = 0.0
        cs_queries = core_queries = 0
        rmas = env["rma"]
        pair_seconds, done_count = 0.0, 0
        for index, start in enumerate(range(0, args.count, args.chunk)):
            pair_started = time.monotonic()
            if args.budget_seconds and done_count and pair_started - started + pair_seconds > args.budget_seconds:
                break
            pair = (cs_moves[start : start + args.chunk], core_moves[start : start + args.chunk])
            for chunk in pair if index % 2 == 0 else pair[::-1]:
                is_cs = chunk[0] in cs_set
                queries = benchlib.count_queries(env)
                if is_cs:
                    seconds, done = benchlib.timed(
                        env,
                        lambda chunk=chunk: env["rma"].concat(
                            *(cs_return(env, m, warehouse, operation) for m in chunk)
                        ),
                    )
                    cs_sec += seconds
                    cs_queries += benchlib.count_queries(env) - queries
                    rmas |= done
                else:
                    seconds, _refunds = benchlib.timed(env, lambda chunk=chunk: [core_return(env, m) for m in chunk])
                    core_sec += seconds
                    core_queries += benchlib.count_queries(env) - queries
            done_count += len(pair[0])
            pair_seconds = time.monotonic() - pair_started
        cs_moves, core_moves = cs_moves[:done_count], core_moves[:done_count]

        refunded = rmas.filtered(lambda r: r.state == "refunded")
        exact = all(
            abs(rma.refund_id.amount_total - invoiced_unit(rma.move_id.sale_line_id)) < 0.01 for rma in refunded
        )
        count = len(cs_moves)
        cs_ms, core_ms = cs_sec * 1000 / count, core_sec * 1000 / len(core_moves)
        ratio = cs_ms / core_ms
        ok = benchlib.report(
            args,
            "after-sales returns end to end",
            [
                ("returns per path", count),
                ("returns per path asked (--count)", args.count),
                ("cs requests refunded", len(refunded)),
                ("cs ms/request (request, approval, receipt, inspection, refund)", cs_ms),
                ("core ms/return (return wizard, receipt, credit note)", core_ms),
                ("ratio cs/core", ratio),
                ("cs SQL queries/request", cs_queries / count),
                ("core SQL queries/return", core_queries / len(core_moves)),
                ("cs total s", cs_sec),
                ("core total s", core_sec),
            ],
            [
                (f"ratio cs/core <= {TARGET_RATIO}", ratio <= TARGET_RATIO),
                ("every request refunded", len(refunded) == count),
                ("every asked return done (no budget stop)", count == args.count),
                ("each refund equals what was invoiced for the unit", exact),
            ],
        )
        if args.profile:
            sample = [m for moves in moves_by_order[-2:] for m in moves][:50]
            benchlib.timed(
                env, lambda: [cs_return(env, m, warehouse, operation) for m in sample], profile=True, label="cs x50"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
