from freezegun import freeze_time
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged


class CsTrainingCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        cls.trainer = new_test_user(cls.env, login="trn_trainer", groups="cs_training.group_trainer")
        cls.agent = new_test_user(cls.env, login="trn_agent", groups="cs_helpdesk.group_agent")
        cls.other = new_test_user(cls.env, login="trn_other", groups="cs_helpdesk.group_agent")
        cls.emp_agent = cls.env["hr.employee"].create({"name": "新客服", "user_id": cls.agent.id})
        cls.emp_other = cls.env["hr.employee"].create({"name": "老客服", "user_id": cls.other.id})
        cls.env["ir.config_parameter"].set_param("cs_training.pass_mark", "70")
        cls.env["ir.config_parameter"].set_param("cs_training.exam_attempts", "2")
        Course = cls.env["cs.training.course"].with_user(cls.trainer)
        cls.course = Course.create({"name": "投诉处理", "category": "complaint", "mode": "role_play"})
        cls.course.action_create_exam()
        cls.survey = cls.course.survey_id
        cls.question = cls.env["survey.question"].create(
            {
                "survey_id": cls.survey.id,
                "title": "客户投诉时第一步做什么？",
                "question_type": "simple_choice",
                "suggested_answer_ids": [
                    Command.create({"value": "倾听并道歉", "is_correct": True, "answer_score": 10}),
                    Command.create({"value": "解释公司政策", "answer_score": 0}),
                ],
            }
        )
        cls.right, cls.wrong = cls.question.suggested_answer_ids

    def take_exam(self, user, answer):
        user_input = self.survey.sudo()._create_answer(user=user)
        user_input._save_lines(self.question, answer.id)
        user_input._mark_done()
        return user_input


@tagged("post_install", "-at_install")
class TestTrainingExam(CsTrainingCase):
    def test_exam_settings_applied(self):
        self.assertTrue(self.survey.certification)
        self.assertEqual(self.survey.scoring_success_min, 70)
        self.assertEqual((self.survey.is_attempts_limited, self.survey.attempts_limit), (True, 2))

    def test_certification_fail_then_pass_through_survey(self):
        record = self.env["cs.training.record"]._enrol(self.emp_agent, self.course, "manual")
        self.take_exam(self.agent, self.wrong)
        self.assertEqual(record.state, "failed")
        self.assertEqual((record.written_score, record.written_passed, record.attempt_count), (0, False, 1))
        self.assertFalse(record.certificate_date)
        with freeze_time("2026-03-02"):
            self.take_exam(self.agent, self.right)
        self.assertEqual(record.state, "passed")
        self.assertEqual((record.written_score, record.attempt_count), (100, 2))
        self.assertEqual(str(record.certificate_date), "2026-03-02")
        # the survey's own attempt limit (a setting) stops a third try
        with self.assertRaises(UserError):
            self.survey.sudo()._create_answer(user=self.agent)

    def test_other_users_attempt_does_not_count(self):
        record = self.env["cs.training.record"]._enrol(self.emp_agent, self.course, "manual")
        self.take_exam(self.other, self.right)
        self.assertEqual(record.state, "enrolled")
        self.assertFalse(record.user_input_id)

    def test_interview_and_practical_scores(self):
        self.course.write({"interview_required": True, "practical_required": True})
        record = self.env["cs.training.record"]._enrol(self.emp_agent, self.course, "manual")
        self.take_exam(self.agent, self.right)
        self.assertEqual(record.state, "enrolled", "the interview and practical test are still missing")
        with self.assertRaises(UserError):
            record.with_user(self.trainer).action_grade()
        record.with_user(self.trainer).write(
            {"interview_score": 85, "practical_score": 65, "examiner_id": self.trainer.id}
        )
        record.with_user(self.trainer).action_grade()
        self.assertEqual(record.state, "failed")  # practical below the pass mark of 70
        record.with_user(self.trainer).practical_score = 75
        record.with_user(self.trainer).action_grade()
        self.assertEqual(record.state, "passed")

    def test_expiry_reminders(self):
        self.course.validity_months = 12
        record = self.env["cs.training.record"]._enrol(self.emp_agent, self.course, "manual")
        with freeze_time("2026-01-10"):
            self.take_exam(self.agent, self.right)
        self.assertEqual(str(record.expiry_date), "2027-01-10")
        Record = self.env["cs.training.record"]
        with freeze_time("2026-12-01"):
            Record._cron_certificate_expiry()
            self.assertFalse(record.activity_ids)
        with freeze_time("2026-12-15"):  # 26 days before, within the default 30
            Record._cron_certificate_expiry()
            self.assertEqual(record.activity_ids.user_id, self.agent)
            self.assertTrue(record.reminder_sent)
            Record._cron_certificate_expiry()
            self.assertEqual(len(record.activity_ids), 1, "one reminder only")
        with freeze_time("2027-01-11"):
            Record._cron_certificate_expiry()
        self.assertEqual(record.state, "expired")
        # a new pass renews the certificate
        self.assertEqual(len(Record._enrol(self.emp_agent, self.course, "manual")), 1)


@tagged("post_install", "-at_install")
class TestTrainingEnrolment(CsTrainingCase):
    def test_onboarding_on_joining_a_team(self):
        team = self.env["cs.ticket.team"].create({"name": "售后组"})
        other_team = self.env["cs.ticket.team"].create({"name": "售前组"})
        plan = self.env["cs.training.plan"].create(
            {
                "name": "新员工入职培训",
                "plan_type": "onboarding",
                "course_ids": [Command.set(self.course.ids)],
                "team_ids": [Command.set(team.ids)],
            }
        )
        other_team.member_ids = [Command.link(self.agent.id)]
        self.assertFalse(self.env["cs.training.record"].search([("employee_id", "=", self.emp_agent.id)]))
        team.member_ids = [Command.link(self.agent.id)]
        record = self.env["cs.training.record"].search([("employee_id", "=", self.emp_agent.id)])
        self.assertEqual((record.course_id, record.plan_id, record.origin), (self.course, plan, "onboarding"))
        team.member_ids = [Command.unlink(self.agent.id)]
        team.member_ids = [Command.link(self.agent.id)]
        self.assertEqual(self.env["cs.training.record"].search_count([("employee_id", "=", self.emp_agent.id)]), 1)

    def test_periodic_plan_enrols_participants(self):
        plan = self.env["cs.training.plan"].create(
            {
                "name": "季度在岗培训",
                "course_ids": [Command.set(self.course.ids)],
                "employee_ids": [Command.set((self.emp_agent | self.emp_other).ids)],
            }
        )
        plan.with_user(self.trainer).action_enrol()
        self.assertEqual(plan.record_ids.employee_id, self.emp_agent | self.emp_other)
        self.assertEqual(set(plan.record_ids.mapped("origin")), {"plan"})

    def test_session_calendar_and_attendance(self):
        session = (
            self.env["cs.training.session"]
            .with_user(self.trainer)
            .create({"course_id": self.course.id, "start": "2026-06-03 06:30:00", "stop": "2026-06-03 08:30:00"})
        )
        self.env["cs.training.record"]._enrol(self.emp_agent | self.emp_other, self.course, "manual")
        session.action_invite_enrolled()
        self.assertEqual(session.attendance_ids.employee_id, self.emp_agent | self.emp_other)
        self.assertEqual(session.event_id.start, session.start)
        self.assertIn(self.emp_agent.work_contact_id, session.event_id.partner_ids)
        mine = session.attendance_ids.filtered(lambda a: a.employee_id == self.emp_agent)
        mine.status = "late"
        session.attendance_ids.filtered(lambda a: a.employee_id == self.emp_other).status = "absent"
        self.assertEqual(session.attendance_rate, 50)
        mine.with_user(self.agent).write({"feedback_rating": "4", "feedback": "案例很实用"})
        self.assertEqual(session.feedback_avg, 4)
        with self.assertRaises(AccessError):
            mine.with_user(self.agent).status = "present"
        with self.assertRaises(AccessError):
            session.attendance_ids.filtered(lambda a: a.employee_id == self.emp_other).with_user(self.agent).read(
                ["feedback"]
            )

    def test_security_own_records_and_trainer_courses(self):
        mine = self.env["cs.training.record"]._enrol(self.emp_agent, self.course, "manual")
        theirs = self.env["cs.training.record"]._enrol(self.emp_other, self.course, "manual")
        self.assertEqual(self.env["cs.training.record"].with_user(self.agent).search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.agent).read(["state"])
        with self.assertRaises(AccessError):
            mine.with_user(self.agent).write({"interview_score": 100})
        with self.assertRaises(AccessError):
            self.env["cs.training.course"].with_user(self.agent).create({"name": "自学"})
        # the trainer sees both enrolments in the course (the demo has other records)
        visible = self.env["cs.training.record"].with_user(self.trainer).search([("course_id", "=", self.course.id)])
        self.assertEqual(visible, mine | theirs)

    def test_training_analysis_rates(self):
        course = self.env["cs.training.course"].create(
            {"name": "工具使用", "category": "tools", "interview_required": True}
        )
        third = self.env["hr.employee"].create({"name": "第三学员"})
        Record = self.env["cs.training.record"]
        passed, failed, __ = Record._enrol(self.emp_agent | self.emp_other | third, course, "manual")
        passed.interview_score, failed.interview_score = 90, 50
        (passed | failed).with_user(self.trainer).action_grade()
        self.assertEqual((passed.state, failed.state), ("passed", "failed"))
        self.env.flush_all()
        [row] = (
            self.env["cs.training.report"]
            .with_user(self.trainer)
            ._read_group(
                [("course_id", "=", course.id)], [], ["record_count:sum", "completion_rate:avg", "pass_rate:avg"]
            )
        )
        self.assertEqual(row[0], 3)
        self.assertAlmostEqual(row[1], 2 / 3)
        self.assertAlmostEqual(row[2], 0.5)
