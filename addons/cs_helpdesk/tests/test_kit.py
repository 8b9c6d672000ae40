from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL
from odoo_test_helper import FakeModelLoader

from ..models import cs_settings
from ..models.ir_cron import WAKE_UP


# at install, before the addons that extend these models load: FakeModelLoader rebuilds the models of
# cs_helpdesk from cs_helpdesk's classes alone, which would drop the other addons' extensions later on
@tagged("at_install", "-post_install")
class TestKit(TransactionCase):
    """The shared kit the other cs_* addons build on, tested on models of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .kit_fake_models import CsKitFakeReport, CsKitFakeTask

        cls.loader.update_registry((CsKitFakeTask, CsKitFakeReport))
        cls.Task = cls.env["cs.kit.fake.task"]

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    # ------------------------------------------------------------------ batched cron
    def test_batch_cron_works_off_backlog_in_batches(self):
        self.Task.create([{"name": f"task {i}"} for i in range(5)])
        cron = self.env.ref("cs_helpdesk.ir_cron_cs_ticket_sla")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        self.assertEqual(self.Task._cron_finish(batch_size=2), 2)
        self.assertEqual(self.Task.search_count([("done", "=", True)]), 2)
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers + 1,
            "a full batch re-triggers its cron",
        )
        self.assertEqual(self.Task._cron_finish(batch_size=2), 2)
        self.assertEqual(self.Task._cron_finish(batch_size=2), 1)
        self.assertEqual(self.Task._cron_finish(batch_size=2), 0)
        self.assertFalse(self.Task.search_count([("done", "=", False)]))
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers + 2,
            "the last, partial batch does not re-trigger",
        )

    def test_batch_cron_reports_progress(self):
        self.Task.create([{"name": f"task {i}"} for i in range(3)])
        cron = self.env.ref("cs_helpdesk.ir_cron_cs_ticket_sla")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        self.Task.with_context(ir_cron_progress_id=progress.id)._cron_finish(batch_size=2)
        self.assertEqual((progress.done, progress.remaining), (2, 1))

    def test_crons_triggered_now_wake_the_workers_once_per_transaction(self):
        """Each call triggers its cron, with the work written in the same statement, and the cron
        workers are woken once after the commit, however many crons were triggered."""
        sla, queue = (
            self.env.ref(xmlid) for xmlid in ("cs_helpdesk.ir_cron_cs_ticket_sla", "mail.ir_cron_mail_scheduler_action")
        )
        self.env.cr.postcommit.data.pop(WAKE_UP, None)

        def triggers(cron):
            return self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])

        def wake_ups():
            return [func for func in self.env.cr.postcommit._funcs if getattr(func, "__name__", "") == "_notifydb"]

        before, waiting = (triggers(sla), triggers(queue)), len(wake_ups())
        for name in ("first", "second"):
            work = SQL("INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)", f"cs_test.work.{name}", name)
            self.env["ir.cron"]._cs_trigger_now("cs_helpdesk.ir_cron_cs_ticket_sla", work)
        self.env["ir.cron"]._cs_trigger_now("mail.ir_cron_mail_scheduler_action")
        self.assertEqual((triggers(sla), triggers(queue)), (before[0] + 2, before[1] + 1))
        self.assertEqual(len(wake_ups()), waiting + 1)
        parameters = self.env["ir.config_parameter"].sudo()
        self.assertEqual(
            [parameters.get_param(f"cs_test.work.{name}") for name in ("first", "second")], ["first", "second"]
        )
        # a deleted cron: the work is kept for it, and the user's action does not fail
        work = SQL("INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)", "cs_test.work.orphan", "kept")
        self.env["ir.cron"]._cs_trigger_now("cs_helpdesk.no_such_cron", work)
        self.assertEqual(parameters.get_param("cs_test.work.orphan"), "kept")

    # ------------------------------------------------------------------ report base
    def test_report_rates_ignore_rows_not_applicable(self):
        self.Task.create(
            [
                {"name": "a", "done": True},
                {"name": "b", "done": False},
                {"name": "c", "done": True},
                {"name": "d", "done": False, "applicable": False},
            ]
        )
        self.env.flush_all()
        [(count, rate)] = self.env["cs.kit.fake.report"]._read_group([], [], ["task_count:sum", "done_rate:avg"])
        self.assertEqual(count, 4)
        self.assertAlmostEqual(rate, 2 / 3, msg="the not applicable row is outside the rate, not a 0")

    # ------------------------------------------------------------------ settings
    def test_settings_fall_back_to_explicit_default(self):
        icp = self.env["ir.config_parameter"].sudo()
        key = "cs_helpdesk.kit_test_number"
        self.assertEqual(cs_settings.get_int_param(self.env, key, 7), 7)
        for junk in ("abc", "-3", ""):
            icp.set_param(key, junk)
            self.assertEqual(cs_settings.get_int_param(self.env, key, 7), 7, junk)
        icp.set_param(key, "12")
        self.assertEqual(cs_settings.get_int_param(self.env, key, 7), 12)
        self.assertEqual(cs_settings.get_int_param(self.env, key, 7, minimum=20), 7)
        icp.set_param(key, "2.5")
        self.assertEqual(cs_settings.get_float_param(self.env, key, 1.0), 2.5)
        for junk in ("inf", "nan"):
            icp.set_param(key, junk)
            self.assertEqual(cs_settings.get_float_param(self.env, key, 1.0), 1.0, junk)
        self.assertFalse(cs_settings.get_bool_param(self.env, "cs_helpdesk.kit_test_flag"))
        self.assertTrue(cs_settings.get_bool_param(self.env, "cs_helpdesk.kit_test_flag", default=True))
        icp.set_param("cs_helpdesk.kit_test_flag", "True")
        self.assertTrue(cs_settings.get_bool_param(self.env, "cs_helpdesk.kit_test_flag"))
        icp.set_param("cs_helpdesk.kit_test_user", str(self.env.user.id))
        self.assertEqual(
            cs_settings.get_record_param(self.env, "cs_helpdesk.kit_test_user", "res.users"), self.env.user
        )
        icp.set_param("cs_helpdesk.kit_test_user", "999999999")
        self.assertFalse(cs_settings.get_record_param(self.env, "cs_helpdesk.kit_test_user", "res.users"))

    def test_time_zone_from_calendar_user_or_company(self):
        user = new_test_user(self.env, login="kit_tz_user", tz="Europe/Paris")
        calendar = self.env["resource.calendar"].create({"name": "Kit calendar", "tz": "Asia/Tokyo"})
        env = self.env(user=user)
        self.assertEqual(cs_settings.tz_name(env, calendar=calendar), "Asia/Tokyo")
        self.assertEqual(cs_settings.tz_name(env), "Europe/Paris")
        user.tz = False
        self.env.company.partner_id.tz = "America/New_York"
        self.assertEqual(cs_settings.tz_name(env), "America/New_York")
        self.env.company.partner_id.tz = False
        self.assertEqual(cs_settings.tz_name(env), "UTC")
