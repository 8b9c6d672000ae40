#!/usr/bin/env python3
"""The daily arrears run (清欠) over 5,000 and 50,000 overdue invoices.

For each scale, customers (5 invoices each, spread over 10 agents) and posted, unpaid
customer invoices are bulk inserted (SQL), all overdue, with the reminder history each
invoice would have: ``--moving-share`` (default 1, the worst case) of them reach their next
level today, spread evenly over the levels of the company's policy (the demo ladder: phone
call by the agent, letter, service suspension, legal action); the others were reminded too
recently to move. ``credit.control.run._cron_cs_daily_run()`` is then timed: OCA credit
control's level computation plus the customer-service actions (call activities for the
agents, suspensions, legal cases).

References in the same run, on the same data (each from the same savepoint):
OCA's own run (``credit.control.run._generate_credit_lines`` with OCA's line creation, which
cs_billing replaces by a batched one: the same reminder lines, without the customer-service
actions) and Odoo core's ``mail.activity`` batch create
(one call activity per invoice reaching the phone level), in ms per record.
Targets: 50k invoices in < 60 s; time(50k) / time(5k) <= 12.

    python3 bench/bench_arrears.py --db billing_bench [--scales 5000,50000] [--moving-share 1]

The database needs cs_billing (with or without demo data) and a chart of accounts.
"""

import contextlib
import sys
import time
from unittest.mock import patch

import benchlib
import receivables
from odoo.tools import SQL

TARGET_50K_SECONDS = 60
TARGET_SCALING = 12
INVOICES_PER_CUSTOMER = 5


def policy_of(env, ledger):
    """The company's policy; the demo ladder when it has none (a database without demo data)."""
    from odoo import Command

    company = ledger.company
    policy = company.credit_policy_id
    if policy and policy.level_ids:
        return policy
    Level = env["credit.control.policy.level"]
    levels = [
        (1, "逾期提醒：坐席电话催缴", "net_days", 10, "phone", "phone"),
        (2, "二次催缴：书面通知", "previous_date", 15, "letter", False),
        (3, "暂停付费服务", "previous_date", 15, "letter", "suspend"),
        (4, "准备起诉", "previous_date", 30, "letter", "legal"),
    ]
    policy = env["credit.control.policy"].create(
        {
            "name": "Bench 清欠",
            "company_id": company.id,
            "account_ids": [Command.set(ledger.receivable.ids)],
            "level_ids": [Command.create(Level._cs_level_values(*values)) for values in levels],
        }
    )
    company.credit_policy_id = policy
    return policy


def generate(env, ledger, policy, agents, count, moving_share, seed):
    """``count`` overdue invoices with their reminder history; returns the invoice ids."""
    levels = policy.level_ids.sorted("level")
    gap = max(levels.mapped("delay_days")) + 1
    customers = receivables.insert_customers(env, max(count // INVOICES_PER_CUSTOMER, 1), agents)
    # target level t = 1 + (g mod levels): history lines for the levels below t, the last one `gap`
    # days ago (moving) or 1 day ago (not due for the next level yet); due dates before the history
    n = len(levels)
    due = SQL("%s + %s * mod(r.g, %s) + floor(r.r2 * 20)", levels[0].delay_days + 1, gap, n)
    invoice_ids = receivables.insert_invoices(env, ledger, customers, count, due, seed=seed)
    env.cr.execute(
        SQL(
            """
            INSERT INTO credit_control_line (date, date_due, date_entry, date_sent, state, channel, invoice_id,
                                             partner_id, commercial_partner_id, amount_due, balance_due,
                                             move_line_id, account_id, currency_id, company_id,
                                             policy_level_id, policy_id, level, manual_followup, cs_agent_id,
                                             create_uid, write_uid, create_date, write_date)
            SELECT CURRENT_DATE - CASE WHEN mod(b.g, 1000) < %s * 1000
                                       THEN %s * (t.level - lv.level) ELSE 1 + %s * (t.level - lv.level - 1) END,
                   l.date_maturity, l.date, CURRENT_DATE - 1, 'sent', lv.channel, l.move_id,
                   l.partner_id, l.partner_id, l.debit, l.amount_residual, l.id, l.account_id, l.currency_id,
                   l.company_id, lv.id, lv.policy_id, lv.level, FALSE, p.user_id, %s, %s, now(), now()
              FROM bench_invoice b
              JOIN account_move_line l ON l.move_id = b.move_id AND l.display_type = 'payment_term'
              JOIN res_partner p ON p.id = l.partner_id
              JOIN LATERAL (SELECT 1 + mod(b.g, %s) AS level) t ON TRUE
              JOIN credit_control_policy_level lv ON lv.policy_id = %s AND lv.level < t.level
             ORDER BY b.g, lv.level
            """,
            moving_share,
            gap,
            gap,
            env.uid,
            env.uid,
            n,
            policy.id,
        )
    )
    env.cr.execute("ANALYZE account_move; ANALYZE account_move_line; ANALYZE credit_control_line; ANALYZE res_partner")
    return invoice_ids


def cs_run(env):
    return env["credit.control.run"]._cron_cs_daily_run()


def oca_run(env, ledger, policy):
    """OCA's run with OCA's own line creation (cs_billing replaces it by a batched one)."""
    from odoo import Command, fields
    from odoo.addons.account_credit_control.models.credit_control_line import CreditControlLine as OcaLine

    model = type(env["credit.control.line"])
    run = env["credit.control.run"].create(
        {
            "date": fields.Date.context_today(env["credit.control.run"]),
            "company_id": ledger.company.id,
            "policy_ids": [Command.set(policy.ids)],
        }
    )
    with (
        patch.object(model, "create_or_update_from_mv_lines", OcaLine.create_or_update_from_mv_lines),
        patch.object(model, "_prepare_from_move_line", OcaLine._prepare_from_move_line),
    ):
        return run._generate_credit_lines()


def core_reference(env, lines):
    """Odoo's own per-record follow-up work: one call activity per reminder line, batch created."""
    call = env.ref("mail.mail_activity_data_call")
    model_id = env["ir.model"]._get_id("credit.control.line")
    values = [
        {
            "res_model_id": model_id,
            "res_id": line.id,
            "activity_type_id": call.id,
            "user_id": line.partner_id.user_id.id or env.uid,
            "summary": "欠费催缴电话",
        }
        for line in lines
    ]
    seconds, _res = benchlib.timed(env, lambda: env["mail.activity"].create(values))
    return seconds * 1000 / max(len(values), 1)


def main():
    p = benchlib.parser(__doc__.splitlines()[0])
    p.add_argument("--scales", default="5000,50000", help="comma-separated invoice counts (default 5000,50000)")
    p.add_argument(
        "--moving-share",
        type=float,
        default=1.0,
        help="share of the invoices reaching their next level today (default 1: the worst case)",
    )
    p.add_argument("--seed", type=float, default=0.42)
    args = p.parse_args()
    scales = [int(s) for s in args.scales.split(",")]

    rows, verdicts, seconds_by_scale = [], [], {}
    tables = ["account_move", "account_move_line", "credit_control_line", "res_partner", "mail_activity"]
    with benchlib.environment(args, vacuum_tables=tables, modules=("cs_billing",)) as env:
        ledger = receivables.Ledger(env)
        policy = policy_of(env, ledger)
        agents = env["res.users"].search([("share", "=", False)], limit=10)
        for count in scales:
            with contextlib.closing(env.cr.savepoint()):
                gen_start = time.perf_counter()
                generate(env, ledger, policy, agents, count, args.moving_share, args.seed)
                gen_seconds = time.perf_counter() - gen_start
                env.invalidate_all()
                with contextlib.closing(env.cr.savepoint()):
                    queries = benchlib.count_queries(env)
                    cs_seconds, lines = benchlib.timed(
                        env, lambda: cs_run(env), profile=args.profile, label=f"arrears run x{count}"
                    )
                    cs_queries = benchlib.count_queries(env) - queries
                    lines = lines.filtered(lambda line: line.company_id == ledger.company)
                    by_level = {level: len(lines.filtered(lambda x, lv=level: x.level == lv)) for level in (1, 2, 3, 4)}
                    phone = lines.filtered(lambda line: line.cs_action == "phone")
                    activities = env["mail.activity"].search_count(
                        [("res_model", "=", "credit.control.line"), ("res_id", "in", phone.ids)]
                    )
                    cases = env["cs.legal.case"].search_count([("invoice_ids", "in", lines.invoice_id.ids)])
                    suspended = len(
                        lines.filtered(lambda x: x.cs_action == "suspend").partner_id.filtered(
                            lambda p: p.cs_service_status == "suspended"
                        )
                    )
                    core_ms = core_reference(env, phone[:2000])
                    again_seconds, again = benchlib.timed(env, lambda: cs_run(env))
                    again = again.filtered(lambda line: line.company_id == ledger.company)
                    env.invalidate_all(flush=False)
                with contextlib.closing(env.cr.savepoint()):
                    oca_seconds, oca_lines = benchlib.timed(env, lambda: oca_run(env, ledger, policy))
                    oca_count = len(oca_lines)
                    env.invalidate_all(flush=False)
                env.invalidate_all(flush=False)
            seconds_by_scale[count] = cs_seconds
            tag = f"[{count:,}]"
            rows += [
                (f"{tag} generated in s", gen_seconds),
                (
                    f"{tag} reminders created (levels 1/2/3/4)",
                    f"{len(lines)} ({'/'.join(map(str, by_level.values()))})",
                ),
                (f"{tag} call activities / suspended customers / legal cases", f"{activities} / {suspended} / {cases}"),
                (f"{tag} cs daily run s", cs_seconds),
                (f"{tag} cs ms/invoice", cs_seconds * 1000 / count),
                (f"{tag} cs SQL queries/invoice", cs_queries / count),
                (f"{tag} OCA run s (same lines, no cs actions)", oca_seconds),
                (f"{tag} ratio cs / OCA", cs_seconds / oca_seconds),
                (f"{tag} re-run the same day s (creates {len(again)})", again_seconds),
                (f"{tag} core mail.activity create ms/record", core_ms),
                (f"{tag} ratio cs ms/reminder / core ms/activity", cs_seconds * 1000 / max(len(lines), 1) / core_ms),
            ]
            verdicts.append((f"{tag} every moving invoice reminded once", len(lines) == oca_count))
            verdicts.append((f"{tag} a re-run creates nothing", not again))
        big, small = max(scales), min(scales)
        if big >= 50000:
            verdicts.append(
                (f"{big:,} invoices in < {TARGET_50K_SECONDS} s", seconds_by_scale[big] < TARGET_50K_SECONDS)
            )
        if big != small:
            scaling = seconds_by_scale[big] / seconds_by_scale[small]
            rows.append((f"time ratio {big:,} / {small:,} (invoices x{big // small})", scaling))
            verdicts.append(
                (f"time ratio <= {TARGET_SCALING * big // small // 10}", scaling <= TARGET_SCALING * big / small / 10)
            )
        ok = benchlib.report(args, "daily arrears run", rows, verdicts)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
