import calendar

from odoo import api, fields, models


class CsCareHoliday(models.Model):
    """A day on which customers who agreed to care messages receive a greeting (节日问候)."""

    _name = "cs.care.holiday"
    _description = "Care Holiday"
    _order = "date, id"

    name = fields.Char(required=True, translate=True)
    date = fields.Date(required=True, help="The holiday; with Every Year, only its month and day count.")
    yearly = fields.Boolean(
        string="Every Year", help="Same date every year (e.g. National Day); off for lunar holidays, set each year."
    )
    greeting = fields.Text(translate=True, help="Greeting the agent sends, e.g. best wishes for the holiday.")
    active = fields.Boolean(default=True)

    @api.model
    def _for_date(self, day):
        """Holidays falling on ``day``: the dated ones and the yearly ones on the same month and day.

        A yearly holiday on 29 February is kept on 28 February in common years.
        """
        day_domain = ["&", ("date.month_number", "=", day.month), ("date.day_of_month", "=", day.day)]
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            day_domain = ["|", *day_domain, "&", ("date.month_number", "=", 2), ("date.day_of_month", "=", 29)]
        return self.search(["|", ("date", "=", day), "&", ("yearly", "=", True), *day_domain])
