#!/usr/bin/env python3
"""Play a realistic call-center day against the telephony endpoint of cs_helpdesk.

Calls arrive between 9:00 and 18:00 with the two daily peaks of a hotline (mid-morning, mid-afternoon);
most are answered within seconds, some wait longer than the 30-second target, a few callers hang up
in the queue (abandoned), ring out (missed) or leave a voicemail; part of the answered callers key in a
satisfaction score. Each event is signed as the endpoint requires (HMAC-SHA256 of ``<timestamp>.<body>``)
and posted in batches, in the order the switch would send them.

    python3 bench/cti_simulator.py --url http://127.0.0.1:8069 --db cs_demo \\
        --code hotline-demo --secret demo-secret-change-me --calls 300 --agents cs_agent,cs_agent2 \\
        --queues presales,aftersales,parcel

Only the standard library and ``requests`` are used; the functions are imported by bench_cti.py.
"""

import argparse
import hashlib
import hmac
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta

# the shape of a hotline day (seeds give no traffic curve): two peaks, at 10:30 and 15:00 local time
PEAKS_HOURS = (10.5, 15.0)
PEAK_SPREAD_HOURS = 1.3
DAY_HOURS = (9.0, 18.0)


def sign(secret, body, timestamp=None):
    """The headers of a signed request with ``body`` (bytes)."""
    timestamp = str(int(timestamp if timestamp is not None else time.time()))
    signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-CS-Timestamp": timestamp, "X-CS-Signature": signature}


def call_day(rng, calls, day, agents, queues, numbers, *, abandoned=0.06, missed=0.02, voicemail=0.03,
             survey=0.4, prefix="sim"):  # fmt: skip
    """The events of ``calls`` calls on ``day`` (a UTC midnight datetime, times in UTC), sorted by time.

    Shares: ``abandoned`` callers hang up while waiting, ``missed`` calls ring out, ``voicemail`` callers
    leave a message; the others are answered, and ``survey`` of those key in a score.
    """
    events = []
    for index in range(calls):
        call_id = f"{prefix}-{day:%Y%m%d}-{index:05d}"
        hour = min(max(rng.gauss(rng.choice(PEAKS_HOURS), PEAK_SPREAD_HOURS), DAY_HOURS[0]), DAY_HOURS[1])
        ring = day + timedelta(hours=hour)
        agent = rng.choice(agents)

        def event(kind, moment, _call_id=call_id, **values):
            return {"id": f"{_call_id}-{kind}", "type": kind, "call_id": _call_id, "time": moment, **values}

        events.append(event("ring", ring, caller=rng.choice(numbers), queue=rng.choice(queues), agent=agent))
        fate = rng.random()
        if fate < abandoned:
            events.append(event("hangup", ring + timedelta(seconds=rng.randint(5, 60)), reason="caller"))
            continue
        if fate < abandoned + missed:
            events.append(event("hangup", ring + timedelta(seconds=45), reason="timeout"))
            continue
        if fate < abandoned + missed + voicemail:
            url = f"https://pbx.example.com/voicemail/{call_id}.mp3"
            events.append(event("voicemail", ring + timedelta(seconds=50), recording_url=url))
            continue
        # 85 % within the 30 s target
        wait = rng.randint(3, 28) if rng.random() < 0.85 else rng.randint(31, 120)
        answer = ring + timedelta(seconds=wait)
        hangup = answer + timedelta(seconds=int(rng.lognormvariate(5.3, 0.6)))  # a median of about 3 minutes
        events.append(event("answer", answer, agent=agent))
        hold = rng.choice((0, 0, 0, 15, 45))
        url = f"https://pbx.example.com/recordings/{call_id}.mp3"
        events.append(event("hangup", hangup, hold_seconds=hold, reason="agent", recording_url=url))
        if rng.random() < survey:
            events.append(event("survey", hangup + timedelta(seconds=20), score=rng.choice((5, 5, 5, 4, 4, 3, 2, 1))))
    events.sort(key=lambda e: e["time"])
    for item in events:
        item["time"] = item["time"].replace(tzinfo=UTC).isoformat()
    return events


def batches(events, size):
    for start in range(0, len(events), size):
        yield events[start : start + size]


def body_of(batch):
    return json.dumps({"events": batch}, ensure_ascii=False).encode()


def main():
    import requests

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="http://127.0.0.1:8069")
    p.add_argument("--db", help="database (sets the session's database when the server hosts several)")
    p.add_argument("--code", required=True, help="the integration's code")
    p.add_argument("--secret", required=True, help="the integration's secret")
    p.add_argument("--calls", type=int, default=300)
    p.add_argument("--batch", type=int, default=50, help="events per request")
    p.add_argument("--agents", default="cs_agent,cs_agent2", help="agent numbers or logins, comma-separated")
    p.add_argument("--queues", default="presales,aftersales,parcel", help="queue codes, comma-separated")
    p.add_argument("--numbers", default="+8613800138001,+8613910882002,+8613722333003,+8613911112222")
    p.add_argument("--day", help="YYYY-MM-DD (default: today)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--replay", action="store_true", help="send every event twice (idempotency check)")
    args = p.parse_args()

    day = datetime.strptime(args.day, "%Y-%m-%d") if args.day else datetime.now(UTC).replace(tzinfo=None)
    day = day.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(hours=8)  # Asia/Shanghai midnight
    events = call_day(
        random.Random(args.seed), args.calls, day, args.agents.split(","), args.queues.split(","),
        args.numbers.split(","),
    )  # fmt: skip
    session = requests.Session()
    if args.db:
        session.get(f"{args.url}/web/login", params={"db": args.db}, timeout=30)
    url = f"{args.url}/cs_helpdesk/inbound/{args.code}/calls"
    counts = {}
    start = time.perf_counter()
    for _round in range(2 if args.replay else 1):
        for batch in batches(events, args.batch):
            body = body_of(batch)
            response = session.post(url, data=body, headers=sign(args.secret, body), timeout=120)
            data = response.json()
            if response.status_code != 200:
                print(f"HTTP {response.status_code}: {data.get('error')}", file=sys.stderr)
                counts["refused"] = counts.get("refused", 0) + len(batch)
                continue
            for result in data["results"]:
                counts[result["status"]] = counts.get(result["status"], 0) + 1
    seconds = time.perf_counter() - start
    print(f"{len(events)} events of {args.calls} calls in {seconds:.1f} s: {counts}")
    return 0 if "refused" not in counts else 1


if __name__ == "__main__":
    sys.exit(main())
