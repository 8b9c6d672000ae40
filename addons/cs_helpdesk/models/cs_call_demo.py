import random
from datetime import timedelta

from odoo import api, fields, models

from .cs_call_event import validate_call_event

# the demo day: one call every few minutes on the hotline, most answered quickly
DEMO_CALLS = 90
DEMO_DAYS = 14


class CsCall(models.Model):
    _inherit = "cs.call"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cs_demo_calls(self, integration_xmlid):
        """Demo calls of the last two weeks, played through the event path like the telephony system would."""
        integration = self.env.ref(integration_xmlid)
        rng = random.Random(13)
        partners = self.env["res.partner"].search(
            [("cs_phone_key", "=like", "+86%"), ("user_ids", "=", False)], limit=8
        )
        numbers = [p.cs_phone_key for p in partners] + ["+8613911112222", "+8618600001111", "+8615000002222"]
        agents = [self.env.ref(f"cs_helpdesk.{xmlid}").login for xmlid in ("user_agent_demo", "user_agent2_demo")]
        queues = integration.route_ids.mapped("code")
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        events = []
        for index in range(DEMO_CALLS):
            call_id = f"demo-{index:03d}"
            start = now - timedelta(
                days=rng.randint(0, DEMO_DAYS - 1), hours=rng.randint(1, 9), minutes=rng.randint(0, 59)
            )
            agent = rng.choice(agents)
            ring = {"id": f"{call_id}-r", "type": "ring", "call_id": call_id, "time": start.isoformat(),
                    "caller": rng.choice(numbers), "queue": rng.choice(queues), "agent": agent}  # fmt: skip
            events.append(ring)
            fate = rng.random()
            wait = rng.randint(3, 25) if rng.random() < 0.8 else rng.randint(31, 90)
            if fate < 0.8:
                talk = rng.randint(60, 600)
                end = start + timedelta(seconds=wait + talk)
                events.append({"id": f"{call_id}-a", "type": "answer", "call_id": call_id,
                               "time": (start + timedelta(seconds=wait)).isoformat()})  # fmt: skip
                events.append({"id": f"{call_id}-h", "type": "hangup", "call_id": call_id, "time": end.isoformat(),
                               "hold_seconds": rng.choice([0, 0, 15, 40]),
                               "recording_url": f"https://pbx.example.com/recordings/{call_id}.mp3"})  # fmt: skip
                if rng.random() < 0.6:
                    events.append({"id": f"{call_id}-s", "type": "survey", "call_id": call_id,
                                   "time": end.isoformat(), "score": rng.choice([5, 5, 5, 4, 4, 3, 2])})  # fmt: skip
            elif fate < 0.9:
                events.append({"id": f"{call_id}-h", "type": "hangup", "call_id": call_id,
                               "time": (start + timedelta(seconds=wait)).isoformat(), "reason": "caller"})  # fmt: skip
            elif fate < 0.95:
                events.append({"id": f"{call_id}-h", "type": "hangup", "call_id": call_id,
                               "time": (start + timedelta(seconds=45)).isoformat(), "reason": "timeout"})  # fmt: skip
            else:
                events.append({"id": f"{call_id}-v", "type": "voicemail", "call_id": call_id,
                               "time": (start + timedelta(seconds=50)).isoformat(),
                               "recording_url": f"https://pbx.example.com/voicemail/{call_id}.mp3"})  # fmt: skip
        cache = {}
        events = [validate_call_event(self.env, event) for event in events]
        integration._cs_ingest(events, lambda event: self._cs_process_event(integration, event, cache))
