"""A working day of the Customer Service suite, for Locust (run by bench/load/run_load.py).

User kinds, weighted as in a contact centre (100 users: 40 agents on tickets, 20 on CRM
leads as the reference, 10 team leaders, 25 customers, 5 mail gateway feeders):

* ``TicketAgent``: logs in, opens the ticket list with filters, opens a ticket, inserts a
  knowledge answer (the insert wizard's "send"), replies, moves the ticket to another stage.
* ``LeadAgent``: the same clicks on ``crm.lead`` (list, open, log a note, change stage): the
  core Odoo reference measured under the same load.
* ``TeamLeader``: the ticket and complaint analysis pivots (read_group, on the replica).
* ``Customer``: the portal ticket list and one ticket, a reply in its chatter, and a web
  form submission (as a visitor, with the form's CSRF token).
* ``MailGateway``: an email in, as ``odoo-mailgate`` delivers it (``message_process``).

Requests are named ``<kind>: <action>``; agent actions are named alike for tickets and
leads (``ticket agent: list`` / ``lead agent: list``) so they compare line by line. Every
request is appended to CS_LOAD_OUT/requests.csv (with the error of a failed one); the
subjects of the web form submissions and gateway emails to CS_LOAD_OUT/tokens.csv (with
whether Odoo answered), to count their tickets afterwards. Think times: a person reads or
types 2-6 s between two clicks, an agent takes 5-15 s more between two tickets.
"""

import csv
import itertools
import json
import os
import random
import re
import threading
import time
from pathlib import Path

import agent_actions
import gevent
from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(Path(os.environ["CS_LOAD_ACCOUNTS"]).read_text())
OUT = Path(os.environ["CS_LOAD_OUT"])
DB = ACCOUNTS["db"]
RUN = ACCOUNTS["run"]
_lock = threading.Lock()
_counter = itertools.count(1)
_pools = {kind: itertools.cycle(ACCOUNTS[kind]) for kind in ("ticket_agents", "lead_agents", "leaders", "customers")}
_requests = open(OUT / "requests.csv", "a", newline="", encoding="utf-8")  # closed at quit
_tokens = open(OUT / "tokens.csv", "a", newline="", encoding="utf-8")
_requests_csv, _tokens_csv = csv.writer(_requests), csv.writer(_tokens)
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
TOKEN_RE = re.compile(r'data-token="([^"]+)"')  # the portal chatter's access token of the ticket
ERROR_URL_RE = re.compile(r" for url: \S+")  # "502 Server Error: Bad Gateway for url: http://…"


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **_kwargs):
    with _lock:
        error = ERROR_URL_RE.sub("", str(exception))[:160] if exception else ""
        _requests_csv.writerow([f"{time.time():.3f}", name, f"{response_time:.1f}", 0 if exception else 1, error])


@events.quitting.add_listener
def _close(**_kwargs):
    _requests.close()
    _tokens.close()


def next_account(kind):
    with _lock:
        return next(_pools[kind])


def new_subject(kind):
    with _lock:
        return f"{kind}-{RUN}-{next(_counter)}"


def record_subject(kind, subject, answered):
    """A web form submission or gateway email sent; ``answered``: Odoo said it was taken."""
    with _lock:
        _tokens_csv.writerow([kind, subject, 1 if answered else 0])
        _tokens.flush()


class OdooUser(HttpUser):
    abstract = True
    kind = None
    click_pause = (2, 6)  # seconds a person reads or types between two clicks

    def think(self):
        gevent.sleep(random.uniform(*self.click_pause))

    def rpc(self, path, params, name):
        """A JSON-RPC call of the web client; an Odoo error answer counts as a failure."""
        payload = {"jsonrpc": "2.0", "method": "call", "params": params, "id": next(_counter)}
        with self.client.post(path, json=payload, name=name, catch_response=True) as response:
            try:
                body = response.json()
            except ValueError:
                response.failure(f"not JSON (HTTP {response.status_code})")
                return None
            if body.get("error"):
                response.failure(body["error"].get("data", {}).get("message") or body["error"]["message"])
                return None
            return body.get("result")

    def call(self, model, method, args, kwargs=None, name=None):
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
        return self.rpc(f"/web/dataset/call_kw/{model}/{method}", params, name or f"{self.kind}: {method}")

    def log_in(self, account):
        params = {"db": DB, "login": account["login"], "password": account["password"]}
        result = self.rpc("/web/session/authenticate", params, f"{self.kind}: log in")
        self.uid = result and result.get("uid")


class Agent(OdooUser):
    """The clicks of an agent on one kind of record (``actions``: agent_actions.TICKET or LEAD)."""

    abstract = True
    wait_time = between(5, 15)  # between two tickets (or leads); the clicks on one are think() apart
    actions = stages = None
    account_kind = None

    def on_start(self):
        self.account = next_account(self.account_kind)
        self.log_in(self.account)
        self.record_id = None

    @task
    def work_one(self):
        if not self.uid:  # the log in failed: a person logs in again before working
            self.log_in(self.account)
            return
        model = self.actions["model"]
        params = agent_actions.list_params(self.actions, self.uid)
        records = self.call(model, "web_search_read", [], params, name=f"{self.kind}: list")
        if not records or not records.get("records"):
            return
        self.record_id = random.choice(records["records"])["id"]
        self.think()
        form = {"specification": agent_actions.form_fields(self.actions)}
        self.call(model, "web_read", [[self.record_id]], form, name=f"{self.kind}: open")
        chatter = agent_actions.chatter_params(self.actions, self.record_id)
        self.rpc("/mail/thread/messages", chatter, f"{self.kind}: open chatter")
        self.think()
        self.answer()
        self.think()
        stage = random.choice(self.stages)
        self.call(model, "write", [[self.record_id], {"stage_id": stage}], name=f"{self.kind}: change stage")

    def reply(self):
        self.rpc("/mail/message/post", agent_actions.reply_params(self.actions, self.record_id), f"{self.kind}: reply")


class TicketAgent(Agent):
    weight = 40
    kind = "ticket agent"
    account_kind = "ticket_agents"
    actions = agent_actions.TICKET
    stages = ACCOUNTS["ticket_stages"]

    def answer(self):
        wizard = self.call(
            "cs.knowledge.insert", "web_save", [[], {"ticket_id": self.record_id}],
            {"specification": {"article_id": {"fields": {"display_name": {}}}, "answer": {}}},
            name="ticket agent: insert knowledge answer",
        )  # fmt: skip
        if wizard and wizard[0].get("article_id"):
            self.think()
            self.call(
                "cs.knowledge.insert", "action_post", [[wizard[0]["id"]]], name="ticket agent: send knowledge answer"
            )
        self.think()
        self.reply()


class LeadAgent(Agent):
    weight = 20
    kind = "lead agent"
    account_kind = "lead_agents"
    actions = agent_actions.LEAD
    stages = ACCOUNTS["lead_stages"]

    def answer(self):
        self.reply()


class TeamLeader(OdooUser):
    weight = 10
    kind = "team leader"
    wait_time = between(10, 30)

    def on_start(self):
        self.account = next_account("leaders")
        self.log_in(self.account)

    @task(3)
    def ticket_pivot(self):
        if not self.uid:
            self.log_in(self.account)
            return
        self.call(
            "cs.ticket.report", "read_group", [[], ["__count"], ["team_id", "create_date:month"]], {"lazy": False},
            name="team leader: ticket analysis pivot",
        )  # fmt: skip

    @task(1)
    def complaint_pivot(self):
        self.call(
            "cs.complaint.report", "read_group", [[], ["__count"], ["team_id"]], {"lazy": False},
            name="team leader: complaint analysis pivot",
        )  # fmt: skip


class Customer(OdooUser):
    weight = 25
    kind = "customer"
    wait_time = between(10, 30)

    def on_start(self):
        self.account = next_account("customers")
        self.log_in(self.account)

    @task(3)
    def portal(self):
        if not self.uid:
            self.log_in(self.account)
            return
        self.client.get("/my/tickets", name="customer: portal ticket list")
        self.think()
        ticket_id = random.choice(self.account["tickets"])
        page = self.client.get(f"/my/tickets/{ticket_id}", name="customer: portal ticket")
        match = TOKEN_RE.search(page.text)
        self.think()
        post_data = {"body": "请问处理进度如何？", "message_type": "comment", "subtype_xmlid": "mail.mt_comment"}
        params = {"thread_model": "cs.ticket", "thread_id": ticket_id, "post_data": post_data}
        self.rpc("/mail/message/post", dict(params, token=match.group(1) if match else ""), "customer: portal reply")

    @task(1)
    def web_form(self):
        team = random.choice(ACCOUNTS["web_form_teams"])
        page = self.client.get(f"/helpdesk/{team}/submit", name="customer: web form")
        match = CSRF_RE.search(page.text)
        self.think()
        subject = new_subject("webform")
        form = {
            "csrf_token": match.group(1) if match else "",
            "name": "访客",
            "email": f"{subject}@example.com",
            "phone": "",
            "subject": subject,
            "description": "网页表单提交：商品收到后无法开机。",
        }
        with self.client.post(
            f"/helpdesk/{team}/submit", data=form, name="customer: web form submit", catch_response=True
        ) as response:
            answered = "/thanks" in response.url
            if not answered:
                response.failure(f"no thanks page (HTTP {response.status_code})")
        record_subject("webform", subject, answered)


class MailGateway(OdooUser):
    weight = 5
    kind = "mail gateway"
    wait_time = between(10, 20)

    def on_start(self):
        self.gateway = ACCOUNTS["gateway"]

    @task
    def deliver(self):
        subject = new_subject("gateway")
        email = (
            f"From: Customer <{subject}@example.com>\r\nTo: support@example.com\r\n"
            f"Subject: {subject}\r\nMessage-ID: <{subject}@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n快递三天没有更新物流信息。\r\n"
        )
        args = [DB, self.gateway["uid"], self.gateway["password"], "mail.thread", "message_process"]
        params = {"service": "object", "method": "execute_kw", "args": [*args, ["cs.ticket", email], {}]}
        record_subject("gateway", subject, self.rpc("/jsonrpc", params, "mail gateway: email in") is not None)
