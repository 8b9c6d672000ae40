import random
from datetime import date, datetime, timedelta

from odoo import Command, models
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.cs_report_rollup import ROLLUP_TZ_PARAM
from .common import CsHelpdeskCase, local_dt

TZ = "Asia/Shanghai"
FIRST_DAY = date(2026, 3, 2)


@tagged("post_install", "-at_install")
class TestReportRollup(CsHelpdeskCase):
    """Reports answered from the rollups give exactly what the raw rows give, through every kind of change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = TZ
        cls.reports = [cls.env[name] for name in ("cs.ticket.report", "cs.complaint.report", "cs.followup.report")]
        for report in cls.reports:
            report._rollup_create_schema()  # the time zone is part of the triggers and the rollups' signature
        cls.team2 = cls.env["cs.ticket.team"].create(
            {"name": "Rollup Team 2", "assignment_method": "manual", "member_ids": [Command.set(cls.agent3.ids)]}
        )
        cls.rng = random.Random(20261129)
        cls.tickets = cls.make_random_tickets(60)

    @classmethod
    def make_random_tickets(cls, count):
        rng = cls.rng
        stages = [cls.stage_new, cls.stage_progress, cls.stage_resolved, cls.stage_closed]
        vals_list = [
            {
                "name": f"包裹 {i}",
                "partner_id": cls.partner.id,
                "team_id": rng.choice([cls.team, cls.team2]).id,
                "user_id": rng.choice([cls.agent1, cls.agent2, cls.agent3, cls.env["res.users"]]).id,
                "channel_id": rng.choice([cls.channel_phone, cls.channel_email, cls.channel_chat]).id,
                "type_id": rng.choice([cls.type_question, cls.type_complaint]).id,
                "category_id": rng.choice([cls.category_repair, cls.category_return]).id,
                "priority": rng.choice("0123"),
            }
            for i in range(count)
        ]
        tickets = cls.env["cs.ticket"].create(vals_list)
        # spread over ten days, some at the very start and end of a local day; measures set as raw SQL would
        for ticket in tickets:
            day = FIRST_DAY + timedelta(days=rng.randrange(10))
            moment = rng.choice([(0, 0, 0), (23, 59, 58), (rng.randrange(24), rng.randrange(60), 0)])
            created = local_dt(day.year, day.month, day.day, *moment)
            responded = created + timedelta(hours=rng.random() * 30) if rng.random() < 0.7 else None
            stage = rng.choice(stages)  # complaints' steps are not the point here: stages set as data
            cls.env.cr.execute(
                SQL(
                    "UPDATE cs_ticket SET create_date = %s, first_response_date = %s, first_response_hours = %s, "
                    "sla_status = %s, reopen_count = %s, stage_id = %s, is_resolved = %s, is_closed = %s "
                    "WHERE id = %s",
                    created,
                    responded,
                    (responded - created).total_seconds() / 3600 if responded else None,
                    rng.choice(["none", "running", "met", "failed"]),
                    rng.choice([0, 0, 0, 1, 2]),
                    stage.id,
                    stage.is_resolved,
                    stage.is_closed,
                    ticket.id,
                )
            )
        tickets.invalidate_recordset()
        return tickets

    # ------------------------------------------------------------------ helpers
    def normalise(self, rows):
        """Rows sorted by their non-float values; floats kept apart to compare them with a tolerance."""

        def value(v):
            return (v._name, tuple(v.ids)) if isinstance(v, models.BaseModel) else v

        rows = [tuple(value(v) for v in row) for row in rows]
        return sorted(rows, key=lambda row: repr([v for v in row if not isinstance(v, float)]))

    def assert_rows_equal(self, rows, expected, message):
        self.assertEqual(len(rows), len(expected), message)
        for row, expected_row in zip(rows, expected):  # noqa: B905
            for v, expected_v in zip(row, expected_row):  # noqa: B905
                if isinstance(v, float) or isinstance(expected_v, float):
                    # averages of float sums added up in another order
                    self.assertAlmostEqual(v, expected_v, delta=1e-9 * max(1.0, abs(expected_v or 0)), msg=message)
                else:
                    self.assertEqual(v, expected_v, message)

    def assert_same(self, report, domain, groupby, aggregates, tz=TZ):
        report = report.with_context(tz=tz)
        key = report._rollup_choose(domain, groupby, aggregates)
        self.assertTrue(key, f"{report._name} {groupby} {aggregates} {domain} should be answered by a rollup")
        from_rollup = report._read_group(domain, groupby, aggregates)
        raw = report.with_context(cs_rollup_off=True)._read_group(domain, groupby, aggregates)
        self.assert_rows_equal(
            self.normalise(from_rollup), self.normalise(raw), f"{report._name} {groupby} {aggregates} {domain}"
        )

    def day_range(self):
        start = FIRST_DAY + timedelta(days=self.rng.randrange(10))
        end = start + timedelta(days=self.rng.randrange(5))
        return [
            ("create_date", ">=", local_dt(start.year, start.month, start.day)),
            ("create_date", "<=", local_dt(end.year, end.month, end.day, 23, 59, 59)),
        ]

    def random_ticket_requests(self, count):
        rng = self.rng
        families = [dims[1:] for dims in self.env["cs.ticket.report"]._rollups.values()]  # all but company_id
        measures = [
            "nbr:sum",
            "first_response_hours:avg",
            "resolution_hours:avg",
            "sla_met:avg",
            "fcr:avg",
            "reopen_count:sum",
        ]
        for _i in range(count):
            dims = rng.choice(families)
            groupby = rng.sample(dims, min(len(dims), rng.randrange(3)))
            if rng.random() < 0.6:
                groupby.append(f"create_date:{rng.choice(['day', 'week', 'month'])}")
            aggregates = ["__count", *rng.sample(measures, rng.randrange(1, 4))]
            domain = []
            if rng.random() < 0.5:
                domain += self.day_range()
            if rng.random() < 0.3:
                domain.append(("team_id", "=", self.team.id))
            if rng.random() < 0.3 and "priority" in dims:
                domain.append(("priority", "in", ["2", "3"]))
            yield domain, groupby, aggregates

    def assert_ticket_reports_agree(self, count=25):
        for domain, groupby, aggregates in self.random_ticket_requests(count):
            self.assert_same(self.env["cs.ticket.report"], domain, groupby, aggregates)

    # ------------------------------------------------------------------ tests
    def test_random_requests_agree_with_raw_rows(self):
        self.assert_ticket_reports_agree()
        self.assert_same(self.env["cs.ticket.report"], [], ["team_id", "create_date:month"], ["__count"])
        self.assert_same(self.env["cs.ticket.report"], [], [], ["__count", "nbr:sum", "fcr:avg"])

    def test_changes_are_seen_at_once(self):
        self.assert_ticket_reports_agree(5)
        tickets = self.tickets
        tickets[:10].write({"team_id": self.team2.id, "user_id": self.agent3.id})  # reassigned
        questions = tickets.filtered(lambda t: t.type_id == self.type_question)
        questions[:10].write({"stage_id": self.stage_resolved.id})  # resolved
        questions[:5].write({"stage_id": self.stage_progress.id})  # reopened
        tickets[20:25].write({"priority": "3", "channel_id": self.channel_chat.id})  # edited
        tickets[25:30].action_archive()  # archived tickets leave the analysis
        tickets[30:35].unlink()  # deleted
        self.make_random_tickets(15)  # new ones, on old and new days
        self.assertTrue(self.env["cs.ticket.report"]._rollup_dirty_days(), "read before the cron: from the raw rows")
        self.assert_ticket_reports_agree()
        self.env["cs.report.mixin"]._cron_sync_rollups()
        self.assertFalse(self.env["cs.ticket.report"]._rollup_dirty_days())
        self.assert_ticket_reports_agree()

    def test_complaint_and_return_visit_analyses_use_rollups(self):
        complaints = self.tickets.filtered(lambda t: t.type_id == self.type_complaint)
        complaints[:3].write({"complaint_severity": "serious"})
        report = self.env["cs.complaint.report"].with_user(self.analyst)
        for groupby in (["team_id", "create_date:month"], ["severity"], ["is_complaint", "channel_id"], ["aspect_id"]):
            self.assert_same(report, [], groupby, ["__count", "complaint_count:sum", "complaint_rate:avg"])
        self.env["cs.followup"].create(
            [
                {
                    "ticket_id": ticket.id,
                    "company_id": ticket.company_id.id,
                    "user_id": self.agent1.id,
                    "date_planned": datetime(2026, 3, 5 + i % 3, 2 + i, 0),
                }
                for i, ticket in enumerate(self.tickets[:6])
            ]
        )
        followups = self.env["cs.followup.report"]
        self.assert_same(
            followups, [], ["user_id", "date_planned:day"], ["__count", "visit_count:sum", "done_rate:avg"]
        )
        self.assert_same(followups, [("state", "=", "planned")], ["team_id"], ["visit_count:sum"])

    def test_requests_a_rollup_cannot_answer_go_to_raw_rows(self):
        report = self.env["cs.ticket.report"].with_context(tz=TZ)
        self.assertFalse(report._rollup_choose([], ["tag_ids"], ["__count"]), "tags are not a rollup dimension")
        self.assertFalse(report._rollup_choose([("name", "ilike", "包裹")], [], ["__count"]), "free-text search")
        self.assertFalse(report._rollup_choose([], ["team_id"], ["first_response_hours:max"]), "max is not kept")
        midday = local_dt(2026, 3, 5, 12, 0)
        self.assertFalse(report._rollup_choose([("create_date", ">=", midday)], [], ["__count"]), "finer than a day")
        self.assertFalse(
            report.with_context(tz="Europe/Paris")._rollup_choose([], ["create_date:day"], ["__count"]),
            "days of another time zone",
        )
        self.assertEqual(report._rollup_choose([], ["channel_id"], ["__count"]), "team", "the smallest that covers")
        self.assertEqual(report._rollup_choose([], ["user_id"], ["__count"]), "agent")
        self.assertFalse(report._rollup_choose([], ["user_id", "category_id"], ["__count"]), "no rollup has both")
        # and the fallback still gives the numbers
        [(count,)] = report._read_group([("name", "ilike", "包裹")], [], ["__count"])
        self.assertEqual(count, self.env["cs.ticket"].search_count([("name", "ilike", "包裹")]))

    def test_time_zone_change_rebuilds_the_rollups(self):
        report = self.env["cs.ticket.report"]
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param(ROLLUP_TZ_PARAM), TZ)
        self.company.partner_id.tz = "Europe/Paris"
        self.env["cs.report.mixin"]._cron_sync_rollups()
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param(ROLLUP_TZ_PARAM), "Europe/Paris")
        self.assert_same(report, [], ["create_date:day"], ["__count"], tz="Europe/Paris")

    def test_one_report_changing_the_time_zone_recreates_the_others(self):
        """A report of an addon installed later creates its schema when the preferred time zone has changed:
        the days of every report (their triggers included) follow, so none reads a day cut in another zone."""
        self.company.partner_id.tz = "America/New_York"
        self.env["cs.followup.report"]._rollup_create_schema()
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param(ROLLUP_TZ_PARAM), "America/New_York")
        # 23:30 in New York is the next day in UTC: a trigger still cutting days in the old zone marks the wrong one
        ticket = self.make_ticket(name="夜间投诉")
        self.env.cr.execute(
            SQL("UPDATE cs_ticket SET create_date = %s WHERE id = %s", datetime(2026, 3, 6, 4, 30), ticket.id)
        )
        self.env.invalidate_all()
        for name in ("cs.ticket.report", "cs.complaint.report"):
            self.assert_same(self.env[name], [], ["team_id"], ["__count"], tz="America/New_York")

    def test_cron_and_rebuild_give_the_same_rollup(self):
        report = self.env["cs.ticket.report"]
        self.tickets[:5].write({"priority": "0"})
        self.env.flush_all()
        dirty = SQL.identifier(report._rollup_dirty_table())
        self.env.cr.execute(SQL("SELECT count(*) FROM %s", dirty))
        self.assertGreater(self.env.cr.fetchone()[0], 0, "the write marked its days dirty")
        self.env["cs.report.mixin"]._cron_sync_rollups()
        self.env.cr.execute(SQL("SELECT count(*) FROM %s", dirty))
        self.assertEqual(self.env.cr.fetchone()[0], 0)

        def content():
            self.env.cr.execute(SQL("SELECT * FROM %s ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10", SQL.identifier(table)))
            return self.normalise(self.env.cr.fetchall())

        for key in report._rollups:
            table = report._rollup_table(key)
            incremental = content()
            self.env["cs.report.mixin"]._rollup_rebuild()
            self.assert_rows_equal(content(), incremental, f"rollup {key}")
