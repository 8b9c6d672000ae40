"""Reading cs_quality's KPI snapshots for agents, shared by performance reviews and weekly reports."""


def agent_snapshots(env, company, period_type, date_start, users, fields, recompute=False):
    """{user id: {field: value}} of the agent rows of the snapshot period starting ``date_start``.

    The period is created and computed when missing or not computed yet (or when ``recompute``).
    """
    Period = env["cs.kpi.period"].sudo()
    period = Period.search(
        [("company_id", "=", company.id), ("period_type", "=", period_type), ("date_start", "=", date_start)]
    ) or Period._ensure(company, date_start, [period_type])
    if recompute or period.state != "done":
        period._compute_snapshots()
    rows = (
        env["cs.kpi.snapshot"]
        .sudo()
        .search_read(
            [("period_id", "=", period.id), ("scope", "=", "agent"), ("user_id", "in", users.ids)],
            ["user_id", *fields],
        )
    )
    return {row["user_id"][0]: row for row in rows}
