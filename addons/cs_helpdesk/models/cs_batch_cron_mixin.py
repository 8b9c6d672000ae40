from odoo import api, models


class CsBatchCronMixin(models.AbstractModel):
    """Scheduled actions that work a backlog off in short batches instead of one long transaction.

    Each call handles one batch; a full batch reports its progress to the cron and triggers it again, so a
    large backlog (after an outage, at go-live) is processed in many short runs that other workers can
    interleave with, and a run killed midway loses at most one batch.
    """

    _name = "cs.batch.cron.mixin"
    _description = "Batched Scheduled Action"

    @api.model
    def _cs_run_batch(self, domain, process, cron_xmlid, batch_size=1000, order="id"):
        """Process one batch of the records matching ``domain``; returns how many were processed.

        ``process(records)`` must take the records out of ``domain`` (mark them done), or the next
        batch would find them again.
        """
        records = self.search(domain, limit=batch_size, order=order)
        if records:
            process(records)
        remaining = self.search_count(domain) if len(records) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(records), remaining=remaining)
        if remaining:
            self.env.ref(cron_xmlid)._trigger()
        return len(records)
