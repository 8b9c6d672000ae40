from collections import defaultdict

from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.tools import format_datetime

from ..models.cs_settings import tz_name


class CsTicket(models.Model):
    """The periodic complaint digest emailed to the customer service managers."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ periodic complaint report
    @api.model
    def _cron_send_complaint_digest(self):
        """Email the complaint digest of the cron's period to the customer service managers of each company."""
        cron = self.env.ref("cs_helpdesk.ir_cron_cs_complaint_digest", raise_if_not_found=False)
        interval = {cron.interval_type: cron.interval_number} if cron else {"weeks": 1}
        end = fields.Datetime.now()
        start = end - relativedelta(**interval)
        template = self.env.ref("cs_helpdesk.mail_template_cs_complaint_digest")
        managers = (
            self.env.ref("cs_helpdesk.group_manager")
            .sudo()
            .users.filtered(lambda u: u.active and not u.share and u.email)
        )
        for company in managers.company_ids:
            recipients = managers.filtered(lambda u, c=company: c in u.company_ids)
            for lang, lang_recipients in recipients.grouped("lang").items():
                # labels in the digest (severities, aspects, "Not set") in the readers' language
                digest = (
                    self.sudo().with_company(company).with_context(lang=lang)._complaint_digest(company, start, end)
                )
                template.with_context(lang=lang, cs_digest=digest).sudo().send_mail(
                    company.id,
                    email_layout_xmlid="mail.mail_notification_light",
                    email_values={"recipient_ids": [(6, 0, lang_recipients.partner_id.ids)]},
                )

    @api.model
    def _complaint_digest(self, company, start, end):
        """Figures of the digest, read with a handful of grouped queries."""
        period = [("company_id", "=", company.id), ("create_date", ">=", start), ("create_date", "<", end)]
        complaint = [("complaint_state", "!=", False)]
        ticket_count = self.search_count(period)
        by_team = defaultdict(lambda: [0, 0])
        for team, is_complaint, count in self._read_group(period, ["team_id", "complaint_state"], ["__count"]):
            by_team[team][0] += count
            if is_complaint:
                by_team[team][1] += count
        complaint_count = sum(row[1] for row in by_team.values())

        def rate(part, total):
            return f"{part * 100 / total:.1f}%" if total else "-"

        severities = dict(self._fields["complaint_severity"]._description_selection(self.env))
        by_severity = self._read_group(period + complaint, ["complaint_severity"], ["__count"])
        by_aspect = self._read_group(period + complaint, ["complaint_aspect_id"], ["__count"], order="__count desc")
        open_complaints = self.search_count(
            [("company_id", "=", company.id), ("complaint_state", "not in", (False, "archived"))]
        )
        pending = self.search_count(
            [("company_id", "=", company.id), ("complaint_approval_state", "=", "pending"), *complaint]
        )
        Followup = self.env["cs.followup"]
        visits = Followup._read_group(
            [("company_id", "=", company.id), ("date_done", ">=", start), ("date_done", "<", end)],
            ["result"],
            ["__count"],
        )
        visits = dict(visits)
        overdue = Followup.search_count(
            [("company_id", "=", company.id), ("state", "=", "planned"), ("date_planned", "<", end)]
        )
        tz = tz_name(self.with_company(company).env)
        return {
            "start": format_datetime(self.env, start, tz=tz, dt_format="yyyy-MM-dd HH:mm"),
            "end": format_datetime(self.env, end, tz=tz, dt_format="yyyy-MM-dd HH:mm"),
            "ticket_count": ticket_count,
            "complaint_count": complaint_count,
            "complaint_rate": rate(complaint_count, ticket_count),
            "by_severity": [
                (severities.get(severity) or self.env._("Not set"), count) for severity, count in by_severity
            ],
            "by_aspect": [(aspect.name or self.env._("Not set"), count) for aspect, count in by_aspect],
            "by_team": sorted(
                (
                    (team.name or self.env._("No team"), total, part, rate(part, total))
                    for team, (total, part) in by_team.items()
                    if part
                ),
                key=lambda row: -row[2],
            ),
            "open_complaints": open_complaints,
            "pending_approvals": pending,
            "visits_done": sum(visits.values()),
            "visits_satisfied": visits.get("satisfied", 0),
            "satisfaction_rate": rate(visits.get("satisfied", 0), sum(visits.values())),
            "visits_overdue": overdue,
        }
