from odoo import Command, api, fields, models


class CreditControlRun(models.Model):
    _inherit = "credit.control.run"

    @api.model
    def _cron_cs_daily_run(self):
        """Daily arrears run (清欠) of every company with a credit control policy.

        The day's run is reused when the cron runs again, and reminder lines already made that day
        are not made again, so a re-run only picks up what became overdue or escalated since.
        """
        today = fields.Date.context_today(self)
        new_lines = self.env["credit.control.line"]
        for company in self.env["res.company"].search([("credit_policy_id", "!=", False)]):
            run = self.with_company(company).search(
                [("company_id", "=", company.id), ("date", "=", today)], limit=1
            ) or self.with_company(company).create(
                {"date": today, "company_id": company.id, "policy_ids": [Command.set(company.credit_policy_id.ids)]}
            )
            new_lines |= run._cs_generate()
        return new_lines

    def _cs_generate(self):
        """Like OCA's generation, but adds to the run's lines instead of replacing them."""
        self.ensure_one()
        self._check_run_date(self.date)
        generated = self.env["credit.control.line"]
        manual = self.env["account.move.line"]
        for policy in self.policy_ids.filtered(lambda p: not p.do_nothing):
            policy_manual, policy_lines, _report = policy._generate_credit_lines(self, {"run_id": self.id})
            generated |= policy_lines
            manual |= policy_manual
        # the lines carry run_id already (OCA's default values): only the journal items left to handle
        self.write({"state": "done", "manual_ids": [Command.link(line.id) for line in manual]})
        generated._cs_process_new()
        return generated
