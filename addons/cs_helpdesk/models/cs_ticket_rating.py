from odoo import api, fields, models

RATING_DIMENSIONS = ("cs_attitude_score", "cs_efficiency_score", "cs_solving_score")


class CsTicket(models.Model):
    """Satisfaction ratings (满意度) of tickets: requests on resolution and the last rating's dimensions."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ satisfaction dimensions (last rating)
    rating_attitude_score = fields.Integer(string="Service Attitude", compute="_compute_rating_dimensions")
    rating_efficiency_score = fields.Integer(string="Service Efficiency", compute="_compute_rating_dimensions")
    rating_solving_score = fields.Integer(string="Problem Solving", compute="_compute_rating_dimensions")

    # ------------------------------------------------------------------ computes
    @api.depends("rating_ids.consumed", *(f"rating_ids.{name}" for name in RATING_DIMENSIONS))
    def _compute_rating_dimensions(self):
        ratings = (
            self.env["rating.rating"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("consumed", "=", True),
                    "|",
                    "|",
                    *((name, ">", 0) for name in RATING_DIMENSIONS),
                ],
                ["res_id", *RATING_DIMENSIONS],
                order="write_date desc, id desc",
            )
        )
        last = {}
        for rating in ratings:
            last.setdefault(rating.res_id, rating)
        for ticket in self:
            rating = last.get(ticket.id)
            ticket.rating_attitude_score = rating.cs_attitude_score if rating else 0
            ticket.rating_efficiency_score = rating.cs_efficiency_score if rating else 0
            ticket.rating_solving_score = rating.cs_solving_score if rating else 0

    # ------------------------------------------------------------------ ratings
    def _rating_get_parent_field_name(self):
        return "team_id"

    def _rating_request_on_resolve(self):
        template = self.env.ref("cs_helpdesk.mail_template_cs_ticket_rating", raise_if_not_found=False)
        if not template:
            return
        me = self.env.user.partner_id
        for ticket in self.filtered(lambda t: t.team_id.rating_on_resolve and t.partner_id and t.partner_id != me):
            ticket.rating_send_request(template, lang=ticket.partner_id.lang, force_send=False)

    def _cs_portal_pending_rating(self):
        """The customer's open rating request of this ticket (for the portal), as superuser."""
        self.ensure_one()
        partner = self.partner_id
        return self.sudo().rating_ids.filtered(lambda r: not r.consumed and r.partner_id == partner)[:1]

    def action_open_cs_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.rating_rating_action_cs_ticket")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        return action

    def _thread_to_store(self, store, /, *, fields=None, request_list=None):
        """Without the ticket's average rating that rating.mixin adds to each message the chatter loads.

        Only the portal's rating composer shows it (product reviews), never the web client, and a ticket's
        page shows its rating itself: it cost each chatter load and each posted message a rating query and a
        second check of the ticket's record rules.
        """
        if fields is not None and not request_list and set(fields) <= {"rating_avg", "rating_count"}:
            return
        super()._thread_to_store(store, fields=fields, request_list=request_list)
