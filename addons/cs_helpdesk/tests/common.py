from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

import pytz
from freezegun import freeze_time
from odoo import Command
from odoo.tests import TransactionCase, new_test_user

SHANGHAI = pytz.timezone("Asia/Shanghai")


def local_dt(*args):
    """Naive UTC datetime of a wall-clock time in Shanghai, as the ORM stores it."""
    return SHANGHAI.localize(datetime(*args)).astimezone(pytz.utc).replace(tzinfo=None)


class CsHelpdeskCase(TransactionCase):
    """Shared fixture: a team working Mon–Fri 9:00–12:00 and 13:00–18:00 in Shanghai.

    The policies seeded by the module are archived so each test states the
    policies it relies on; the stages come from the module's data (not demo).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.env["cs.sla.policy"].search([]).active = False

        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "CS Shanghai 9-12 13-18",
                "company_id": cls.company.id,
                "tz": "Asia/Shanghai",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in ((9, 12, "morning"), (13, 18, "afternoon"))
                ],
            }
        )

        def user(login, groups, **kw):
            return new_test_user(
                cls.env, login=login, groups=groups, tz="Asia/Shanghai", notification_type="inbox", **kw
            )

        cls.manager = user("cs_test_manager", "cs_helpdesk.group_manager")
        cls.leader = user("cs_test_leader", "cs_helpdesk.group_leader")
        cls.agent1 = user("cs_test_agent1", "cs_helpdesk.group_agent")
        cls.agent2 = user("cs_test_agent2", "cs_helpdesk.group_agent")
        cls.agent3 = user("cs_test_agent3", "cs_helpdesk.group_agent")
        cls.analyst = user("cs_test_analyst", "cs_helpdesk.group_analyst")
        cls.agents = cls.agent1 | cls.agent2 | cls.agent3

        cls.team = cls.env["cs.ticket.team"].create(
            {
                "name": "SLA Test Team",
                "company_id": cls.company.id,
                "leader_id": cls.leader.id,
                "member_ids": [Command.set(cls.agents.ids)],
                "resource_calendar_id": cls.calendar.id,
                "assignment_method": "manual",
            }
        )
        cls.vip_tag = cls.env["res.partner.category"].create({"name": "CS Test VIP"})
        cls.partner = cls.env["res.partner"].create(
            {"name": "王小明", "email": "xiaoming.wang@example.com", "phone": "+86 138 0000 0000"}
        )
        cls.vip_partner = cls.env["res.partner"].create(
            {"name": "VIP 客户", "email": "vip@example.com", "category_id": [Command.link(cls.vip_tag.id)]}
        )

        Channel = cls.env["cs.ticket.channel"]
        cls.channel_phone = Channel.create({"name": "Test Hotline", "channel_type": "phone"})
        cls.channel_email = Channel.create({"name": "Test Email", "channel_type": "email"})
        cls.channel_chat = Channel.create({"name": "Test Chat", "channel_type": "chat"})
        cls.type_complaint = cls.env["cs.ticket.type"].create({"name": "Test Complaint", "code": "complaint"})
        cls.type_question = cls.env["cs.ticket.type"].create({"name": "Test Question", "code": "consultation"})
        cls.category_repair = cls.env["cs.ticket.category"].create({"name": "Test Repair"})
        cls.category_return = cls.env["cs.ticket.category"].create({"name": "Test Return"})
        cls.tag_invoice = cls.env["cs.ticket.tag"].create({"name": "CS Test Invoice"})

        cls.stage_new = cls.env.ref("cs_helpdesk.stage_new")
        cls.stage_progress = cls.env.ref("cs_helpdesk.stage_in_progress")
        cls.stage_waiting = cls.env.ref("cs_helpdesk.stage_waiting")
        cls.stage_resolved = cls.env.ref("cs_helpdesk.stage_resolved")
        cls.stage_closed = cls.env.ref("cs_helpdesk.stage_closed")

    # ------------------------------------------------------------------ helpers
    @contextmanager
    def mock_now(self, when):
        """Freeze ``fields.Datetime.now()`` and the transaction's NOW (create_date) at naive UTC ``when``."""
        with freeze_time(when), patch.object(self.env.cr, "now", lambda: when):
            yield

    @classmethod
    def make_policy(cls, **values):
        values.setdefault("name", "Test policy")
        values.setdefault("company_id", cls.company.id)
        return cls.env["cs.sla.policy"].create(values)

    def make_ticket(self, **values):
        return self.make_tickets([values])

    def make_tickets(self, vals_list, user=None):
        Ticket = self.env["cs.ticket"].with_user(user) if user else self.env["cs.ticket"]
        defaults = {"name": "包裹未收到", "partner_id": self.partner.id, "team_id": self.team.id}
        return Ticket.create([dict(defaults, **values) for values in vals_list])

    def sla_line(self, ticket, policy, kind):
        line = ticket.sla_ids.filtered(lambda s: s.policy_id == policy and s.kind == kind)
        self.assertEqual(len(line), 1, f"expected one {kind} line of {policy.name}")
        return line
