from collections import defaultdict

from odoo import Command, api, models


class CsTicket(models.Model):
    """Notifications of tickets: subtypes (created, stage changed, customer replied, rated, SLA failed)
    followed through the team, and batch logging that notifies without one ``message_post`` per ticket."""

    _inherit = "cs.ticket"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        # the mail gateway posts the customer's email itself (a discussion, shown on the portal): the
        # creation is still logged for the team's followers
        log = not self.env.context.get("mail_create_nolog") or self.env.context.get("cs_log_creation")
        # mail.thread would post (and notify) one creation message per ticket and read the team's
        # followers once per ticket: both are done below for the whole batch
        quiet = self.with_context(mail_create_nolog=True, cs_team_followers_in_batch=True)
        tickets = super(CsTicket, quiet).create(vals_list).with_env(self.env)
        tickets._cs_subscribe_team_followers()
        if log:
            tickets._cs_log_batch({ticket.id: ticket._creation_message() for ticket in tickets}, "mt_ticket_new")
        return tickets

    def _track_subtype(self, initial_values):
        self.ensure_one()
        if "stage_id" in initial_values:
            return self.env.ref("cs_helpdesk.mt_ticket_stage")
        return super()._track_subtype(initial_values)

    def _rating_apply_get_default_subtype_id(self):
        return self.env["ir.model.data"]._xmlid_to_res_id("cs_helpdesk.mt_ticket_rated")

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("cs_team_followers_in_batch") and "team_id" in updated_values:
            updated_values = {key: value for key, value in updated_values.items() if key != "team_id"}
        return super()._message_auto_subscribe(updated_values, followers_existing_policy=followers_existing_policy)

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        """A customer's reply also reaches who follows "Customer Replied" (a leader through the team).

        The reply itself stays a discussion message: the portal shows only those.
        """
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        values = msg_vals or {}
        author = self.env["res.partner"].browse(values.get("author_id", message.author_id.id))
        subtype_id = values.get("subtype_id", message.subtype_id.id)
        if (
            self
            and subtype_id == self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
            and not values.get("is_internal", message.is_internal)
            and not self._cs_staff_users(author)
        ):
            reply_subtype = self.env.ref("cs_helpdesk.mt_ticket_customer_reply")
            extra = super()._notify_get_recipients(message, dict(values, subtype_id=reply_subtype.id), **kwargs)
            known = {recipient["id"] for recipient in recipients}
            recipients += [recipient for recipient in extra if recipient["id"] not in known]
        return recipients

    # ------------------------------------------------------------------ batch
    def _cs_subscribe_team_followers(self):
        """Who follows a team with a ticket subtype's parent follows each new ticket with that subtype."""
        tickets = self.filtered("team_id")
        if not tickets:
            return
        Followers = self.env["mail.followers"].sudo()
        team_followers = Followers.search_fetch(
            [("res_model", "=", "cs.ticket.team"), ("res_id", "in", tickets.team_id.ids)],
            ["res_id", "partner_id", "subtype_ids"],
        )
        if not team_followers:
            return
        parents = (
            self.env["mail.message.subtype"]
            .sudo()
            .search(
                [("res_model", "=", "cs.ticket.team"), ("relation_field", "=", "team_id"), ("parent_id", "!=", False)]
            )
        )
        child_of = {subtype.id: subtype.parent_id.id for subtype in parents}
        by_team = defaultdict(list)
        for follower in team_followers:
            subtype_ids = [child_of[sid] for sid in follower.subtype_ids.ids if sid in child_of]
            if subtype_ids:
                by_team[follower.res_id].append((follower.partner_id.id, subtype_ids))
        if not by_team:
            return
        existing = {
            (follower.res_id, follower.partner_id.id): follower
            for follower in Followers.search_fetch(
                [("res_model", "=", self._name), ("res_id", "in", tickets.ids)], ["res_id", "partner_id"]
            )
        }
        to_create, to_extend = [], defaultdict(lambda: Followers)
        for ticket in tickets:
            for partner_id, subtype_ids in by_team.get(ticket.team_id.id, ()):
                follower = existing.get((ticket.id, partner_id))
                if follower:  # e.g. the leader is also the assignee
                    to_extend[tuple(subtype_ids)] |= follower
                else:
                    to_create.append(
                        {
                            "res_model": self._name,
                            "res_id": ticket.id,
                            "partner_id": partner_id,
                            "subtype_ids": [Command.set(subtype_ids)],
                        }
                    )
        Followers.create(to_create)
        for subtype_ids, followers in to_extend.items():
            followers.write({"subtype_ids": [Command.link(sid) for sid in subtype_ids]})

    def _cs_log_batch(self, bodies, subtype_xmlid):
        """Log ``bodies`` ({ticket id: body}) with an internal ticket subtype and notify its followers.

        One insert of messages and one of inbox notifications for the whole batch; followers who get
        emails are notified per message, as ``message_post`` would.
        """
        if not bodies:
            return self.env["mail.message"]
        subtype = self.env.ref(f"cs_helpdesk.{subtype_xmlid}")
        author = self.env.user.partner_id
        tickets = self.browse(list(bodies))
        reply_to = tickets._notify_get_reply_to(default=author.email_formatted)
        messages = tickets.sudo()._message_create(
            [
                {
                    "model": self._name,
                    "res_id": ticket_id,
                    "body": body,
                    "author_id": author.id,
                    "email_from": author.email_formatted,
                    "message_type": "notification",
                    "subtype_id": subtype.id,
                    "is_internal": True,
                    "email_add_signature": False,
                    "reply_to": reply_to[ticket_id],
                }
                for ticket_id, body in bodies.items()
            ]
        )
        recipients = self.env["mail.followers"]._get_recipient_data(tickets, "notification", subtype.id)
        message_of = {message.res_id: message for message in messages}
        inbox, by_email = [], defaultdict(list)
        for ticket_id, partners in recipients.items():
            for partner_id, data in partners.items():
                if not partner_id or partner_id == author.id or not data["active"] or data["share"]:
                    continue
                if data["notif"] == "inbox":
                    inbox.append(
                        {
                            "author_id": author.id,
                            "mail_message_id": message_of[ticket_id].id,
                            "notification_type": "inbox",
                            "notification_status": "sent",
                            "res_partner_id": partner_id,
                        }
                    )
                elif data["notif"] == "email":
                    by_email[ticket_id].append(data)
        self.env["mail.notification"].sudo().create(inbox)
        for ticket_id, email_recipients in by_email.items():
            self.browse(ticket_id)._notify_thread_by_email(message_of[ticket_id], email_recipients)
        return messages
