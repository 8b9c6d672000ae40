import random
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

# Realistic subjects per ticket type, as customers write them.
DEMO_SUBJECTS = {
    "parcel": [
        "我的包裹到哪了",
        "快递显示已签收但我没收到",
        "物流信息三天没有更新",
        "能否修改收货地址",
        "包裹外包装破损，里面的东西不知道有没有坏",
        "下单一周了还没发货",
        "订单被拆成几个包裹了吗",
        "快递员没打电话就放驿站了",
    ],
    "aftersales": [
        "申请7天无理由退货",
        "收到的商品有质量问题要换货",
        "耳机左耳没有声音，申请维修",
        "退款什么时候到账",
        "尺码不合适想换大一号",
        "保修期内屏幕出现亮点",
        "少发了一件配件",
        "发票抬头开错了需要重开",
    ],
    "complaint": [
        "客服回复太慢",
        "快递延误两周仍未送达",
        "商品与描述严重不符",
        "退款申请被无故拒绝",
        "客服态度差，挂我电话",
        "多次联系都没有解决问题",
        "价格保护承诺没有兑现",
    ],
    "consultation": [
        "这款手机支持5G吗",
        "洗衣机的安装费用怎么算",
        "会员积分怎么使用",
        "能开增值税专用发票吗",
        "这件衣服有没有L码",
        "空调的能效等级是多少",
        "下单后多久发货",
        "支持货到付款吗",
    ],
    "suggestion": [
        "希望增加夜间人工客服",
        "建议APP增加物流推送提醒",
        "包装可以更环保一些",
        "希望支持更多支付方式",
        "退货流程可以再简化",
    ],
}

# type code -> (weight, team xml id, [(category xml id or None, weight)])
DEMO_TYPES = {
    "consultation": (
        30,
        "team_presales_demo",
        [("category_product", 6), ("category_usage", 3), ("category_process", 1)],
    ),
    "suggestion": (6, "team_presales_demo", [("category_process", 3), ("category_product", 1), (None, 1)]),
    "aftersales": (26, "team_aftersales_demo", [("category_return_exchange", 6), ("category_repair", 4)]),
    "parcel": (30, "team_parcel_demo", [("category_process", 3), (None, 1)]),
    "complaint": (8, "team_complaint_demo", [(None, 3), ("category_process", 1), ("category_return_exchange", 1)]),
}

DEMO_CHANNELS = [
    ("channel_chat", 30),
    ("channel_phone", 24),
    ("channel_email", 16),
    ("channel_social", 10),
    ("channel_web", 10),
    ("channel_sms", 5),
    ("channel_walk_in", 5),
]
LIVE_CHANNELS = ("channel_phone", "channel_chat", "channel_walk_in")

DEMO_PARTNERS = [f"partner_{i}_demo" for i in range(1, 13)]
DEMO_VIP_PARTNERS = ("partner_1_demo", "partner_2_demo")


class CsHelpdeskDemo(models.AbstractModel):
    """Demo tickets generated rather than written in XML: a few hundred, with a realistic history."""

    _name = "cs.helpdesk.demo"
    _description = "Customer Service Demo Data"

    @api.model
    def _demo_keep_roles(self, group_xmlids):
        """Take the groups ``group_xmlids`` away from the suite's demo users.

        Installing an app after the demo users exist gives each of them what Odoo's default user
        template holds (Time Off and Attendances administrator, RMA user...): the demo users stand
        for roles whose rights the tests check over JSON-RPC, so they keep only their role's groups.
        """
        groups = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in group_xmlids]
        user_ids = (
            self.env["ir.model.data"]
            .search([("model", "=", "res.users"), ("module", "=like", "cs\\_%"), ("name", "=like", "user\\_%\\_demo")])
            .mapped("res_id")
        )
        self.env["res.users"].browse(user_ids).write(
            {"groups_id": [Command.unlink(group.id) for group in groups if group]}
        )

    @api.model
    def _generate_demo_tickets(self, count=300, seed=20240618, weeks=8):
        """Create ``count`` demo tickets spread over the last ``weeks`` weeks.

        Deterministic for one seed. Tickets go through the ORM ``create`` (team
        assignment, SLA lines, followers), then their history (dates, stages,
        reopenings) is written back in SQL and the SLA lines are rebuilt from the
        back-dated creation time, so reports show realistic response times, SLA
        results and first contact resolution.
        """
        rng = random.Random(seed)
        ref = self.env.ref
        # the SLA notes written below read in their reader's language: load this module's terms (stage, level
        # and policy names) now rather than after the demo data, when they would come too late for those notes
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        if langs:
            self.env["ir.module.module"]._load_module_terms(["cs_helpdesk"], langs)
        now = fields.Datetime.now().replace(microsecond=0)
        types = {code: ref(f"cs_helpdesk.type_{code}") for code in DEMO_TYPES}
        type_codes = list(DEMO_TYPES)
        type_weights = [DEMO_TYPES[code][0] for code in type_codes]
        channel_ids = {xmlid: ref(f"cs_helpdesk.{xmlid}").id for xmlid, _weight in DEMO_CHANNELS}
        partners = [ref(f"cs_helpdesk.{xmlid}") for xmlid in DEMO_PARTNERS]
        vip_ids = {ref(f"cs_helpdesk.{xmlid}").id for xmlid in DEMO_VIP_PARTNERS}
        complaint_handlers = [ref("cs_helpdesk.user_manager_demo"), ref("cs_helpdesk.user_leader_demo")]

        vals_list, histories = [], []
        for _index in range(count):
            code = rng.choices(type_codes, type_weights)[0]
            _weight, team_xmlid, categories = DEMO_TYPES[code]
            category_xmlid = rng.choices([c for c, _w in categories], [w for _c, w in categories])[0]
            channel = rng.choices([c for c, _w in DEMO_CHANNELS], [w for _c, w in DEMO_CHANNELS])[0]
            partner = rng.choice(partners)
            priority = rng.choices(["0", "1", "2", "3"], [15, 60, 20, 5] if code != "complaint" else [0, 30, 45, 25])[0]
            created = self._demo_create_date(rng, now, weeks)
            history = self._demo_history(rng, now, created, channel, partner.id in vip_ids, code)
            vals = {
                "name": rng.choice(DEMO_SUBJECTS[code]),
                "description": self._demo_description(rng, code),
                "partner_id": partner.id,
                "type_id": types[code].id,
                "category_id": category_xmlid and ref(f"cs_helpdesk.{category_xmlid}").id,
                "channel_id": channel_ids[channel],
                "team_id": ref(f"cs_helpdesk.{team_xmlid}").id,
                "priority": priority,
            }
            if channel == "channel_phone":
                vals["answer_seconds"] = rng.randint(4, 30) if rng.random() < 0.85 else rng.randint(31, 150)
            if code == "complaint" and history["state"] != "new":
                vals["user_id"] = rng.choice(complaint_handlers).id
            vals_list.append(vals)
            histories.append((created, history))

        tickets = self.env["cs.ticket"].with_context(mail_notrack=True, mail_create_nolog=True).create(vals_list)
        stages = {
            state: ref(f"cs_helpdesk.stage_{state}")
            for state in ("new", "assigned", "in_progress", "waiting", "resolved", "closed")
        }
        rows = []
        for ticket, (created, history) in zip(tickets, histories, strict=True):
            state = history["state"]
            if state == "new" and ticket.user_id:
                state = "assigned"
            rows.append(
                (
                    ticket.id,
                    created,
                    created + timedelta(minutes=rng.randint(1, 20)) if ticket.user_id else None,
                    history["first_response_date"] or None,
                    history["resolved_date"] or None,
                    history["closed_date"] or None,
                    history["reopen_count"],
                    stages[state].id,
                )
            )
        self._demo_write_history(rows)
        tickets.invalidate_recordset()

        # rebuild the SLA lines from the back-dated creation and reply times,
        # before the tickets reach their final (maybe closed) stage
        tickets.sudo().sla_ids.unlink()
        tickets.invalidate_recordset()
        tickets._sla_apply()
        self._demo_write_stages(rows)
        tickets.invalidate_recordset()
        waiting = tickets.filtered(lambda t: t.stage_id == stages["waiting"])
        waiting.sudo().sla_ids._pause(now)
        # overdue targets become failures (and escalate) as the cron would do
        self.env["cs.ticket.sla"]._cron_process_sla(batch_size=100000)
        return tickets

    @api.model
    def _demo_create_date(self, rng, now, weeks):
        """Creation time in the last ``weeks`` weeks, weighted to weekdays and Shanghai office hours."""
        while True:
            day = rng.randint(0, weeks * 7 - 1)
            moment = now - timedelta(days=day)
            if moment.weekday() >= 5 and rng.random() < 0.4:
                continue  # fewer contacts at weekends
            local_hour = rng.choices(range(8, 23), [2, 6, 9, 9, 8, 6, 7, 8, 8, 7, 6, 6, 5, 4, 2])[0]
            created = moment.replace(hour=0, minute=0, second=0) + timedelta(
                hours=local_hour - 8, minutes=rng.randint(0, 59), seconds=rng.randint(0, 59)
            )
            if created < now - timedelta(minutes=5):
                return created

    @api.model
    def _demo_history(self, rng, now, created, channel, vip, code):
        """Pick the ticket's stage and reply/resolution times according to its age and channel."""
        age_days = (now - created).total_seconds() / 86400
        if age_days > 14:
            weights = {"closed": 70, "resolved": 18, "waiting": 5, "in_progress": 5, "assigned": 2}
        elif age_days > 3:
            weights = {"closed": 35, "resolved": 30, "in_progress": 15, "waiting": 12, "assigned": 8}
        else:
            weights = {"resolved": 20, "in_progress": 30, "assigned": 25, "new": 13, "waiting": 12}
        if code == "complaint":
            # resolving a complaint takes its handling steps (review, feedback, return visit):
            # the generated ones stay open, in the hands of the complaint handlers
            weights = {state: weight for state, weight in weights.items() if state not in ("resolved", "closed")}
        else:
            weights.pop("new", None)
        state = rng.choices(list(weights), list(weights.values()))[0]
        history = {
            "state": state,
            "first_response_date": False,
            "resolved_date": False,
            "closed_date": False,
            "reopen_count": 0,
        }
        if state in ("new", "assigned") and rng.random() < 0.7:
            return history
        # first reply: minutes on live channels, hours on the others; some late ones
        if channel in LIVE_CHANNELS:
            response = rng.uniform(0.01, 0.4)
        elif vip:
            response = rng.uniform(0.2, 1.8) if rng.random() < 0.8 else rng.uniform(2.1, 6)
        elif rng.random() < 0.85:
            response = rng.lognormvariate(1.0, 0.9)  # median about 2.7 hours
        else:
            response = rng.uniform(25, 60)
        first_response = min(created + timedelta(hours=response), now - timedelta(minutes=1))
        history["first_response_date"] = first_response
        if state not in ("resolved", "closed"):
            return history
        if channel in LIVE_CHANNELS and rng.random() < 0.6:
            extra = rng.uniform(0.0, 0.5)  # solved during the call or chat
        elif vip and rng.random() < 0.8:
            extra = rng.uniform(0.5, 20)
        else:
            extra = rng.uniform(1, 72)
        resolved = min(first_response + timedelta(hours=extra), now - timedelta(seconds=30))
        history["resolved_date"] = resolved
        history["reopen_count"] = rng.choices([0, 1, 2], [88, 10, 2])[0]
        if state == "closed":
            closed = resolved + timedelta(days=rng.uniform(1, 3))
            if closed < now:
                history["closed_date"] = closed
            else:
                history["state"] = "resolved"
        return history

    @api.model
    def _demo_description(self, rng, code):
        order = f"{rng.randint(2024000000, 2024999999)}"
        texts = {
            "parcel": "订单号 %s，麻烦帮忙查一下物流。",
            "aftersales": "订单号 %s，商品问题见附件照片，请尽快处理。",
            "complaint": "订单号 %s，这已经是我第三次联系客服了。",
            "consultation": "想在下单前确认一下，参考订单号 %s。",
            "suggestion": "使用体验建议，相关订单号 %s。",
        }
        return f"<p>{texts[code] % order}</p>"

    @api.model
    def _demo_write_history(self, rows):
        """Write back-dated history in one statement: dates and the durations computed from them."""
        self.env.flush_all()
        values = SQL(", ").join(
            SQL("(%s, %s::timestamp, %s::timestamp, %s::timestamp, %s::timestamp, %s::timestamp, %s, %s)", *row)
            for row in rows
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE cs_ticket t
                   SET create_date = v.created,
                       write_date = COALESCE(v.closed, v.resolved, v.responded, v.created),
                       assign_date = v.assigned,
                       first_response_date = v.responded,
                       resolved_date = v.resolved,
                       reopen_count = v.reopen_count,
                       first_response_hours = COALESCE(EXTRACT(EPOCH FROM v.responded - v.created) / 3600, 0),
                       resolution_hours = COALESCE(EXTRACT(EPOCH FROM v.resolved - v.created) / 3600, 0)
                  FROM (VALUES %s) AS v(id, created, assigned, responded, resolved, closed, reopen_count, stage_id)
                 WHERE t.id = v.id
                """,
                values,
            )
        )
        # the chatter tells the same story as the dates
        self.env.cr.execute(
            SQL(
                """
                UPDATE mail_message m
                   SET date = t.create_date
                  FROM cs_ticket t
                 WHERE m.model = 'cs.ticket' AND m.res_id = t.id AND t.id = ANY(%s)
                """,
                [row[0] for row in rows],
            )
        )

    @api.model
    def _demo_write_stages(self, rows):
        """Move the tickets to their final stage, as the history says, without the stage-change side effects."""
        self.env.flush_all()
        values = SQL(", ").join(SQL("(%s, %s::timestamp, %s)", row[0], row[5], row[7]) for row in rows)
        self.env.cr.execute(
            SQL(
                """
                UPDATE cs_ticket t
                   SET closed_date = v.closed,
                       stage_id = v.stage_id,
                       is_resolved = s.is_resolved,
                       is_closed = s.is_closed
                  FROM (VALUES %s) AS v(id, closed, stage_id)
                  JOIN cs_ticket_stage s ON s.id = v.stage_id
                 WHERE t.id = v.id
                """,
                values,
            )
        )

    # ------------------------------------------------------------------ demo
    @api.model
    def _demo_complaint_backfill(self):
        """Give the generated demo complaints (written in SQL) the handling step, severity and aspect they imply.

        Run before the hand-written demo complaints are created: it only touches complaints never reviewed.
        """
        self.env.flush_all()
        self.env.cr.execute(
            """
            WITH aspect AS (
                SELECT id, ROW_NUMBER() OVER (ORDER BY sequence, id) - 1 AS rank, COUNT(*) OVER () AS total
                  FROM cs_complaint_aspect
                 WHERE active
            )
            UPDATE cs_ticket t
               SET complaint_state = CASE WHEN t.is_closed THEN 'archived'
                                          WHEN t.is_resolved THEN 'return_visit'
                                          WHEN t.user_id IS NOT NULL THEN 'investigating'
                                          ELSE 'registered' END,
                   complaint_severity = CASE t.priority WHEN '3' THEN 'critical' WHEN '2' THEN 'serious'
                                                        WHEN '0' THEN 'minor' ELSE 'normal' END,
                   complaint_aspect_id = a.id,
                   complaint_reasonableness = CASE WHEN t.is_resolved THEN 'reasonable' END,
                   complaint_reviewer_id = t.user_id,
                   complaint_review_date = CASE WHEN t.user_id IS NOT NULL THEN t.assign_date END,
                   complaint_apology = t.user_id IS NOT NULL,
                   complaint_feedback_date = CASE WHEN t.is_resolved THEN t.resolved_date END,
                   complaint_feedback_channel = CASE WHEN t.is_resolved THEN 'phone' END,
                   complaint_evaluation_result = CASE WHEN t.is_closed THEN 'satisfied' END,
                   followup_status = CASE WHEN t.is_closed THEN 'satisfied' ELSE 'none' END
              FROM aspect a
             WHERE t.complaint_state IS NOT NULL
               AND t.complaint_reviewer_id IS NULL
               AND a.rank = t.id % a.total
            """
        )
        Ticket = self.env["cs.ticket"]
        Ticket.invalidate_model()
        waiting = Ticket.search([("complaint_state", "=", "return_visit"), ("followup_status", "=", "none")])
        waiting._followup_plan(fields.Datetime.now())
