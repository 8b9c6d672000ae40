"""Signed JSON endpoints of the inbound integrations (see models/cs_inbound_integration.py).

POST /cs_helpdesk/inbound/<code>/calls     telephony events: ring, answer, transfer, hangup, voicemail, survey
POST /cs_helpdesk/inbound/<code>/messages  shop back-office messages, social media comments and private
                                           messages, SMS replies

Headers ``X-CS-Timestamp`` (Unix seconds) and ``X-CS-Signature`` (hex HMAC-SHA256 of
``<timestamp>.<raw body>`` with the integration's secret). The body is one event object or
``{"events": [...]}``; a batch is saved entirely or not at all. Answers are JSON: 200 with the
status of each event ("processed" or "duplicate"), 4xx with ``error`` saying why nothing was saved.
"""

import json

from odoo import SUPERUSER_ID, http
from odoo.exceptions import UserError
from odoo.http import request
from psycopg2 import errors as pg_errors

from ..models.cs_call_event import validate_call_event
from ..models.cs_inbound_integration import CsInboundError
from ..models.cs_inbound_message import validate_message_event

# machine-to-machine JSON: no session, no CSRF token (the signature authenticates), always writing
ENDPOINT = {
    "type": "http",
    "auth": "none",
    "methods": ["POST"],
    "csrf": False,
    "save_session": False,
    "readonly": False,
}
# one request carries at most this many events (a switch replaying a backlog sends several requests)
MAX_EVENTS = 1000


class CsTelephony(http.Controller):
    @http.route("/cs_helpdesk/inbound/<string:code>/calls", **ENDPOINT)
    def cs_call_events(self, code, **_kwargs):
        return self._cs_receive(code, "telephony", validate_call_event, "cs.call")

    @http.route("/cs_helpdesk/inbound/<string:code>/messages", **ENDPOINT)
    def cs_message_events(self, code, **_kwargs):
        return self._cs_receive(code, "messages", validate_message_event, "cs.inbound.message")

    def _cs_receive(self, code, kind, validate, model):
        if not request.db:
            return self._cs_json({"status": "error", "error": "No database selected."}, 404)
        # auth="none": nobody is signed in; the signature is the authentication, checked before any read
        env = request.env(user=SUPERUSER_ID, su=True)
        try:
            integration = env["cs.inbound.integration"]._cs_find(code, kind)
            integration = integration.with_company(integration.company_id).with_context(
                lang=integration.company_id.partner_id.lang or "en_US"
            )
            body = request.httprequest.get_data()
            headers = request.httprequest.headers
            integration._cs_authenticate(headers.get("X-CS-Timestamp"), headers.get("X-CS-Signature"), body)
            single, events = self._cs_parse(integration.env, body)
            events = [validate(integration.env, event) for event in events]
            Model = integration.env[model]
            cache = {}
            with integration.env.cr.savepoint():
                Model._cs_prefetch(integration, events, cache)
                results = integration._cs_ingest(
                    events, lambda event: Model._cs_process_event(integration, event, cache)
                )
        except CsInboundError as error:
            return self._cs_json({"status": "error", "error": error.message}, error.status)
        except UserError as error:
            return self._cs_json({"status": "error", "error": str(error)}, 422)
        except pg_errors.UniqueViolation:
            # another request is recording the same call right now: nothing was saved, the sender retries
            message = request.env._("A concurrent request is recording the same call: send this one again.")
            return self._cs_json({"status": "error", "error": message}, 409)
        if single:
            return self._cs_json({"status": results[0][1], "id": results[0][0]}, 200)
        return self._cs_json({"status": "ok", "results": [{"id": i, "status": s} for i, s in results]}, 200)

    def _cs_parse(self, env, body):
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            raise CsInboundError(400, env._("The body is not valid JSON.")) from None
        if isinstance(data, dict) and "events" in data:
            events = data["events"]
            if not isinstance(events, list) or not events:
                raise CsInboundError(400, env._("“events” must be a non-empty list."))
            if len(events) > MAX_EVENTS:
                raise CsInboundError(413, env._("At most %(count)s events per request.", count=MAX_EVENTS))
            return False, events
        if not isinstance(data, dict):
            raise CsInboundError(400, env._("The body must be an event object or {“events”: [...]}."))
        return True, [data]

    def _cs_json(self, data, status):
        return request.make_json_response(data, status=status)
