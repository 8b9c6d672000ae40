from datetime import date, timedelta

from freezegun import freeze_time
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CsHelpdeskCase


@tagged("post_install", "-at_install")
class TestKnowledge(CsHelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = new_test_user(cls.env, "kb_reviewer", groups="cs_helpdesk.group_knowledge_reviewer")
        cls.category = cls.env["cs.knowledge.category"].create({"name": "Returns", "reviewer_id": cls.leader.id})
        cls.env["ir.config_parameter"].sudo().set_param("cs_helpdesk.knowledge_review_days", 90)
        Article = cls.env["cs.knowledge.article"]
        cls.published = Article.create(
            {
                "name": "Refund delay",
                "article_type": "qa",
                "category_id": cls.category.id,
                "keywords": "refund, 退款",
                "question": "When do I get my money back?",
                "answer": "<p>Your refund goes back to the original payment method.</p>",
                "body": "<p>Refunds follow the warehouse inspection.</p>",
                "ticket_type_ids": [Command.link(cls.type_complaint.id)],
                "state": "published",
            }
        )
        cls.draft = Article.create({"name": "Exchange steps", "article_type": "procedure", "body": "<p>Steps</p>"})

    def test_article_workflow(self):
        """Agent drafts and submits, the category's reviewer is asked, publishes, and the review dates follow."""
        article = (
            self.env["cs.knowledge.article"]
            .with_user(self.agent1)
            .create(
                {
                    "name": "Where is my parcel?",
                    "article_type": "faq",
                    "category_id": self.category.id,
                    "answer": "<p>Track it in your order.</p>",
                }
            )
        )
        self.assertEqual(article.state, "draft")
        self.assertEqual(article.reviewer_id, self.leader, "the category's reviewer is proposed")
        self.assertEqual(article.review_interval_days, 90, "the review period comes from the settings")

        article.action_submit()
        self.assertEqual(article.state, "in_review")
        review = article.activity_ids.filtered(lambda a: a.user_id == self.leader)
        self.assertEqual(len(review), 1, "the reviewer gets a review activity")
        with self.assertRaises(AccessError, msg="an article under review is locked for its author"):
            article.with_user(self.agent1).write({"name": "Changed"})

        with freeze_time("2026-03-02"):
            article.with_user(self.leader).action_publish()
        self.assertEqual(article.state, "published")
        self.assertEqual(article.last_review_date, date(2026, 3, 2))
        self.assertEqual(article.next_review_date, date(2026, 3, 2) + timedelta(days=90))
        self.assertFalse(article.activity_ids, "publishing closes the review activity")

        article.with_user(self.agent2).action_request_update()
        self.assertEqual(article.state, "to_update", "any agent reports an outdated article")
        article.with_user(self.leader).action_archive()
        self.assertEqual((article.state, article.active), ("archived", False))
        article.with_user(self.leader).action_reset_draft()
        self.assertEqual((article.state, article.active), ("draft", True))

    def test_reviewer_sends_back(self):
        self.draft.action_submit()
        self.draft.with_user(self.reviewer).action_reject()
        self.assertEqual(self.draft.state, "draft")
        with self.assertRaises(UserError):
            self.draft.with_user(self.reviewer).action_reject()

    def test_publish_needs_content(self):
        empty = self.env["cs.knowledge.article"].create({"name": "Empty", "article_type": "faq"})
        with self.assertRaises(UserError):
            empty.with_user(self.leader).action_publish()
        question_less = self.env["cs.knowledge.article"].create(
            {"name": "Pair", "article_type": "qa", "answer": "<p>Yes</p>"}
        )
        with self.assertRaises(UserError):
            question_less.with_user(self.leader).action_publish()

    def test_agent_cannot_publish(self):
        own = self.env["cs.knowledge.article"].with_user(self.agent1).create({"name": "Mine", "body": "<p>x</p>"})
        with self.assertRaises(AccessError):
            own.action_publish()
        with self.assertRaises(AccessError):
            own.write({"state": "published"})
        with self.assertRaises(AccessError):
            own.action_archive()
        with self.assertRaises(AccessError):
            self.env["cs.knowledge.article"].with_user(self.agent1).create(
                {"name": "Straight out", "body": "<p>x</p>", "state": "published"}
            )
        own.with_user(self.reviewer).action_publish()
        self.assertEqual(own.state, "published", "a knowledge reviewer who is no agent publishes")

    def test_agent_reads_published_only(self):
        Article = self.env["cs.knowledge.article"].with_user(self.agent1)
        visible = Article.search([("id", "in", (self.published | self.draft).ids)])
        self.assertEqual(visible, self.published, "other people's drafts stay hidden")
        with self.assertRaises(AccessError):
            self.draft.with_user(self.agent1).read(["name"])
        with self.assertRaises(AccessError, msg="agents do not edit published articles"):
            self.published.with_user(self.agent1).write({"name": "Edited"})
        leader_sees = self.env["cs.knowledge.article"].with_user(self.leader).search([("id", "=", self.draft.id)])
        self.assertEqual(leader_sees, self.draft, "leaders are knowledge reviewers")

    def test_review_cron(self):
        """Due published articles move to "needs update" in batches, each reviewer gets an activity."""
        Article = self.env["cs.knowledge.article"]
        due = Article.create(
            [
                {
                    "name": f"Due {i}",
                    "body": "<p>x</p>",
                    "state": "published",
                    "reviewer_id": self.leader.id,
                    "next_review_date": "2026-04-30",
                }
                for i in range(2)
            ]
        )
        later = Article.create(
            {"name": "Later", "body": "<p>x</p>", "state": "published", "next_review_date": "2026-05-02"}
        )
        self.published.next_review_date = False
        with freeze_time("2026-05-01"):
            self.assertEqual(Article._cron_flag_review_due(batch_size=1), 1, "one batch per call")
            self.assertEqual(Article._cron_flag_review_due(batch_size=1), 1)
            self.assertEqual(Article._cron_flag_review_due(batch_size=1), 0)
        self.assertEqual(set(due.mapped("state")), {"to_update"})
        self.assertEqual(later.state, "published")
        activities = due.activity_ids
        self.assertEqual(len(activities), 2)
        self.assertEqual(activities.user_id, self.leader)
        self.assertEqual(activities.activity_type_id, self.env.ref("cs_helpdesk.mail_activity_type_knowledge_review"))
        self.assertEqual(set(activities.mapped("date_deadline")), {date(2026, 5, 1)})

    def test_review_cron_is_batched(self):
        """The cron's queries do not grow with the number of due articles."""
        Article = self.env["cs.knowledge.article"]

        def run_cron(count, day):
            Article.create(
                [
                    {"name": f"Due {i}", "body": "<p>x</p>", "state": "published", "next_review_date": day}
                    for i in range(count)
                ]
            )
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            with freeze_time(day):
                self.assertEqual(Article._cron_flag_review_due(), count)
                self.env.flush_all()
            return self.env.cr.sql_log_count - start

        run_cron(1, "2026-03-31")  # warm the caches
        self.assertEqual(run_cron(3, "2026-04-01"), run_cron(9, "2026-04-02"))

    def test_full_text_search(self):
        Article = self.env["cs.knowledge.article"].with_user(self.agent1)
        mine = [("id", "in", (self.published | self.draft).ids)]  # demo articles aside

        def find(terms):
            return Article.search(Article._search_domain_for_terms(terms) + mine)

        self.assertEqual(find("warehouse inspection"), self.published, "words of the content are found")
        self.assertEqual(find("退款"), self.published, "and the keywords")
        self.assertEqual(find("MONEY back"), self.published, "and the question, whatever the case")
        self.assertFalse(find("warehouse unicorn"), "every word must match")
        self.assertFalse(find("Exchange"), "drafts are not suggested")

    def test_insert_answer_posts_reply(self):
        ticket = self.make_ticket(name="退款还没到", type_id=self.type_complaint.id, user_id=self.agent1.id)
        wizard_form = Form(
            self.env["cs.knowledge.insert"].with_user(self.agent1).with_context(default_ticket_id=ticket.id)
        )
        self.assertEqual(wizard_form.article_id, self.published, "the ticket type's articles are suggested")
        wizard_form.search_terms = "money back"
        self.assertEqual(wizard_form.article_id, self.published)
        self.assertIn("original payment method", wizard_form.answer)
        wizard = wizard_form.save()
        wizard.action_post()
        reply = ticket.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn("original payment method", reply.body)
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"), "sent to the customer, not a note")
        self.assertEqual(reply.author_id, self.agent1.partner_id)
        self.assertEqual(self.published.use_count, 1)
        self.assertTrue(self.published.last_used_date)
        self.assertTrue(ticket.first_response_date, "the inserted answer is the first response")

    def test_insert_answer_opens_composer(self):
        ticket = self.make_ticket(name="Refund", user_id=self.agent1.id)
        wizard = (
            self.env["cs.knowledge.insert"]
            .with_user(self.agent1)
            .create({"ticket_id": ticket.id, "article_id": self.published.id})
        )
        action = wizard.action_open_composer()
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertEqual(self.published.use_count, 1)
        composer = Form(self.env["mail.compose.message"].with_user(self.agent1).with_context(**action["context"]))
        self.assertIn("original payment method", composer.body)
        composer.save().action_send_mail()
        self.assertIn("original payment method", ticket.message_ids[0].body)

    def test_insert_needs_article(self):
        ticket = self.make_ticket(name="Unrelated", user_id=self.agent1.id)
        wizard = (
            self.env["cs.knowledge.insert"]
            .with_user(self.agent1)
            .create({"ticket_id": ticket.id, "search_terms": "nothing matches this"})
        )
        self.assertFalse(wizard.article_id)
        with self.assertRaises(UserError):
            wizard.action_post()

    def test_solved_ticket_to_draft_article(self):
        ticket = self.make_ticket(
            name="怎么修改收货地址",
            description="<p>I want to change the delivery address of my order.</p>",
            type_id=self.type_question.id,
            user_id=self.agent1.id,
        )
        agent_ticket = ticket.with_user(self.agent1)
        with self.assertRaises(UserError, msg="only solved tickets are captured"):
            agent_ticket.action_ticket_to_article()
        agent_ticket.message_post(
            body="Open the order and choose Change address before shipping.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        agent_ticket.message_post(body="internal remark", message_type="comment", subtype_xmlid="mail.mt_note")
        agent_ticket.stage_id = self.stage_resolved
        action = agent_ticket.action_ticket_to_article()
        article = self.env["cs.knowledge.article"].browse(action["res_id"])
        self.assertEqual(article.state, "draft")
        self.assertEqual(article.article_type, "qa")
        self.assertEqual(article.name, ticket.name)
        self.assertEqual(article.question, "I want to change the delivery address of my order.")
        self.assertIn("Change address", article.answer, "the last reply to the customer, not the note")
        self.assertEqual(article.source_ticket_id, ticket)
        self.assertEqual(article.create_uid, self.agent1)
        self.assertEqual(article.ticket_type_ids, self.type_question)
        self.assertEqual(ticket.knowledge_article_count, 1)

    def test_canned_responses_shared_with_agents(self):
        hello = self.env.ref("cs_helpdesk.canned_response_hello")
        self.assertEqual(hello.substitution, "您好")
        visible = self.env["mail.canned.response"].with_user(self.agent1).search([("source", "=", "sorry")])
        self.assertEqual(visible.substitution, "对不起")

    def test_category_tree(self):
        child = self.env["cs.knowledge.category"].create({"name": "Refunds", "parent_id": self.category.id})
        self.published.category_id = child
        self.assertEqual(child.complete_name, "Returns / Refunds")
        self.assertEqual(self.category.article_count, 1, "a category counts its subcategories' articles")
        with self.assertRaises(UserError, msg="no cycle in the tree"):
            self.category.parent_id = child

    def test_forms_open_for_agents(self):
        ticket = self.make_ticket(name="Form check", type_id=self.type_question.id, user_id=self.agent1.id)
        with Form(ticket.with_user(self.agent1)) as form:
            form.priority = "2"
        Form(self.published.with_user(self.agent1))
        with Form(self.env["cs.knowledge.article"].with_user(self.agent1)) as form:
            form.name = "Drafted in the form"
            form.answer = "<p>Answer</p>"
        self.assertEqual(form.record.state, "draft")

    def test_use_of_a_busy_article_does_not_wait(self):
        """Another agent's transaction holds the article: the insertion goes on, uncounted."""
        article = self.env.ref("cs_helpdesk.knowledge_article_refund_demo", raise_if_not_found=False)
        if not article:
            self.skipTest("needs the demo article, committed outside this test's transaction")
        count = article.use_count
        with self.registry.cursor() as other:
            other.execute("SELECT id FROM cs_knowledge_article WHERE id = %s FOR UPDATE", [article.id])
            article._record_use()
            self.assertEqual(article.use_count, count, "the held row is not counted")
        article._record_use()
        self.assertEqual(article.use_count, count + 1, "counted again once the row is free")
