import logging
import math
import threading
import time
from datetime import timedelta

from odoo import SUPERUSER_ID, _, fields, http, tools
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import config
from werkzeug.exceptions import NotFound

from ..models.cs_settings import get_float_param
from ..models.cs_ticket import PHONE_RE

RATE_LIMIT_PARAM = "cs_helpdesk.web_form_rate_limit"
RATE_LIMIT_DEFAULT = 5
RATE_LIMIT_WINDOW = timedelta(hours=1)
MAX_ATTACHMENT_PARAM = "cs_helpdesk.max_attachment_mb"
MAX_ATTACHMENT_DEFAULT = 10
MAX_FILES_PARAM = "cs_helpdesk.web_form_max_files"
MAX_FILES_DEFAULT = 5
MAX_TOTAL_PARAM = "cs_helpdesk.web_form_max_total_mb"
MAX_TOTAL_DEFAULT = 10
# room for the text fields and the multipart framing of a request, beside its files
FORM_OVERHEAD_BYTES = 1024 * 1024
MB = 1024 * 1024
SESSION_TICKET_KEY = "cs_helpdesk_web_form_ticket_id"

_logger = logging.getLogger(__name__)


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
        # any finite number: 0 or less means "no limit" for the web form's settings
        return get_float_param(request.env, key, default, minimum=-math.inf)

    def _web_form_rate_limit(self):
        """Accepted submissions allowed per email and per client address in an hour; 0 or less: no limit."""
        return int(self._web_form_number_param(RATE_LIMIT_PARAM, RATE_LIMIT_DEFAULT))

    def _web_form_max_attachment_mb(self):
        """Largest file accepted, in MB; 0 or less: no limit."""
        return self._web_form_number_param(MAX_ATTACHMENT_PARAM, MAX_ATTACHMENT_DEFAULT)

    def _web_form_max_files(self):
        """Files accepted with one request; 0 or less: no limit."""
        return int(self._web_form_number_param(MAX_FILES_PARAM, MAX_FILES_DEFAULT))

    def _web_form_max_total_mb(self):
        """Total size of the files of one request, in MB; 0 or less: no limit."""
        return self._web_form_number_param(MAX_TOTAL_PARAM, MAX_TOTAL_DEFAULT)

    def _web_form_max_content_length(self):
        """Largest request body: werkzeug refuses a bigger one (413) before anything is parsed or stored."""
        total_mb = self._web_form_max_total_mb()
        if total_mb <= 0:
            return http.DEFAULT_MAX_CONTENT_LENGTH
        return int(total_mb * MB) + FORM_OVERHEAD_BYTES

    # ------------------------------------------------------------------ helpers
    def _web_form_team(self, team_id):
        # sudo: cs.ticket.team - the form of any active team is public
        team = request.env["cs.ticket.team"].sudo().browse(team_id).exists()
        if not team or not team.active or not team.web_form_published:
            raise NotFound()
        return team

    def _web_form_client_address(self):
        """The client's address: with ``proxy_mode``, the one the reverse proxy forwarded."""
        return request.httprequest.remote_addr

    def _web_form_client_key(self):
        """Key of the per-address count, or None when the client's address is unknown.

        Every address counts, loopback and private ones included (an office network, a test
        client). A request forwarded by a reverse proxy while ``proxy_mode`` is off carries the
        proxy's address, shared by all customers: it is not counted (the per-email limit still
        applies) and the server log says how to fix the setup.
        """
        httprequest = request.httprequest
        if not config["proxy_mode"] and httprequest.headers.get("X-Forwarded-For"):
            _logger.warning(
                "Web form request forwarded by a proxy while proxy_mode is off: the per-address limit is not "
                "applied. Start Odoo with --proxy-mode behind a reverse proxy."
            )
            return None
        address = self._web_form_client_address()
        return (request.env.cr.dbname, address) if address else None

    def _web_form_defaults(self):
        user = request.env.user
        if user._is_public():
            return dict.fromkeys(self._web_form_fields, "")
        partner = user.partner_id
        phone = partner.phone or partner.mobile or ""
        return {
            "name": partner.name or "",
            "email": partner.email or "",
            "phone": self._web_form_phone(phone) or phone,
            "subject": "",
            "description": "",
        }

    def _web_form_render(self, team, form, errors=None, status=200, files_dropped=False):
        max_mb = self._web_form_max_attachment_mb()
        max_files = self._web_form_max_files()
        total_mb = self._web_form_max_total_mb()
        size, total = f"{max_mb:g}", f"{total_mb:g}"  # formatted out of _(): Babel evaluates string arguments
        if max_files > 0 and total_mb > 0:
            attachment_help = _(
                "Up to %(count)s files, %(size)s MB each and %(total)s MB in total.",
                count=max_files,
                size=size,
                total=total,
            )
        else:
            attachment_help = _("Files up to %(size)s MB each.", size=size)
        values = {
            "team": team,
            "form": form,
            "errors": errors or {},
            "max_attachment_mb": max_mb,
            "attachment_help": attachment_help,
            "files_dropped": files_dropped,
            "page_name": "cs_ticket_web_form",
        }
        return request.render("cs_helpdesk.web_form", values, status=status)

    def _web_form_phone(self, phone):
        """The typed phone in international format (phone_validation), else as typed when it looks like
        a phone number, else False."""
        if not phone:
            return False
        user = request.env.user
        # sudo: res.partner - formatting only; the signed-in customer's country, else the company's
        partner = request.env["res.partner"].sudo() if user._is_public() else user.partner_id.sudo()
        formatted = partner._phone_format(number=phone, force_format="INTERNATIONAL")
        if formatted and PHONE_RE.match(formatted):
            return formatted
        return phone if PHONE_RE.match(phone) else False

    def _web_form_own_phone(self, phone):
        """Whether ``phone`` is the signed-in customer's stored number, left as the form showed it."""
        user = request.env.user
        if user._is_public() or not phone:
            return False
        partner = user.partner_id
        return phone in {partner.phone, partner.mobile, self._web_form_phone(partner.phone or partner.mobile)}

    def _web_form_validate(self, form):
        """Return ``{field: message}`` for the invalid fields of ``form``."""
        errors = {}
        if not form["name"]:
            errors["name"] = _("Please enter your name.")
        if not form["email"]:
            errors["email"] = _("Please enter your email address.")
        elif not tools.email_normalize(form["email"]):
            errors["email"] = _("“%(email)s” is not a valid email address.", email=form["email"])
        if form["phone"] and not (self._web_form_phone(form["phone"]) or self._web_form_own_phone(form["phone"])):
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
        """Return ``(attachments, error)``: ``[(file name, content)]`` or the message about the files.

        Never reads more than the limits allow: a file is read up to one byte past what may remain.
        """
        max_files = self._web_form_max_files()
        if max_files > 0 and len(files) > max_files:
            return [], _("Attach at most %(count)s files to a request.", count=max_files)
        max_mb = self._web_form_max_attachment_mb()
        max_bytes = int(max_mb * MB) if max_mb > 0 else 0
        total_mb = self._web_form_max_total_mb()
        total_left = int(total_mb * MB) if total_mb > 0 else 0
        attachments = []
        for upload in files:
            limits = [limit for limit in (max_bytes, total_left) if limit]
            content = upload.read(min(limits) + 1) if limits else upload.read()
            if max_bytes and len(content) > max_bytes:
                size = f"{max_mb:g}"
                return [], _(
                    "The file “%(file)s” is larger than %(size)s MB: attach a smaller file.",
                    file=upload.filename,
                    size=size,
                )
            if total_mb > 0:
                if len(content) > total_left:
                    size = f"{total_mb:g}"
                    return [], _("The files of a request cannot exceed %(size)s MB in total.", size=size)
                total_left -= len(content)
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
        """Customer of the request: the signed-in user when the email is theirs.

        A form proves nobody's identity: a request with the email of an existing contact (a
        customer with a portal account, a colleague) is not attached to it, or it would show in
        their portal and their history. The ticket keeps the email; an agent confirms the customer
        (``action_cs_link_customer``). An email nobody has gets a new contact of its own.
        """
        user = request.env.user
        if not user._is_public() and user.partner_id.email_normalized == email:
            return user.partner_id
        # sudo: res.partner - whether the email is already someone's, whoever may read them
        Partner = request.env["res.partner"].sudo().with_context(active_test=False)
        if Partner.search_count([("email_normalized", "=", email)], limit=1):
            return Partner.browse()
        return Partner.with_user(SUPERUSER_ID).create(
            {
                "name": form["name"],
                "email": email,
                "phone": self._web_form_phone(form["phone"]),
                "lang": request.env.lang,
                "company_id": False,
            }
        )

    def _web_form_ticket_values(self, team, form, email, partner):
        channel = request.env.ref("cs_helpdesk.channel_web", raise_if_not_found=False)
        values = {
            "name": form["subject"],
            "description": tools.plaintext2html(form["description"]),
            "partner_id": partner.id,
            "partner_name": partner.name or form["name"],
            "email_from": email,
            "team_id": team.id,
            "company_id": team.company_id.id,
            "channel_id": channel.id if channel else False,
            # as typed, normalised: not the customer's stored number, whatever its format
            "partner_phone": self._web_form_phone(form["phone"]),
        }
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
                author_id=partner.id,  # False: sent by the email only, no contact is made its author
                email_from=email,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return ticket

    # ------------------------------------------------------------------ routes
    @http.route(
        "/helpdesk/<int:team_id>/submit",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        max_content_length=lambda controller: controller._web_form_max_content_length(),
    )
    def cs_ticket_web_form(self, team_id, **post):
        team = self._web_form_team(team_id)
        if request.httprequest.method != "POST":
            return self._web_form_render(team, self._web_form_defaults())

        form = {key: (post.get(key) or "").strip() for key in self._web_form_fields}
        errors = self._web_form_validate(form)
        files = [upload for upload in request.httprequest.files.getlist("attachments") if upload.filename]
        if errors:
            return self._web_form_render(team, form, errors, status=400, files_dropped=bool(files))
        # before any file is read: a robot over its limit costs no more than this count
        rate_error = self._web_form_check_rate_limit(tools.email_normalize(form["email"]))
        if rate_error:
            return self._web_form_render(team, form, {"form": rate_error}, status=429, files_dropped=bool(files))
        attachments, attachment_error = self._web_form_read_attachments(files)
        if attachment_error:
            errors["attachments"] = attachment_error
            return self._web_form_render(team, form, errors, status=400, files_dropped=True)

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
