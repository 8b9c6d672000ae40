import ipaddress
import math
import threading
import time
from datetime import timedelta

from odoo import SUPERUSER_ID, _, fields, http, tools
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from werkzeug.exceptions import NotFound

from ..models.cs_ticket import PHONE_RE

RATE_LIMIT_PARAM = "cs_helpdesk.web_form_rate_limit"
RATE_LIMIT_DEFAULT = 5
RATE_LIMIT_WINDOW = timedelta(hours=1)
MAX_ATTACHMENT_PARAM = "cs_helpdesk.max_attachment_mb"
MAX_ATTACHMENT_DEFAULT = 10
SESSION_TICKET_KEY = "cs_helpdesk_web_form_ticket_id"


class RecentSubmissions:
    """Times of the accepted web form submissions per client address, kept in this server process.

    The per-email limit is counted in the database; this per-address count is the best-effort second
    line against a robot changing the email at each submission. With several workers, each one keeps
    its own count, and a restart forgets it.
    """

    MAX_KEYS = 10000

    def __init__(self):
        self._lock = threading.Lock()
        self._hits = {}

    def count(self, key, window):
        now = time.monotonic()
        with self._lock:
            hits = [hit for hit in self._hits.get(key, ()) if now - hit < window]
            if hits:
                self._hits[key] = hits
            else:
                self._hits.pop(key, None)
            return len(hits)

    def add(self, key, window):
        now = time.monotonic()
        with self._lock:
            if len(self._hits) >= self.MAX_KEYS:
                for old_key in [k for k, hits in self._hits.items() if now - hits[-1] >= window]:
                    del self._hits[old_key]
            self._hits.setdefault(key, []).append(now)

    def clear(self):
        with self._lock:
            self._hits.clear()


recent_submissions = RecentSubmissions()


class CsTicketWebForm(http.Controller):
    """Public web form of a team: /helpdesk/<team_id>/submit creates a ticket of the web channel."""

    _web_form_fields = ("name", "email", "phone", "subject", "description")

    # ------------------------------------------------------------------ settings
    def _web_form_number_param(self, key, default):
        value = request.env["ir.config_parameter"].sudo().get_param(key)
        try:
            number = float(value)
        except (TypeError, ValueError):
            return default
        return number if math.isfinite(number) else default

    def _web_form_rate_limit(self):
        """Accepted submissions allowed per email and per client address in an hour; 0 or less: no limit."""
        return int(self._web_form_number_param(RATE_LIMIT_PARAM, RATE_LIMIT_DEFAULT))

    def _web_form_max_attachment_mb(self):
        """Largest file accepted, in MB; 0 or less: no limit."""
        return self._web_form_number_param(MAX_ATTACHMENT_PARAM, MAX_ATTACHMENT_DEFAULT)

    # ------------------------------------------------------------------ helpers
    def _web_form_team(self, team_id):
        # sudo: cs.ticket.team - the form of any active team is public
        team = request.env["cs.ticket.team"].sudo().browse(team_id).exists()
        if not team or not team.active:
            raise NotFound()
        return team

    def _web_form_client_address(self):
        return request.httprequest.remote_addr

    def _web_form_client_key(self):
        """Key of the per-address count, or None when the address is not a public one.

        Behind a reverse proxy without ``proxy_mode`` every request seems to come from the proxy
        (127.0.0.1 or a private address): counting it would throttle all customers together.
        """
        try:
            address = ipaddress.ip_address(self._web_form_client_address() or "")
        except ValueError:
            return None
        return (request.env.cr.dbname, str(address)) if address.is_global else None

    def _web_form_defaults(self):
        user = request.env.user
        if user._is_public():
            return dict.fromkeys(self._web_form_fields, "")
        partner = user.partner_id
        return {
            "name": partner.name or "",
            "email": partner.email or "",
            "phone": partner.phone or partner.mobile or "",
            "subject": "",
            "description": "",
        }

    def _web_form_render(self, team, form, errors=None, status=200, files_dropped=False):
        max_mb = self._web_form_max_attachment_mb()
        size = f"{max_mb:g}"
        values = {
            "team": team,
            "form": form,
            "errors": errors or {},
            "max_attachment_mb": max_mb,
            "attachment_help": _("Files up to %(size)s MB each.", size=size),
            "files_dropped": files_dropped,
            "page_name": "cs_ticket_web_form",
        }
        return request.render("cs_helpdesk.web_form", values, status=status)

    def _web_form_validate(self, form):
        """Return ``{field: message}`` for the invalid fields of ``form``."""
        errors = {}
        if not form["name"]:
            errors["name"] = _("Please enter your name.")
        if not form["email"]:
            errors["email"] = _("Please enter your email address.")
        elif not tools.email_normalize(form["email"]):
            errors["email"] = _("“%(email)s” is not a valid email address.", email=form["email"])
        if form["phone"] and not PHONE_RE.match(form["phone"]):
            errors["phone"] = _(
                "“%(phone)s” is not a valid phone number: use digits, spaces, dashes and an optional +.",
                phone=form["phone"],
            )
        if not form["subject"]:
            errors["subject"] = _("Please enter a subject.")
        if not form["description"]:
            errors["description"] = _("Please describe your request.")
        return errors

    def _web_form_read_attachments(self, files):
        """Return ``(attachments, error)``: ``[(file name, content)]`` or the message about a file too large."""
        max_mb = self._web_form_max_attachment_mb()
        max_bytes = int(max_mb * 1024 * 1024) if max_mb > 0 else 0
        attachments = []
        for upload in files:
            content = upload.read(max_bytes + 1) if max_bytes else upload.read()
            if max_bytes and len(content) > max_bytes:
                size = f"{max_mb:g}"
                return [], _(
                    "The file “%(file)s” is larger than %(size)s MB: attach a smaller file.",
                    file=upload.filename,
                    size=size,
                )
            attachments.append((upload.filename, content))
        return attachments, None

    def _web_form_check_rate_limit(self, email):
        """Return the error message when the email or the client address sent too many requests, else None."""
        limit = self._web_form_rate_limit()
        if limit <= 0:
            return None
        channel = request.env.ref("cs_helpdesk.channel_web", raise_if_not_found=False)
        # sudo: cs.ticket - count the recent web requests of this email, whoever may read them
        Ticket = request.env["cs.ticket"].sudo().with_context(active_test=False)
        recent = Ticket.search_count(
            [
                ("channel_id", "=", channel.id if channel else False),
                ("email_from", "=", email),
                ("create_date", ">=", fields.Datetime.now() - RATE_LIMIT_WINDOW),
            ]
        )
        client_key = self._web_form_client_key()
        by_client = recent_submissions.count(client_key, RATE_LIMIT_WINDOW.total_seconds()) if client_key else 0
        if recent >= limit or by_client >= limit:
            return _(
                "You have already sent %(limit)s requests in the last hour. Please try again later.",
                limit=limit,
            )
        return None

    def _web_form_partner(self, team, form, email):
        """Customer of the request: the signed-in user when the email is theirs, else found or created by email."""
        user = request.env.user
        if not user._is_public() and user.partner_id.email_normalized == email:
            return user.partner_id
        Ticket = request.env["cs.ticket"].with_user(SUPERUSER_ID)
        partner = Ticket._mail_find_partner_from_emails(
            [email], extra_domain=[("company_id", "in", [False, team.company_id.id])]
        )[0]
        if partner:
            return partner
        return Ticket.env["res.partner"].create(
            {"name": form["name"], "email": email, "phone": form["phone"] or False, "lang": request.env.lang}
        )

    def _web_form_ticket_values(self, team, form, email, partner):
        channel = request.env.ref("cs_helpdesk.channel_web", raise_if_not_found=False)
        values = {
            "name": form["subject"],
            "description": tools.plaintext2html(form["description"]),
            "partner_id": partner.id,
            "email_from": email,
            "team_id": team.id,
            "company_id": team.company_id.id,
            "channel_id": channel.id if channel else False,
        }
        if form["phone"]:
            values["partner_phone"] = form["phone"]
        return values

    def _web_form_create_ticket(self, team, form, attachments):
        email = tools.email_normalize(form["email"])
        partner = self._web_form_partner(team, form, email)
        Ticket = request.env["cs.ticket"].with_user(SUPERUSER_ID).with_context(mail_create_nosubscribe=True)
        ticket = Ticket.create(self._web_form_ticket_values(team, form, email, partner))
        if attachments:
            # XML-like files (html, svg) are stored as text, as the mail gateway does
            ticket.with_context(attachments_mime_plainxml=True).message_post(
                body=_("Files sent with the request."),
                attachments=attachments,
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return ticket

    # ------------------------------------------------------------------ routes
    @http.route("/helpdesk/<int:team_id>/submit", type="http", auth="public", methods=["GET", "POST"], website=True)
    def cs_ticket_web_form(self, team_id, **post):
        team = self._web_form_team(team_id)
        if request.httprequest.method != "POST":
            return self._web_form_render(team, self._web_form_defaults())

        form = {key: (post.get(key) or "").strip() for key in self._web_form_fields}
        errors = self._web_form_validate(form)
        files = [upload for upload in request.httprequest.files.getlist("attachments") if upload.filename]
        attachments, attachment_error = self._web_form_read_attachments(files)
        if attachment_error:
            errors["attachments"] = attachment_error
        if errors:
            return self._web_form_render(team, form, errors, status=400, files_dropped=bool(files))
        rate_error = self._web_form_check_rate_limit(tools.email_normalize(form["email"]))
        if rate_error:
            return self._web_form_render(team, form, {"form": rate_error}, status=429, files_dropped=bool(files))

        try:
            with request.env.cr.savepoint():
                ticket = self._web_form_create_ticket(team, form, attachments)
        except (UserError, ValidationError) as error:
            return self._web_form_render(team, form, {"form": error.args[0]}, status=400, files_dropped=bool(files))
        client_key = self._web_form_client_key()
        if client_key:
            recent_submissions.add(client_key, RATE_LIMIT_WINDOW.total_seconds())
        request.session[SESSION_TICKET_KEY] = ticket.id
        return request.redirect(f"/helpdesk/{team.id}/thanks")

    @http.route("/helpdesk/<int:team_id>/thanks", type="http", auth="public", methods=["GET"], website=True)
    def cs_ticket_web_form_thanks(self, team_id, **kw):
        team = self._web_form_team(team_id)
        ticket_id = request.session.get(SESSION_TICKET_KEY)
        # sudo: cs.ticket - the ticket this session just submitted; only its number is shown
        ticket = request.env["cs.ticket"].sudo().browse(ticket_id).exists() if ticket_id else None
        if not ticket or ticket.team_id != team:
            return request.redirect(f"/helpdesk/{team.id}/submit")
        user = request.env.user
        # a link only for the signed-in customer: the email given in the form may be someone else's
        own_ticket = not user._is_public() and ticket.partner_id == user.partner_id
        values = {
            "team": team,
            "ticket": ticket,
            "ticket_url": ticket.access_url if own_ticket else False,
            "page_name": "cs_ticket_web_form",
        }
        return request.render("cs_helpdesk.web_form_thanks", values)
