from odoo import api, fields, models
from odoo.tools import SQL

# set in a transaction's post-commit data once the cron workers are to be woken after its commit
WAKE_UP = "cs_helpdesk.cron_workers_woken"


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _cs_trigger_now(self, cron_xmlid, work=None):
        """Run the cron ``cron_xmlid`` at once, its trigger inserted in the same statement as ``work`` (an SQL
        insert of what the cron will find).

        What ``_trigger`` does, for what runs on every reply an agent posts. ``_trigger`` reads the cron,
        then wakes the cron workers after the commit with a notification sent on a new connection to the
        ``postgres`` database (Odoo keeps none in its pool): a PostgreSQL backend started for each cron
        triggered, about 3 ms of the request. Here the workers are woken once per transaction, however many
        crons it triggered; an archived cron ignores its triggers, so the cron is not read.
        """
        cron = self.sudo().browse(self.env["ir.model.data"]._xmlid_to_res_id(cron_xmlid))
        if not cron:  # deleted: its work waits, as Odoo's own jobs would without their cron
            if work:
                self.env.cr.execute(work)
            return
        now = fields.Datetime.now()
        trigger = SQL(
            """INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, create_date, write_uid, write_date)
               VALUES (%s, %s, %s, %s, %s, %s)""",
            cron.id,
            now,
            self.env.uid,
            now,
            self.env.uid,
            now,
        )
        self.env.cr.execute(SQL("WITH work AS (%s) %s", work, trigger) if work else trigger)
        flags = self.env.cr.postcommit.data
        if not flags.get(WAKE_UP):
            flags[WAKE_UP] = True
            self.env.cr.postcommit.add(cron._notifydb)
