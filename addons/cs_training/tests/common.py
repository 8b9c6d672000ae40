from odoo.tests import TransactionCase, new_test_user


class CsIncentiveCase(TransactionCase):
    """A manager, a team leader with one agent in their team, an agent of another team and a trainer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))

        def user(login, groups):
            return new_test_user(cls.env, login=login, groups=groups, tz="Asia/Shanghai")

        cls.manager = user("inc_manager", "cs_helpdesk.group_manager")
        cls.manager2 = user("inc_manager2", "cs_helpdesk.group_manager")
        cls.leader = user("inc_leader", "cs_helpdesk.group_leader")
        cls.agent = user("inc_agent", "cs_helpdesk.group_agent")
        cls.other_agent = user("inc_other_agent", "cs_helpdesk.group_agent")
        cls.trainer = user("inc_trainer", "cs_training.group_trainer")
        Team = cls.env["cs.ticket.team"]
        Team.create({"name": "Incentive Team", "leader_id": cls.leader.id, "member_ids": [(6, 0, cls.agent.ids)]})
        Team.create({"name": "Other Team", "member_ids": [(6, 0, cls.other_agent.ids)]})
        Employee = cls.env["hr.employee"]
        cls.emp_agent = Employee.create({"name": "张小客", "user_id": cls.agent.id})
        cls.emp_other = Employee.create({"name": "刘小服", "user_id": cls.other_agent.id})
        cls.emp_manager = Employee.create({"name": "王经理", "user_id": cls.manager.id})

        Rule = cls.env["cs.incentive.rule"]
        cls.rule_nth = Rule.create(
            {"code": "T-P1", "name": "Test penalty", "kind": "penalty", "amount": 15, "escalation": "every_nth"}
        )
        cls.rule_range = Rule.create(
            {
                "code": "T-R5",
                "name": "Test reward",
                "kind": "reward",
                "amount_type": "range",
                "amount_min": 30,
                "amount_max": 300,
                "escalation": "every_nth",
            }
        )
        cls.rule_progressive = Rule.create(
            {
                "code": "T-EC",
                "name": "Test complaint fine",
                "kind": "penalty",
                "amount": 20,
                "escalation": "progressive",
            }
        )

    def record(self, rule, date, employee=None, user=None, **values):
        Record = self.env["cs.incentive.record"]
        if user:
            Record = Record.with_user(user)
        return Record.create(
            {"employee_id": (employee or self.emp_agent).id, "rule_id": rule.id, "date": date, **values}
        )

    def approved(self, rule, date, **values):
        record = self.record(rule, date, **values)
        record.with_user(self.manager).action_approve()
        return record
