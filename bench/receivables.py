"""Bulk receivables for the billing benchmarks: customers, posted customer invoices and their
receivable journal items, inserted with one ``INSERT … SELECT generate_series`` each.

The rows carry what accounting would store for a posted, unpaid invoice (move and line
states, residual amounts, due dates, commercial partner), so the ORM and the SQL views read
them as real invoices. Each invoice gets one receivable item (the payment term line) and one
income item, so the journal stays balanced. Random values come from ``random()`` after
``setseed``: a run is repeatable.
"""

from odoo.tools import SQL


class Ledger:
    """The accounts and journal of ``company`` the generated entries use."""

    def __init__(self, env, company=None):
        self.env = env
        self.company = company = company or env.company
        Account = env["account.account"]
        domain = Account._check_company_domain(company)
        self.receivable = Account.search([*domain, ("account_type", "=", "asset_receivable")], limit=1)
        self.income = Account.search([*domain, ("account_type", "=", "income")], limit=1)
        self.journal = env["cs.fee"]._sale_journal(company)
        self.currency = company.currency_id


def insert_customers(env, count, agents=None, prefix="欠费客户"):
    """``count`` company-less customers (their own commercial partner), spread over ``agents``."""
    agent_ids = (agents or env["res.users"]).ids or [None]
    lang = "zh_CN" if env["res.lang"]._get_data(code="zh_CN") else env.lang
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, email, active, type, is_company, autopost_bills,
                                     user_id, cs_service_status, lang, create_uid, write_uid,
                                     create_date, write_date)
            SELECT %s || lpad(g::text, 6, '0'), %s || lpad(g::text, 6, '0'),
                   'bench.arrears' || g || '@example.com', TRUE, 'contact', FALSE, 'ask',
                   (%s::int[])[1 + mod(g, %s)], 'active', %s, %s, %s, now(), now()
              FROM generate_series(1, %s) AS g
            RETURNING id
            """,
            prefix,
            prefix,
            agent_ids,
            len(agent_ids),
            lang,
            env.uid,
            env.uid,
            count,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
    return env["res.partner"].browse(ids)


def insert_invoices(env, ledger, partners, count, due_days, seed=0.42, items_per_invoice=1, prefix="BENCH/"):
    """``count`` posted unpaid customer invoices of ``partners`` (round robin).

    ``due_days`` is SQL over ``r`` (``g`` 1..count, uniform ``r1``, ``r2``): days between the due
    date and today. Each invoice has ``items_per_invoice`` receivable items (instalments, each
    due ``due_days`` + 30 × its rank ago) and one income item. Returns the invoice ids in ``g`` order.
    """
    env.flush_all()
    env.cr.execute(SQL("SELECT setseed(%s)", seed))
    company, journal = ledger.company.id, ledger.journal.id
    env.cr.execute(
        SQL(
            """
            CREATE TEMP TABLE IF NOT EXISTS bench_invoice
                (g int, partner_id int, amount numeric, due date, move_id int);
            TRUNCATE bench_invoice;
            INSERT INTO bench_invoice (g, partner_id, amount, due)
            SELECT r.g, (%s::int[])[1 + mod(r.g - 1, %s)], (100 + floor(r.r1 * 1900))::numeric,
                   CURRENT_DATE - (%s)::int
              FROM (SELECT g, random() AS r1, random() AS r2 FROM generate_series(1, %s) AS g) AS r
            """,
            partners.ids,
            len(partners),
            due_days,
            count,
        )
    )
    env.cr.execute(
        SQL(
            """
            WITH moves AS (
                INSERT INTO account_move (name, move_type, state, journal_id, company_id, currency_id, partner_id,
                                          commercial_partner_id, date, invoice_date, invoice_date_due, auto_post,
                                          payment_state, amount_untaxed, amount_tax, amount_total,
                                          amount_residual, amount_untaxed_signed, amount_total_signed,
                                          amount_residual_signed, amount_total_in_currency_signed,
                                          sequence_prefix, sequence_number, invoice_origin,
                                          create_uid, write_uid, create_date, write_date)
                SELECT %s || lpad(b.g::text, 8, '0'), 'out_invoice', 'posted', %s, %s, %s, b.partner_id,
                       b.partner_id, b.due - 15, b.due - 15, b.due, 'no', 'not_paid', b.amount, 0, b.amount,
                       b.amount, b.amount, b.amount, b.amount, b.amount, %s, b.g, 'bench ' || b.g,
                       %s, %s, now(), now()
                  FROM bench_invoice b
                 ORDER BY b.g
                RETURNING id, sequence_number
            )
            UPDATE bench_invoice b SET move_id = moves.id FROM moves WHERE moves.sequence_number = b.g
            """,
            prefix,
            journal,
            company,
            ledger.currency.id,
            prefix,
            env.uid,
            env.uid,
        )
    )
    common = SQL(
        """b.move_id, m.name, %s, %s, %s, %s, b.partner_id, m.date, 'posted', %s, %s, now(), now()""",
        journal,
        company,
        ledger.currency.id,
        ledger.currency.id,
        env.uid,
        env.uid,
    )
    columns = SQL(
        """move_id, move_name, journal_id, company_id, currency_id, company_currency_id, partner_id, date,
           parent_state, create_uid, write_uid, create_date, write_date"""
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO account_move_line (%s, account_id, display_type, name, date_maturity, debit, credit,
                                           balance, amount_currency, amount_residual, amount_residual_currency,
                                           reconciled, sequence)
            SELECT %s, %s, 'payment_term', m.name || '-' || k, b.due - 30 * (k - 1),
                   round(b.amount / %s, 2), 0, round(b.amount / %s, 2), round(b.amount / %s, 2),
                   round(b.amount / %s, 2), round(b.amount / %s, 2), FALSE, 10 + k
              FROM bench_invoice b
              JOIN account_move m ON m.id = b.move_id
             CROSS JOIN generate_series(1, %s) AS k
            """,
            columns,
            common,
            ledger.receivable.id,
            *([items_per_invoice] * 5),
            items_per_invoice,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO account_move_line (%s, account_id, display_type, name, debit, credit, balance,
                                           amount_currency, amount_residual, amount_residual_currency,
                                           reconciled, sequence, quantity, price_unit, price_subtotal, price_total)
            SELECT %s, %s, 'product', '维修服务费', 0, round(b.amount / %s, 2) * %s, -round(b.amount / %s, 2) * %s,
                   -round(b.amount / %s, 2) * %s, 0, 0, FALSE, 1, 1, b.amount, b.amount, b.amount
              FROM bench_invoice b
              JOIN account_move m ON m.id = b.move_id
            """,
            columns,
            common,
            ledger.income.id,
            *([items_per_invoice] * 6),
        )
    )
    env.cr.execute("SELECT move_id FROM bench_invoice ORDER BY g")
    return [row[0] for row in env.cr.fetchall()]
