"""`make run`'s demo database is the seeds' Chinese company: China's chart of accounts and CNY amounts."""

import os

import layouts
import pytest


@pytest.fixture
def demo_company_db():
    if not os.environ.get("CS_PGHOST") or not os.environ.get("CS_DB"):
        pytest.skip("run through `make test`: CS_PGHOST and CS_DB are not set")
    db = f"{os.environ['CS_DB']}_cn"
    layouts.drop_copy(db)
    try:
        # Accounting only: the suite's own demo installs the same way on top of it in `make run`
        layouts.csctl.create_demo_db(db, layouts.server_pg(), ["account"])
        yield db
    finally:
        layouts.drop_copy(db)


def test_the_demo_company_books_in_cny_on_the_chinese_chart(demo_company_db):
    ((country, currency, chart),) = layouts.query(
        demo_company_db,
        """SELECT country.code, currency.name, company.chart_template
             FROM res_company company
             JOIN res_partner partner ON partner.id = company.partner_id
             JOIN res_country country ON country.id = partner.country_id
             JOIN res_currency currency ON currency.id = company.currency_id
            WHERE company.id = 1""",
    )
    assert (country, currency) == ("CN", "CNY")
    assert chart in ("cn", "cn_large_bis"), "Accounting did not pick China's localisation (l10n_cn)"
    journals = layouts.query(
        demo_company_db, "SELECT type FROM account_journal WHERE company_id = 1 AND type IN ('sale', 'bank')"
    )
    assert {"sale", "bank"} <= {journal for (journal,) in journals}, "the suite's demo invoices need these journals"
