from odoo.addons.cs_quality.tools.segmenter import find_phrases, html_to_text, tokenize

from .common import CsQualityCase


class TestSegmenter(CsQualityCase):
    def phrases(self, kind):
        return self.env["cs.qa.phrase"]._matchers()[kind]

    def found(self, text, kind):
        return ["".join(p) for p in find_phrases(tokenize(text), self.phrases(kind))]

    def test_polite_words(self):
        self.assertEqual(self.found("您好，请问有什么可以帮您？", "polite"), ["您好", "请问"])
        self.assertIn("谢谢您", self.found("谢谢您的耐心等待，再见！", "polite"))
        self.assertFalse(self.found("包裹明天到。", "polite"))

    def test_negative_phrases_match_whole_words_only(self):
        self.assertEqual(self.found("这个我不能帮您办理。", "negative"), ["我不能"])
        self.assertEqual(self.found("价格是优惠了，但是不能退款。", "negative"), ["但是"])
        # 但是否 is 但 + 是否 ("but whether"), 我不能不说 keeps 不能不 ("must") together: no negative phrase
        self.assertFalse(self.found("我们会尽快处理，但是否能退款需要财务审核。", "negative"))
        self.assertFalse(self.found("我不能不说，这款耳机的音质非常好。", "negative"))
        # a raw substring search would have flagged both
        self.assertIn("但是", "我们会尽快处理，但是否能退款需要财务审核。")

    def test_phrase_list_is_configurable(self):
        self.assertFalse(self.found("这个没办法处理。", "negative"))
        phrase = self.env["cs.qa.phrase"].create({"name": "没办法", "kind": "negative"})
        self.assertEqual(self.found("这个没办法处理。", "negative"), ["没办法"])
        phrase.active = False
        self.assertFalse(self.found("这个没办法处理。", "negative"))

    def test_html_to_text(self):
        self.assertEqual(html_to_text("<p>您好&nbsp;<b>王先生</b></p>"), "您好 王先生")


class TestAutoCheck(CsQualityCase):
    def results(self, ticket):
        return {check.check: check.result for check in ticket.qa_check_ids}

    def test_checks_on_closed_tickets(self):
        good = self.closed_ticket(replies=["您好，您的包裹已经发出，请耐心等待。", "谢谢您的耐心，再见！"])
        bad = self.closed_ticket(replies=["这个我不会处理，但是可以转给同事。"])
        unanswered = self.closed_ticket(replies=["您好，请问订单号是多少？"])
        self.customer_message(unanswered, "订单号是 12345。")
        open_ticket = self.make_ticket(user_id=self.agent1.id)
        processed = self.env["cs.ticket"]._cron_qa_checks()
        self.assertEqual(processed, 3)
        self.assertFalse(open_ticket.qa_check_ids)
        self.assertEqual(self.results(good), {"polite": "pass", "negative": "pass", "unanswered": "pass"})
        self.assertEqual(self.results(bad), {"polite": "fail", "negative": "fail", "unanswered": "pass"})
        negative = bad.qa_check_ids.filtered(lambda c: c.check == "negative")
        self.assertEqual(negative.detail, "但是、我不会")
        self.assertEqual(self.results(unanswered)["unanswered"], "fail")
        self.assertEqual(self.env["cs.ticket"]._cron_qa_checks(), 0, "checked tickets are not checked again")

    def test_apology_on_complaints_and_first_response(self):
        self.make_policy(time_unit="hours", first_response_time=4)
        complaint = self.closed_ticket(replies=["您好，已为您登记。"], type_id=self.type_complaint.id)
        sorry = self.closed_ticket(replies=["非常抱歉给您带来不便，已为您登记。"], type_id=self.type_complaint.id)
        sorry.sla_ids.filtered(lambda sla: sla.kind == "first_response").status = "failed"
        question = self.closed_ticket(replies=["您好，已为您查询。"])
        (complaint | sorry | question)._qa_run_checks()
        self.assertEqual(self.results(complaint)["apology"], "fail")
        self.assertEqual(self.results(sorry)["apology"], "pass")
        self.assertNotIn("apology", self.results(question), "no apology is expected outside complaints")
        self.assertEqual(self.results(complaint)["first_response"], "pass")
        self.assertEqual(self.results(sorry)["first_response"], "fail")

    def test_unanswered_needs_a_written_question(self):
        phone = self.closed_ticket(question=None, replies=())
        silent = self.closed_ticket(replies=())
        (phone | silent)._qa_run_checks()
        self.assertEqual(self.results(phone), {}, "nothing written: nothing to check")
        self.assertEqual(self.results(silent), {"unanswered": "fail"})

    def test_reopened_ticket_is_checked_again(self):
        ticket = self.closed_ticket()
        ticket._qa_run_checks()
        self.assertTrue(ticket.qa_checked_date)
        ticket.stage_id = self.stage_progress
        self.assertFalse(ticket.qa_checked_date)
        ticket.stage_id = self.stage_closed
        self.assertEqual(self.env["cs.ticket"]._cron_qa_checks(), 1)
        self.assertEqual(len(ticket.qa_check_ids), 3, "old results are replaced")

    def test_results_prefill_review_and_agreement(self):
        ticket = self.closed_ticket(replies=["这个我不能退，但是可以换货。"])
        ticket._qa_run_checks()
        review = self.env["cs.qa.review"].create({"ticket_id": ticket.id, "inspector_id": self.inspector1.id})
        by_check = {line.criterion_id.auto_check: line for line in review.line_ids}
        self.assertEqual(by_check["polite"].auto_result, "fail")
        self.assertEqual(by_check["polite"].answer_yes_no, "no")
        self.assertEqual(by_check["negative"].answer_yes_no, "no")
        self.assertEqual(by_check["unanswered"].answer_yes_no, "yes")
        self.assertFalse(by_check[False].answered, "criteria without automatic check wait for the inspector")
        by_check["polite"].answer_yes_no = "yes"  # the inspector overrides
        self.assertTrue(by_check["polite"].overridden)
        self.assertFalse(by_check["negative"].overridden)

    def test_agents_see_only_their_results(self):
        mine = self.closed_ticket(agent=self.agent1)
        theirs = self.closed_ticket(agent=self.agent2)
        (mine | theirs)._qa_run_checks()
        visible = self.env["cs.qa.check"].with_user(self.agent1).search([])
        self.assertEqual(visible.ticket_id, mine)
        self.assertEqual(
            self.env["cs.qa.check"].with_user(self.leader).search_count([("ticket_id", "in", (mine | theirs).ids)]), 6
        )
