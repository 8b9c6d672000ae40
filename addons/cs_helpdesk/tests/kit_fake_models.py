"""Models that exist only in the kit's tests, loaded with odoo-test-helper's FakeModelLoader."""

from odoo import fields, models
from odoo.tools import SQL

from ..models.cs_report_mixin import rate_sql


class CsKitFakeTask(models.Model):
    _name = "cs.kit.fake.task"
    _inherit = ["cs.batch.cron.mixin"]
    _description = "Kit test: a task processed by a batched cron"

    name = fields.Char()
    done = fields.Boolean()
    applicable = fields.Boolean(default=True)

    def _cron_finish(self, batch_size):
        return self._cs_run_batch(
            [("done", "=", False)],
            lambda tasks: tasks.write({"done": True}),
            "cs_helpdesk.ir_cron_cs_ticket_sla",
            batch_size=batch_size,
        )


class CsKitFakeReport(models.Model):
    _name = "cs.kit.fake.report"
    _inherit = "cs.report.mixin"
    _description = "Kit test: a report over the fake tasks"
    _auto = False

    name = fields.Char(readonly=True)
    task_count = fields.Integer(readonly=True, aggregator="sum")
    done_rate = fields.Float(readonly=True, aggregator="avg")

    def _query(self):
        return SQL(
            "SELECT t.id, t.name, 1 AS task_count, %s AS done_rate FROM cs_kit_fake_task t",
            rate_sql(SQL("t.done"), SQL("t.applicable")),
        )
