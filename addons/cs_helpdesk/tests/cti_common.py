import json
import time
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

from ..models.cs_call_event import validate_call_event
from ..models.cs_inbound_integration import cs_signature
from ..models.cs_inbound_message import validate_message_event

SECRET = "test-secret-不可泄露"


class CtiCase(TransactionCase):
    """Two teams (after-sales, VIP), their agents, an analyst, a QA reviewer, a telephony integration
    routing queue "after_sales" to the first team and "vip" to the second, and a customer whose phone
    is typed the way people type it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.cn")

        def user(login, groups):
            return new_test_user(cls.env, login=login, groups=groups, tz="Asia/Shanghai", notification_type="inbox")

        cls.agent_a = user("cti_agent_a", "cs_helpdesk.group_agent")
        cls.agent_a.cs_agent_number = "8001"
        cls.agent_b = user("cti_agent_b", "cs_helpdesk.group_agent")
        cls.leader = user("cti_leader", "cs_helpdesk.group_leader")
        cls.analyst = user("cti_analyst", "cs_helpdesk.group_analyst")
        cls.reviewer = user("cti_reviewer", "cs_helpdesk.group_call_recording")
        cls.team_a = cls.env["cs.ticket.team"].create(
            {
                "name": "售后热线",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set(cls.agent_a.ids)],
                "assignment_method": "manual",
            }
        )
        cls.team_b = cls.env["cs.ticket.team"].create(
            {"name": "VIP 热线", "member_ids": [Command.set(cls.agent_b.ids)], "assignment_method": "manual"}
        )
        cls.channel_phone = cls.env.ref("cs_helpdesk.channel_phone")
        cls.integration = cls.env["cs.inbound.integration"].create(
            {
                "name": "热线交换机",
                "code": "switch-test",
                "kind": "telephony",
                "secret": SECRET,
                "team_id": cls.team_a.id,
                "channel_id": cls.channel_phone.id,
                "route_ids": [
                    Command.create({"code": "after_sales", "team_id": cls.team_a.id}),
                    Command.create({"code": "vip", "team_id": cls.team_b.id}),
                ],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "王芳", "phone": "138 0013 8000", "country_id": cls.env.ref("base.cn").id}
        )
        cls.start = datetime(2026, 11, 2, 2, 0, 0)  # 10:00 in Shanghai

    # ------------------------------------------------------------------ helpers
    def at(self, seconds):
        return (self.start + timedelta(seconds=seconds)).isoformat() + "Z"

    def call_events(self, call_id, caller="+8613800138000", queue="after_sales", agent="8001", answer=12, talk=300,
                    hold=0, reason="agent"):  # fmt: skip
        """ring, answer (unless ``answer`` is None) and hang-up of one call."""
        events = [
            {"id": f"{call_id}-ring", "type": "ring", "call_id": call_id, "time": self.at(0), "caller": caller,
             "queue": queue, "agent": agent},
        ]  # fmt: skip
        end = talk if answer is None else answer + talk
        if answer is not None:
            events.append({"id": f"{call_id}-answer", "type": "answer", "call_id": call_id, "time": self.at(answer)})
        events.append(
            {"id": f"{call_id}-hangup", "type": "hangup", "call_id": call_id, "time": self.at(end),
             "hold_seconds": hold, "reason": reason, "recording_url": f"https://rec.example.com/{call_id}.mp3"}
        )  # fmt: skip
        return events

    def ingest(self, events, integration=None, kind="telephony"):
        """What the endpoint does after the signature check: validate all, then ingest."""
        integration = integration or self.integration
        validate, model = (
            (validate_call_event, "cs.call") if kind == "telephony" else (validate_message_event, "cs.inbound.message")
        )
        events = [validate(self.env, event) for event in events]
        cache = {}
        Model = self.env[model].sudo()
        return integration.sudo()._cs_ingest(events, lambda e: Model._cs_process_event(integration.sudo(), e, cache))

    def call(self, call_id):
        return self.env["cs.call"].search(
            [("integration_id", "=", self.integration.id), ("external_call_id", "=", call_id)]
        )

    @staticmethod
    def signed(body, secret=SECRET, timestamp=None):
        raw = json.dumps(body).encode() if not isinstance(body, bytes) else body
        timestamp = str(int(timestamp if timestamp is not None else time.time()))
        return raw, {
            "Content-Type": "application/json",
            "X-CS-Timestamp": timestamp,
            "X-CS-Signature": cs_signature(secret, timestamp, raw),
        }
