from datetime import date, datetime, timedelta

from freezegun import freeze_time
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

MONDAY = date(2026, 6, 1)


@tagged("post_install", "-at_install")
class TestRoster(TransactionCase):
    """A team in Shanghai (UTC+8) with a leader and three agents; early 9-18 and late 16-24 shifts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True, tracking_disable=True)
        )

        def user(login, groups="cs_helpdesk.group_agent"):
            return new_test_user(cls.env, login=login, groups=groups, tz="Asia/Shanghai")

        cls.leader = user("roster_leader", "cs_helpdesk.group_leader")
        cls.other_leader = user("roster_other_leader", "cs_helpdesk.group_leader")
        cls.agent_a = user("roster_a")
        cls.agent_b = user("roster_b")
        cls.agent_c = user("roster_c")
        cls.calendar = cls.env["resource.calendar"].create({"name": "Shanghai", "tz": "Asia/Shanghai"})
        cls.team = cls.env["cs.ticket.team"].create(
            {
                "name": "Roster Team",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set((cls.agent_a | cls.agent_b | cls.agent_c).ids)],
                "assignment_method": "round_robin",
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.other_team = cls.env["cs.ticket.team"].create(
            {
                "name": "Other Roster Team",
                "leader_id": cls.other_leader.id,
                "member_ids": [Command.set(cls.agent_a.ids)],
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.early = cls.env.ref("cs_training.cs_shift_early")
        cls.late = cls.env.ref("cs_training.cs_shift_late")
        cls.partner = cls.env["res.partner"].create({"name": "排班客户"})

    def roster(self, lines, team=None, user=None):
        Roster = self.env["cs.roster"].with_user(user) if user else self.env["cs.roster"]
        return Roster.create(
            {
                "team_id": (team or self.team).id,
                "week_start": MONDAY,
                "line_ids": [
                    Command.create({"user_id": agent.id, "date": MONDAY + timedelta(days=day), "shift_id": shift.id})
                    for agent, day, shift in lines
                ],
            }
        )

    def week(self, agent, shift, days=(0, 1, 2, 3, 4, 5)):
        return [(agent, day, shift) for day in days]

    def tickets(self, count=1):
        return self.env["cs.ticket"].create(
            [{"name": "排班测试", "partner_id": self.partner.id, "team_id": self.team.id} for __ in range(count)]
        )

    # ------------------------------------------------------------------ shifts
    def test_seed_shifts_in_local_time(self):
        self.assertEqual((self.early.start_hour, self.early.end_hour, self.early.work_hours), (9.0, 18.0, 8.0))
        self.assertEqual((self.late.duration, self.late.work_hours), (8.0, 8.0))
        roster = self.roster([(self.agent_a, 0, self.early), (self.agent_b, 0, self.late)])
        early, late = roster.line_ids
        self.assertEqual(early.start_datetime, datetime(2026, 6, 1, 1, 0))
        self.assertEqual(early.end_datetime, datetime(2026, 6, 1, 10, 0))
        # 16:00-00:00 ends at midnight of the next day
        self.assertEqual(late.start_datetime, datetime(2026, 6, 1, 8, 0))
        self.assertEqual(late.end_datetime, datetime(2026, 6, 1, 16, 0))

    # ------------------------------------------------------------------ checks
    def test_publish_needs_weekly_rest_day(self):
        roster = self.roster(self.week(self.agent_a, self.early, range(7)))
        with self.assertRaises(ValidationError) as caught:
            roster.action_publish()
        self.assertIn("no weekly rest day", str(caught.exception))
        self.assertEqual(roster.state, "draft")
        roster.line_ids.filtered(lambda line: line.date == MONDAY + timedelta(days=6)).unlink()
        roster.action_publish()
        self.assertEqual(roster.state, "published")

    def test_rest_days_are_a_setting(self):
        self.env["ir.config_parameter"].set_param("cs_training.roster_rest_days", "2")
        roster = self.roster(self.week(self.agent_a, self.early, range(6)))
        with self.assertRaises(ValidationError):
            roster.action_publish()

    def test_overlapping_shifts_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.roster([(self.agent_a, 0, self.early), (self.agent_a, 0, self.late)])
        self.assertIn("overlapping", str(caught.exception))
        # late on Monday until midnight, early on Tuesday from 9:00: no overlap
        roster = self.roster([(self.agent_a, 0, self.late), (self.agent_a, 1, self.early)])
        self.assertEqual(len(roster.line_ids), 2)

    def test_overlap_across_teams(self):
        self.roster([(self.agent_a, 2, self.early)])
        with self.assertRaises(ValidationError) as caught:
            self.roster([(self.agent_a, 2, self.late)], team=self.other_team)
        self.assertIn("Roster Team", str(caught.exception))

    def test_line_outside_week_or_team_refused(self):
        outsider = new_test_user(self.env, login="roster_outsider", groups="cs_helpdesk.group_agent")
        with self.assertRaises(ValidationError):
            self.roster([(outsider, 0, self.early)])
        with self.assertRaises(ValidationError):
            self.roster([(self.agent_a, 7, self.early)])

    def test_coverage_against_ticket_history(self):
        """40 tickets every Monday 10:00-11:00 (local) for 4 weeks, 6 tickets per agent hour: 7 agents needed."""
        tickets = self.tickets(160)
        for week in range(4):
            stamp = datetime(2026, 5, 25, 2, 30) - timedelta(weeks=week)  # Monday 10:30 in Shanghai
            ids = tuple(tickets[week * 40 : (week + 1) * 40].ids)
            self.env.cr.execute("UPDATE cs_ticket SET create_date = %s WHERE id IN %s", (stamp, ids))
        tickets.invalidate_recordset(["create_date"])
        roster = self.roster([(self.agent_a, 0, self.early), (self.agent_b, 0, self.early)])
        gaps = roster._coverage_gaps()
        self.assertEqual(gaps, [(0, 10, 40.0, 7, 2)])
        self.assertEqual(roster.understaffed_hours, 1)
        self.assertIn("10:00", roster.coverage_html)
        self.env["ir.config_parameter"].set_param("cs_training.tickets_per_agent_hour", "20")
        roster.invalidate_recordset(["understaffed_hours"])
        self.assertEqual(roster.understaffed_hours, 0)

    # ------------------------------------------------------------------ assignment
    def publish_day(self):
        """Monday: A early (9-18), B late (16-24), C early but on leave all day."""
        roster = self.roster(
            [(self.agent_a, 0, self.early), (self.agent_b, 0, self.late), (self.agent_c, 0, self.early)]
        )
        roster.action_publish()
        leave_type = self.env["hr.leave.type"].create(
            {"name": "事假", "requires_allocation": "no", "leave_validation_type": "no_validation"}
        )
        employee = self.env["hr.employee"].create(
            {"name": "休假客服", "user_id": self.agent_c.id, "tz": "Asia/Shanghai"}
        )
        leave = self.env["hr.leave"].create(
            {
                "employee_id": employee.id,
                "holiday_status_id": leave_type.id,
                "request_date_from": MONDAY,
                "request_date_to": MONDAY,
            }
        )
        if leave.state != "validate":
            leave.sudo().action_validate()
        self.assertEqual(leave.state, "validate")
        return roster

    def check_assignment(self, method):
        self.team.assignment_method = method
        self.publish_day()
        with freeze_time("2026-06-01 02:00:00"):  # 10:00 local: A on shift, C on leave, B not yet
            self.assertEqual(self.team._assignable_members(), self.agent_a)
            self.assertEqual(self.tickets(3).user_id, self.agent_a)
        with freeze_time("2026-06-01 08:30:00"):  # 16:30 local: A and B
            self.assertEqual(self.tickets(4).user_id, self.agent_a | self.agent_b)
        with freeze_time("2026-06-01 13:00:00"):  # 21:00 local: only B
            self.assertEqual(self.tickets(2).user_id, self.agent_b)
        with freeze_time("2026-06-01 17:00:00"):  # 01:00 local Tuesday: nobody on shift, tickets wait
            self.assertFalse(self.tickets(1).user_id)

    def test_round_robin_skips_off_shift_agents(self):
        self.check_assignment("round_robin")

    def test_balanced_skips_off_shift_agents(self):
        self.check_assignment("balanced")

    def test_skill_skips_off_shift_agents(self):
        self.check_assignment("skill")

    def test_team_without_roster_keeps_assigning_everyone(self):
        self.team.assignment_method = "round_robin"
        with freeze_time("2026-06-01 17:00:00"):
            self.assertEqual(self.team._assignable_members(), self.agent_a | self.agent_b | self.agent_c)
            self.assertEqual(len(self.tickets(3).user_id), 3)

    def test_draft_roster_does_not_filter(self):
        self.team.assignment_method = "round_robin"
        self.roster([(self.agent_a, 0, self.early)])
        with freeze_time("2026-06-01 02:00:00"):
            self.assertEqual(len(self.team._assignable_members()), 3)

    # ------------------------------------------------------------------ security
    def test_leader_manages_only_own_team_rosters(self):
        roster = self.roster([(self.agent_a, 0, self.early)], user=self.leader)
        roster.action_publish()
        with self.assertRaises(AccessError):
            self.env["cs.roster"].with_user(self.other_leader).create(
                {"team_id": self.team.id, "week_start": MONDAY + timedelta(days=7)}
            )
        with self.assertRaises(AccessError):
            roster.with_user(self.other_leader).read(["state"])
        self.assertEqual(roster.with_user(self.agent_b).line_ids.user_id, self.agent_a)
        with self.assertRaises(AccessError):
            roster.with_user(self.agent_b).write({"state": "draft"})

    def test_handover_acknowledged_by_receiver_only(self):
        handover = (
            self.env["cs.shift.handover"]
            .with_user(self.agent_a)
            .create({"team_id": self.team.id, "to_user_id": self.agent_b.id, "note": "<p>回访 3 位客户</p>"})
        )
        with self.assertRaises(UserError):
            handover.action_acknowledge()
        self.assertFalse(self.env["cs.shift.handover"].with_user(self.agent_c).search([]))
        handover.with_user(self.agent_b).action_acknowledge()
        self.assertEqual(handover.state, "acknowledged")

    def test_assignable_members_query_count(self):
        """Members, roster and leaves read in batch: a fixed number of queries, whatever the team size."""
        self.publish_day()
        self.env.invalidate_all()
        with freeze_time("2026-06-01 02:00:00"), self.assertQueryCount(8):
            self.assertEqual(self.team._assignable_members(), self.agent_a)
