import random
from datetime import timedelta

from odoo import api, fields, models

DEMO_CONVERSATIONS = [
    (
        "我的包裹三天没有物流信息了，麻烦查一下。",
        ["您好，请稍等，我帮您查询一下物流。", "已经联系快递公司，包裹明天送达，谢谢您的耐心，再见！"],
    ),
    ("收到的耳机左耳没声音，能换吗？", ["您好，非常抱歉给您带来不便，已为您登记换货，请把订单号发给我。"]),
    ("退款什么时候到账？", ["这个我不能确定，但是一般三到五天。"]),
    ("能开增值税专用发票吗？", ["可以的，请问您的公司抬头和税号是多少？", "好的，发票会在三个工作日内寄出，谢谢！"]),
    ("客服回复太慢了，我要投诉！", ["我不会处理投诉，您等一下吧。"]),
    ("这件衣服有没有 L 码？", ["您好，L 码有货，请问还有其他需要帮助的吗？"]),
]


class CsQualityDemo(models.AbstractModel):
    """Demo data that needs the helpdesk's generated tickets: conversations, checks, reviews, KPIs."""

    _name = "cs.quality.demo"
    _description = "Customer Service Quality Demo Data"

    @api.model
    def _generate_demo(self, reviews=12, seed=20260301):
        rng = random.Random(seed)
        ref = self.env.ref
        agents = ref("cs_helpdesk.user_agent_demo") | ref("cs_helpdesk.user_agent2_demo")
        tickets = self.env["cs.ticket"].search(
            [("is_closed", "=", True), ("user_id", "in", agents.ids), ("type_code", "!=", "complaint")], order="id"
        )
        tickets = tickets[: reviews + 8]
        for index, ticket in enumerate(tickets):
            question, replies = DEMO_CONVERSATIONS[index % len(DEMO_CONVERSATIONS)]
            ticket.with_context(mail_notrack=True).message_post(
                body=question, author_id=ticket.partner_id.id, message_type="email", subtype_xmlid="mail.mt_comment"
            )
            for reply in replies:
                ticket.with_user(ticket.user_id).with_context(mail_notify_force_send=False).message_post(
                    body=reply, message_type="comment", subtype_xmlid="mail.mt_comment"
                )
        self.env["cs.qa.reply.queue"]._cron_process()
        self.env["cs.ticket"].search([("is_closed", "=", True), ("qa_checked_date", "=", False)])._qa_run_checks()

        inspectors = ref("cs_quality.user_qa_inspector_demo") | ref("cs_helpdesk.user_manager_demo")
        Review = self.env["cs.qa.review"]
        created = Review.browse()
        for index, ticket in enumerate(tickets[:reviews]):
            review = Review.with_user(inspectors[index % 2]).create(
                {"ticket_id": ticket.id, "inspector_id": inspectors[index % 2].id}
            )
            for line in review.line_ids.filtered(lambda line: not line.answered):
                if line.answer_type == "scale":
                    line.answer_scale = str(rng.choice([3, 4, 4, 5, 5]))
                else:
                    line.answer_yes_no = "yes" if rng.random() < 0.85 else "no"
            for line in review.line_ids.filtered("failed"):
                line.root_cause_id = line.criterion_id.root_cause_ids[:1]
            created |= review
        sent = created[: reviews - 3]
        for review in sent:
            review.with_user(review.inspector_id).write(
                {"feedback": "<p>整体服务规范，注意使用礼貌用语，避免负面表达。</p>"}
            )
            review.with_user(review.inspector_id).action_send()
        sent[:2].filtered(lambda r: r.state == "done").sudo().write(
            {"state": "acknowledged", "acknowledged_date": fields.Datetime.now()}
        )
        appealed = sent[2:3]
        if appealed and appealed.state == "done":
            appealed.with_user(appealed.agent_id).action_appeal("我已经按流程升级给售后组，请复核“升级而非猜测”一项。")

        self._demo_esat(agents, rng)

        today = fields.Date.context_today(self)
        Period = self.env["cs.kpi.period"]
        periods = Period.browse()
        for weeks_back in range(8):
            periods |= Period._ensure(self.env.company, today - timedelta(weeks=weeks_back), ["week", "month"])
        periods |= Period._ensure(self.env.company, today, ["quarter", "year"])
        for days_back in range(7):
            periods |= Period._ensure(self.env.company, today - timedelta(days=days_back), ["day"])
        periods._compute_snapshots()

    @api.model
    def _demo_esat(self, agents, rng):
        """The demo agents answer the employee satisfaction survey (this period's ESAT of their team)."""
        survey = self.env.ref("cs_quality.survey_esat_demo")
        for agent in agents:
            answer = survey._create_answer(user=agent)
            for question in survey.question_ids:
                choice = rng.choice(question.suggested_answer_ids[:2])  # satisfied or neutral
                answer._save_lines(question, choice.id)
            answer._mark_done()
