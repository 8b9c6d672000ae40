#!/usr/bin/env python3
"""The load test's agent actions, one request at a time: tickets against crm.lead (target: ratio <= 1.2).

The load test (bench/load/) measures the p95 of each agent action on the cluster with 100 users; on a
shared machine its figures mostly measure the wait for a CPU. This benchmark measures what each request
costs by itself, through Odoo's WSGI application in this process (the web client's JSON-RPC requests,
the HTTP layer, the session and the controllers), on the same records, one request at a time:

* list: ``web_search_read`` of the agent's own records (tickets: the open ones), the list's fields;
* open: ``web_read`` of one record with the form's fields, then ``/mail/thread/messages`` (the chatter);
* reply: ``/mail/message/post`` (ticket: a message to the customer; lead: a note, as in the load test);
  the notification emails a cron renders after a request (see cs_helpdesk's ``_notify_thread_by_email``)
  are rendered between requests, not timed, so the next chatter shows their status as it would;
* change stage: ``write`` of ``stage_id``.

Setup (not timed, rolled back at the end): an agent (group Agent) with --records tickets of customers
(followers of their ticket) and a salesman with as many leads of the same customers, each record with
--messages earlier messages as in a working day (customer emails and replies on tickets, notes on leads).
``--reference message`` makes the lead's reply what the ticket's is, a message emailed to the customer
who follows it (like for like: what the suite adds to Odoo's own cost of that action). Ticket and lead
requests alternate, --rounds times each. Prints median and p95 ms and SQL queries per
request for each action and the ratio tickets/leads of the p95s (all compared actions pooled, as in the
load test's table). ``--profile`` runs cProfile on the ticket requests (``--profile-action``: of one action).

    python3 bench/bench_agent_actions.py --db cs_bench [--rounds 60] [--records 10] [--messages 6]

The database needs cs_helpdesk and crm (the other suite addons may be installed: their hooks count).
"""

import cProfile
import statistics
import sys
import time
from pathlib import Path

import benchlib

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))
import agent_actions  # shared with the Locust users
from report import COMPARED as ACTIONS  # the load test's table: same actions, same p95, same target
from report import TARGET_RATIO, percentile


def setup(env, args):
    """An agent with tickets, a salesman with leads, the same customers, earlier messages (not timed)."""

    def user(login, group):
        groups = [env.ref("base.group_user").id, env.ref(group).id]
        values = {"name": login, "login": login, "password": login, "email": f"{login}@example.com"}
        return env["res.users"].with_context(no_reset_password=True).create(dict(values, groups_id=[(6, 0, groups)]))

    agent = user("bench_agent", "cs_helpdesk.group_agent")
    salesman = user("bench_sales", "sales_team.group_sale_salesman")
    customers = env["res.partner"].create(
        [
            {"name": f"压测客户{index:02d}", "email": f"bench.customer{index}@example.com"}
            for index in range(args.records)
        ]
    )
    team = env["cs.ticket.team"].search([], limit=1)
    tickets = env["cs.ticket"].create(
        [
            {"name": f"查件 {index}", "partner_id": customer.id, "team_id": team.id, "user_id": agent.id}
            for index, customer in enumerate(customers)
        ]
    )
    leads = env["crm.lead"].create(
        [
            {"name": f"商机 {index}", "partner_id": customer.id, "type": "opportunity", "user_id": salesman.id}
            for index, customer in enumerate(customers)
        ]
    )
    for ticket in tickets:
        for index in range(args.messages):
            if index % 2:
                ticket.with_user(agent).message_post(
                    body="<p>您好，已为您查询。</p>", message_type="comment", subtype_xmlid="mail.mt_comment"
                )
            else:
                ticket.message_post(
                    body="<p>我的包裹到哪了？</p>", author_id=ticket.partner_id.id, message_type="email",
                    subtype_xmlid="mail.mt_comment",
                )  # fmt: skip
    for lead in leads:
        for _index in range(args.messages):
            lead.with_user(salesman).message_post(
                body="<p>已电话联系客户。</p>", message_type="comment", subtype_xmlid="mail.mt_note"
            )
    lead_actions = agent_actions.LEAD
    if args.reference == "message":  # like for like: the lead's customer follows it and gets the reply by email
        for lead in leads:
            lead.message_subscribe(lead.partner_id.ids)
        lead_actions = dict(lead_actions, reply=(agent_actions.TICKET["reply"][0], "mail.mt_comment"))
    env.flush_all()
    ticket_stages = [env.ref(f"cs_helpdesk.stage_{name}").id for name in ("in_progress", "waiting")]
    lead_stages = env["crm.stage"].search([("is_won", "=", False)], limit=2).ids
    return [
        ("ticket", agent, agent_actions.TICKET, tickets.ids, ticket_stages),
        ("lead", salesman, lead_actions, leads.ids, lead_stages),
    ]


class Session:
    """One logged-in user of the web client, its requests timed with their SQL queries."""

    def __init__(self, env, client, user, actions, record_ids, stages):
        self.env, self.client, self.actions = env, client, actions
        self.record_ids, self.stages = record_ids, stages
        self.uid = user.id
        self.login = user.login
        self.rpc("/web/session/authenticate", {"db": env.cr.dbname, "login": user.login, "password": user.login})

    def rpc(self, path, params):
        payload = {"jsonrpc": "2.0", "method": "call", "params": params, "id": 1}
        response = self.client.post(path, json=payload, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        body = response.get_json()
        if response.status_code != 200 or body.get("error"):
            raise RuntimeError(f"{path} as {self.login}: {body.get('error') if body else response.status_code}")
        return body["result"]

    def call(self, method, args, kwargs):
        model = self.actions["model"]
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs}
        return self.rpc(f"/web/dataset/call_kw/{model}/{method}", params)

    def requests(self, index):
        """The actions on the index-th record, as (name, function) in the order an agent clicks them."""
        record_id = self.record_ids[index % len(self.record_ids)]
        stage = self.stages[index % len(self.stages)]
        form = {"specification": agent_actions.form_fields(self.actions)}
        chatter = agent_actions.chatter_params(self.actions, record_id)
        reply = agent_actions.reply_params(self.actions, record_id)
        return [
            ("list", lambda: self.call("web_search_read", [], agent_actions.list_params(self.actions, self.uid))),
            ("open", lambda: self.call("web_read", [[record_id]], form)),
            ("open chatter", lambda: self.rpc("/mail/thread/messages", chatter)),
            ("reply", lambda: self.rpc("/mail/message/post", reply)),
            ("change stage", lambda: self.call("write", [[record_id], {"stage_id": stage}], {})),
        ]


def main():
    p = benchlib.parser(__doc__)
    p.add_argument("--rounds", type=int, default=60, help="times each action runs on each side")
    p.add_argument("--records", type=int, default=10, help="tickets (and leads) of the agent")
    p.add_argument("--messages", type=int, default=6, help="earlier messages per record")
    p.add_argument(
        "--reference",
        choices=("note", "message"),
        default="note",
        help="the lead's reply: a note (the load test's reference) or an email to its customer (like for like)",
    )
    p.add_argument("--profile-action", choices=ACTIONS, help="with --profile: only this action's ticket requests")
    args = p.parse_args()
    with benchlib.environment(args, modules=("cs_helpdesk", "crm")) as env:
        sides = setup(env, args)
        try:
            sessions = {name: Session(env, benchlib.wsgi_client(env, args), *rest) for name, *rest in sides}
            timings = {(side, action): [] for side in sessions for action in ACTIONS}
            queries = {(side, action): [] for side in sessions for action in ACTIONS}
            profiler = cProfile.Profile() if args.profile else None
            for index in range(args.rounds):
                order = list(sessions.items()) if index % 2 else list(reversed(sessions.items()))
                for side, session in order:
                    for action, request in session.requests(index):
                        env.invalidate_all()
                        before = env.cr.sql_log_count
                        use_profiler = profiler and side == "ticket" and args.profile_action in (None, action)
                        start = time.perf_counter()
                        if use_profiler:
                            profiler.enable()
                        request()
                        if use_profiler:
                            profiler.disable()
                        timings[side, action].append((time.perf_counter() - start) * 1000)
                        queries[side, action].append(env.cr.sql_log_count - before)
                        # what the cron node does seconds later: emails of replies posted in a request
                        env["mail.message.schedule"].sudo()._send_notifications_cron()
        finally:
            env.registry.leave_test_mode()
        if profiler:
            benchlib.print_profile(profiler, "ticket requests")
    rows, ratios = [], []
    for action in ACTIONS:
        ticket, lead = timings["ticket", action], timings["lead", action]
        ratio = percentile(ticket, 0.95) / percentile(lead, 0.95)
        ratios.append(ratio)
        rows.append(
            (
                f"{action}: ms median/p95 ticket | lead, queries ticket | lead",
                f"{statistics.median(ticket):.1f}/{percentile(ticket, 0.95):.1f} | "
                f"{statistics.median(lead):.1f}/{percentile(lead, 0.95):.1f}, "
                f"{statistics.median(queries['ticket', action]):.0f} | {statistics.median(queries['lead', action]):.0f}"
                f"  (p95 ratio {ratio:.2f})",
            )
        )
    pooled = percentile([t for a in ACTIONS for t in timings["ticket", a]], 0.95) / percentile(
        [t for a in ACTIONS for t in timings["lead", a]], 0.95
    )
    rows.append(("p95 of all compared actions, tickets / leads", round(pooled, 2)))
    title = f"agent actions, one request at a time (lead reply: {args.reference})"
    ok = benchlib.report(args, title, rows, [(f"p95 ratio tickets/leads <= {TARGET_RATIO}", pooled <= TARGET_RATIO)])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
