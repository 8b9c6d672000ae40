from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTicketReport(TransactionCase):
    """The analysis view counts and averages what the tickets say, without dilution."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        cls.env["cs.sla.policy"].search([]).active = False  # each test states its SLA results itself
        cls.leader = new_test_user(cls.env, login="cs_report_leader", groups="cs_helpdesk.group_leader")
        cls.agent = new_test_user(cls.env, login="cs_report_agent", groups="cs_helpdesk.group_agent")
        cls.analyst = new_test_user(cls.env, login="cs_report_analyst", groups="cs_helpdesk.group_analyst")
        cls.other_leader = new_test_user(cls.env, login="cs_report_leader2", groups="cs_helpdesk.group_leader")
        Team = cls.env["cs.ticket.team"]
        cls.team_a = Team.create(
            {
                "name": "Report Team A",
                "assignment_method": "manual",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set(cls.agent.ids)],
            }
        )
        cls.team_b = Team.create(
            {"name": "Report Team B", "assignment_method": "manual", "leader_id": cls.other_leader.id}
        )
        cls.partner = cls.env["res.partner"].create({"name": "赵丽华", "email": "zhao.lihua@example.com"})
        cls.policy = cls.env["cs.sla.policy"].create(
            {"name": "Report test policy", "time_unit": "hours", "first_response_time": 4, "active": False}
        )
        cls.stages = {
            name: cls.env.ref(f"cs_helpdesk.stage_{name}") for name in ("new", "in_progress", "resolved", "closed")
        }

        # team A: 4 active tickets + 1 archived; team B: 1 ticket. Everything is given at creation,
        # so the figures do not depend on what stage changes trigger (rating requests, e-mails).
        cls.t1 = cls._ticket(cls.team_a, "resolved", response=2, resolution=10, sla="met")
        cls.t2 = cls._ticket(cls.team_a, "closed", response=4, resolution=20, sla="failed", reopen=1)
        cls.t3 = cls._ticket(cls.team_a, "in_progress", response=1, sla="running")
        cls.t4 = cls._ticket(cls.team_a, "new")
        cls.t5 = cls._ticket(cls.team_b, "resolved", response=3, resolution=6, sla="met")
        cls.archived = cls._ticket(cls.team_a, "resolved", response=50, resolution=90, sla="failed", active=False)
        cls.tickets = cls.t1 | cls.t2 | cls.t3 | cls.t4 | cls.t5 | cls.archived

    @classmethod
    def _ticket(cls, team, stage, response=None, resolution=None, sla=None, reopen=0, active=True):
        start = cls.env.cr.now()  # the creation date the ORM gives the ticket
        ticket = cls.env["cs.ticket"].create(
            {
                "name": f"Report {stage}",
                "partner_id": cls.partner.id,
                "team_id": team.id,
                "stage_id": cls.stages[stage].id,
                "first_response_date": response is not None and start + timedelta(hours=response),
                "resolved_date": resolution is not None and start + timedelta(hours=resolution),
                "reopen_count": reopen,
                "active": active,
            }
        )
        if sla:
            cls.env["cs.ticket.sla"].create(
                {
                    "ticket_id": ticket.id,
                    "policy_id": cls.policy.id,
                    "kind": "first_response",
                    "status": sla,
                    "deadline": start + timedelta(hours=4),
                    "reached_date": sla != "running" and start + timedelta(hours=response or 0),
                }
            )
        return ticket

    def _groups(self, user=None, groupby=("team_id",)):
        Report = self.env["cs.ticket.report"]
        if user:
            Report = Report.with_user(user)
        return Report._read_group(
            [("ticket_id", "in", self.tickets.ids)],
            list(groupby),
            [
                "__count",
                "nbr:sum",
                "first_response_hours:avg",
                "resolution_hours:avg",
                "sla_met:avg",
                "fcr:avg",
                "reopen_count:sum",
            ],
        )

    @staticmethod
    def _mean(values):
        return sum(values) / len(values)

    def test_fixture(self):
        """The tickets store what the report reads: stage flags, durations from the dates, SLA summary."""
        self.assertEqual((self.t1.is_resolved, self.t2.is_closed, self.t3.is_resolved), (True, True, False))
        self.assertEqual(self.t1.create_date + timedelta(hours=2), self.t1.first_response_date)
        self.assertAlmostEqual(self.t1.first_response_hours, 2, places=4)
        self.assertAlmostEqual(self.t2.resolution_hours, 20, places=4)
        self.assertEqual(
            (self.t1 | self.t2 | self.t3 | self.t4).mapped("sla_status"), ["met", "failed", "running", "none"]
        )

    def test_measures_per_team(self):
        results = {team: values for team, *values in self._groups()}
        self.assertEqual(set(results), {self.team_a, self.team_b}, "archived tickets are left out")

        count, nbr, response, resolution, sla_met, fcr, reopened = results[self.team_a]
        self.assertEqual((count, nbr), (4, 4))
        replied = self.t1 | self.t2 | self.t3  # t4 has no reply yet: it must not count as 0 hours
        self.assertAlmostEqual(response, self._mean(replied.mapped("first_response_hours")), places=4)
        self.assertAlmostEqual(response, (2 + 4 + 1) / 3, places=4, msg="tickets without a reply do not dilute")
        solved = self.t1 | self.t2
        self.assertAlmostEqual(resolution, self._mean(solved.mapped("resolution_hours")), places=4)
        self.assertAlmostEqual(resolution, (10 + 20) / 2, places=4, msg="unresolved tickets do not dilute")
        self.assertAlmostEqual(sla_met, 0.5, msg="one met, one failed; running and no-SLA tickets left out")
        self.assertAlmostEqual(fcr, 0.5, msg="of two resolved tickets one was reopened")
        self.assertEqual(reopened, 1)

        count, nbr, response, resolution, sla_met, fcr, reopened = results[self.team_b]
        self.assertEqual((count, nbr), (1, 1))
        self.assertAlmostEqual(response, 3, places=4)
        self.assertAlmostEqual(resolution, 6, places=4)
        self.assertEqual((sla_met, fcr, reopened), (1.0, 1.0, 0))

    def test_month_grouping_and_totals(self):
        """The pivot's default layout: team rows by creation month."""
        groups = self._groups(groupby=("team_id", "create_date:month"))
        self.assertEqual(sum(group[2] for group in groups), 5)
        self.assertEqual(len(groups), 2, "all tickets were created this month: one cell per team")
        # the web client's path gives the same figures
        web = self.env["cs.ticket.report"].read_group(
            [("ticket_id", "in", self.tickets.ids)], ["nbr:sum", "sla_met:avg"], ["team_id"], lazy=False
        )
        by_team = {group["team_id"][0]: group for group in web}
        self.assertEqual(by_team[self.team_a.id]["nbr"], 4)
        self.assertAlmostEqual(by_team[self.team_a.id]["sla_met"], 0.5)

    def test_report_follows_ticket_changes(self):
        """Pending ORM writes on tickets are flushed before the view is read."""
        self.t4.write({"first_response_date": self.t4.create_date + timedelta(hours=5)})
        results = {team: values for team, *values in self._groups()}
        self.assertAlmostEqual(results[self.team_a][2], (2 + 4 + 1 + 5) / 4, places=4)

    def test_access(self):
        with self.assertRaises(AccessError):
            self._groups(user=self.agent)
        self.assertEqual(sum(group[1] for group in self._groups(user=self.analyst)), 5)
        leader_groups = self._groups(user=self.leader)
        self.assertEqual([group[0] for group in leader_groups], [self.team_a], "a leader sees the teams they lead")
