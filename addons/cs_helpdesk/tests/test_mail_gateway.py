import base64
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time
from odoo import Command
from odoo.addons.mail.tests.common import MailCommon
from odoo.tests import tagged

# Raw emails as Chinese mail clients send them. The encoded parts decode to:
#   GBK subject "我的包裹五天还没到", sender "张女士"; text/plain (base64) and text/html
#   (quoted-printable) both say "您好，我的包裹五天还没到，订单号 E20241112001，麻烦帮忙查一下物流。谢谢！"
GBK_MULTIPART_ALTERNATIVE = """Return-Path: <zhang.nvshi@example.com>
Received: from mx.example.com (mx.example.com [203.0.113.10]) by mail.test.mycompany.com
From: =?GBK?B?1cXFrsq/?= <zhang.nvshi@example.com>
To: {to}
Subject: =?GBK?B?ztK1xLD8ufzO5czsu7nDu7W9?=
Date: Tue, 12 Nov 2024 10:02:03 +0800
Message-ID: {msg_id}
MIME-Version: 1.0
X-Mailer: Foxmail 7.2.25.375[cn]
Content-Type: multipart/alternative;
\tboundary="----=_001_NextPart472034851254_=----"

This is a multi-part message in MIME format.

------=_001_NextPart472034851254_=----
Content-Type: text/plain;
\tcharset="GBK"
Content-Transfer-Encoding: base64

xPq6w6OsDQrO0rXEsPy5/M7lzOy7ucO7tb2jrLaptaW6xSBFMjAyNDExMTIwMDGjrMLpt7Ow78Om
sunSu8/Czu/B96GjDQrQu9C7o6ENCg==

------=_001_NextPart472034851254_=----
Content-Type: text/html;
\tcharset="GBK"
Content-Transfer-Encoding: quoted-printable

<div>=C4=FA=BA=C3=A3=AC</div><div><b>=CE=D2=B5=C4=B0=FC=B9=FC=CE=E5=CC=EC=
=BB=B9=C3=BB=B5=BD</b>=A3=AC=B6=A9=B5=A5=BA=C5 E20241112001=A3=AC=C2=E9=B7=
=B3=B0=EF=C3=A6=B2=E9=D2=BB=CF=C2=CE=EF=C1=F7=A1=A3</div><div>=D0=BB=D0=BB=
=A3=A1</div>

------=_001_NextPart472034851254_=------
"""

# GB2312 subject "申请退货：商品有破损", sender "李先生"; quoted-printable body
# "收到的保温杯外壳有破损，申请退货退款。订单号 E20241110088"
GB2312_PLAIN = """From: =?gb2312?B?wO7PyMn6?= <li.xiansheng@example.com>
To: {to}
Subject: =?GB2312?B?yerH683Lu/WjusnMxrfT0MbGy/A=?=
Date: Sun, 10 Nov 2024 21:15:00 +0800
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: text/plain; charset="gb2312"
Content-Transfer-Encoding: quoted-printable

=CA=D5=B5=BD=B5=C4=B1=A3=CE=C2=B1=AD=CD=E2=BF=C7=D3=D0=C6=C6=CB=F0=A3=AC=C9=
=EA=C7=EB=CD=CB=BB=F5=CD=CB=BF=EE=A1=A3
=B6=A9=B5=A5=BA=C5 E20241110088
"""

# UTF-8 subject folded in two encoded words "发票抬头" + "需要修改", sender "陈小姐"; base64 body
# "请把发票抬头改为：杭州某某贸易有限公司。"
UTF8_PLAIN = """From: =?UTF-8?B?6ZmI5bCP5aeQ?= <{email}>
To: {to}
Subject: =?UTF-8?B?5Y+R56Wo5oqs5aS0?=
 =?UTF-8?B?6ZyA6KaB5L+u5pS5?=
Date: Mon, 11 Nov 2024 09:30:00 +0800
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

6K+35oqK5Y+R56Wo5oqs5aS05pS55Li677ya5p2t5bee5p+Q5p+Q6LS45piT5pyJ6ZmQ5YWs5Y+444CCDQo=
"""

# GBK reply "快递单号是 SF1234567890，今天还是没有更新。", subject "回复：我的包裹五天还没到"
GBK_REPLY_IN_REPLY_TO = """From: =?GBK?B?1cXFrsq/?= <zhang.nvshi@example.com>
To: {to}
Subject: =?GBK?B?u9i4tKO6ztK1xLD8ufzO5czsu7nDu7W9?=
Date: Tue, 12 Nov 2024 15:40:00 +0800
Message-ID: {msg_id}
In-Reply-To: {parent_id}
MIME-Version: 1.0
Content-Type: text/plain; charset="GBK"
Content-Transfer-Encoding: base64

v+y13bWlusXKxyBTRjEyMzQ1Njc4OTCjrL3xzOy7ucrHw7vT0Lj80MKhow0K
"""

# GBK reply threaded by References only: "包裹已经收到了，谢谢！"
GBK_REPLY_REFERENCES = """From: zhang.nvshi@example.com
To: {to}
Subject: Re: parcel
Date: Wed, 13 Nov 2024 08:00:00 +0800
Message-ID: {msg_id}
References: {references}
MIME-Version: 1.0
Content-Type: text/plain; charset=GBK
Content-Transfer-Encoding: quoted-printable

=B0=FC=B9=FC=D2=D1=BE=AD=CA=D5=B5=BD=C1=CB=A3=AC=D0=BB=D0=BB=A3=A1
"""


def b64(text, charset):
    return base64.b64encode(text.encode(charset)).decode()


# Labelled GB2312 but written in GB18030 (what many Chinese mail clients send): 镕 is not in GB2312.
# Subject "关于朱镕基纪念馆门票的投诉", body "朱镕基纪念馆的门票没有收到", attachment "镕记发票.pdf".
GB2312_LABEL_GB18030_CONTENT = f"""From: =?gb2312?B?{b64("朱先生", "gb18030")}?= <zhu@example.com>
To: {{to}}
Subject: =?gb2312?B?{b64("关于朱镕基纪念馆门票的投诉", "gb18030")}?=
Date: Mon, 11 Nov 2024 09:30:00 +0800
Message-ID: {{msg_id}}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="gb-boundary"

--gb-boundary
Content-Type: text/plain; charset="gb2312"
Content-Transfer-Encoding: base64

{b64("朱镕基纪念馆的门票没有收到", "gb18030")}

--gb-boundary
Content-Type: application/pdf; name="=?gb2312?B?{b64("镕记发票.pdf", "gb18030")}?="
Content-Disposition: attachment; filename="=?gb2312?B?{b64("镕记发票.pdf", "gb18030")}?="
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCg==

--gb-boundary--
"""

# A From with a name and no address; a subject with spaces around it ("  退款进度查询  ")
NO_ADDRESS = f"""From: =?UTF-8?B?{b64("张女士", "utf-8")}?=
To: {{to}}
Subject: =?UTF-8?B?{b64("  退款进度查询  ", "utf-8")}?=
Date: Mon, 11 Nov 2024 09:30:00 +0800
Message-ID: {{msg_id}}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

{b64("请问退款什么时候到账？", "utf-8")}
"""

# A reply by email, from whoever {email} is, to the message {parent_id}
PLAIN_REPLY = """From: {email}
To: {to}
Subject: Re: parcel
Date: Wed, 13 Nov 2024 08:00:00 +0800
Message-ID: {msg_id}
In-Reply-To: {parent_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}
"""

# A new email from {email}
PLAIN_NEW = """From: {email}
To: {to}
Subject: {subject}
Date: Wed, 13 Nov 2024 08:00:00 +0800
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}
"""

MON, WED = datetime(2025, 3, 10, 10), datetime(2025, 3, 12, 11)


@tagged("post_install", "-at_install", "mail_gateway")
class TestMailGateway(MailCommon):
    """Emails to a team alias become tickets; replies thread into them; Chinese charsets decode."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["cs.ticket.team"].create(
            {
                "name": "Parcel Team",
                "company_id": cls.company_admin.id,
                "assignment_method": "manual",
                "alias_name": "kefu",
                "alias_domain_id": cls.mail_alias_domain.id,
            }
        )
        cls.alias_email = f"kefu@{cls.alias_domain}"
        cls.channel_email = cls.env.ref("cs_helpdesk.channel_email")
        cls.Ticket = cls.env["cs.ticket"]

    def _process(self, template, msg_id, **values):
        raw = template.format(to=f"客服中心 <{self.alias_email}>", msg_id=msg_id, **values)
        # the mail gateway (fetchmail, mailgate script) runs as the superuser
        with self.mock_mail_gateway():
            return self.env["mail.thread"].sudo().message_process(False, raw.encode())

    def _team_tickets(self):
        return self.Ticket.search([("team_id", "=", self.team.id)])

    def test_alias_setup(self):
        self.assertEqual(self.team.alias_id.alias_full_name, self.alias_email)
        self.assertEqual(self.team.alias_id.alias_model_id.model, "cs.ticket")

    def test_gbk_multipart_alternative_creates_ticket_and_customer(self):
        self.assertFalse(self.env["res.partner"].search([("email", "=", "zhang.nvshi@example.com")]))
        msg_id = "<20241112100203472034851254@example.com>"
        self._process(GBK_MULTIPART_ALTERNATIVE, msg_id)

        ticket = self._team_tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "我的包裹五天还没到")
        self.assertIn("我的包裹五天还没到", ticket.description, "the body must be decoded from GBK")
        self.assertIn("<b>我的包裹五天还没到</b>", ticket.description, "the HTML alternative is the one kept")
        self.assertIn("E20241112001", ticket.description)
        self.assertEqual(ticket.channel_id, self.channel_email)
        self.assertEqual(ticket.company_id, self.team.company_id)

        customer = ticket.partner_id
        self.assertEqual(customer.email, "zhang.nvshi@example.com")
        self.assertEqual(customer.name, "张女士", "the RFC 2047 display name is decoded")
        self.assertEqual(ticket.email_from, '"张女士" <zhang.nvshi@example.com>')
        self.assertIn(customer, ticket.message_partner_ids, "the customer follows the ticket (portal access)")
        self.assertNotIn(self.env.user.partner_id, ticket.message_partner_ids)

        incoming = ticket.message_ids.filtered(lambda m: m.message_id == msg_id)
        self.assertEqual(len(incoming), 1)
        self.assertEqual(incoming.author_id, customer)
        self.assertEqual(incoming.message_type, "email")
        self.assertEqual(incoming.subject, "我的包裹五天还没到")
        self.assertIn("我的包裹五天还没到", incoming.body)

    def test_gb2312_quoted_printable(self):
        self._process(GB2312_PLAIN, "<gb2312-qp-0001@example.com>")
        ticket = self._team_tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "申请退货：商品有破损")
        self.assertIn("收到的保温杯外壳有破损，申请退货退款。", ticket.description)
        self.assertIn("E20241110088", ticket.description)
        self.assertEqual(ticket.partner_id.name, "李先生")
        self.assertEqual(ticket.partner_id.email, "li.xiansheng@example.com")

    def test_utf8_folded_subject_and_existing_customer(self):
        customer = self.env["res.partner"].create({"name": "陈小姐", "email": "chen.xiaojie@example.com"})
        partner_count = self.env["res.partner"].search_count([])
        self._process(UTF8_PLAIN, "<utf8-0001@example.com>", email="Chen.XiaoJie@Example.com")

        ticket = self._team_tickets()
        self.assertEqual(ticket.name, "发票抬头需要修改", "adjacent encoded words are joined without space")
        self.assertIn("杭州某某贸易有限公司", ticket.description)
        self.assertEqual(ticket.partner_id, customer, "the customer is found by normalized email")
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count, "no duplicate customer")

    def test_replies_thread_into_the_ticket(self):
        first_id = "<20241112100203472034851254@example.com>"
        self._process(GBK_MULTIPART_ALTERNATIVE, first_id)
        ticket = self._team_tickets()
        self.assertEqual(len(ticket), 1)

        # an agent answers; the customer replies to that email
        agent_message = ticket.message_post(
            body="您好，我们正在核实物流信息。", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self._process(GBK_REPLY_IN_REPLY_TO, "<reply-in-reply-to-0001@example.com>", parent_id=agent_message.message_id)
        # a mail client that only sets References, quoting the first email
        self._process(
            GBK_REPLY_REFERENCES,
            "<reply-references-0001@example.com>",
            references=f"{first_id} <unrelated-0001@example.com>",
        )

        self.assertEqual(self._team_tickets(), ticket, "replies must not open new tickets")
        reply = ticket.message_ids.filtered(lambda m: m.message_id == "<reply-in-reply-to-0001@example.com>")
        self.assertEqual(len(reply), 1)
        self.assertIn("快递单号是 SF1234567890，今天还是没有更新。", reply.body)
        self.assertEqual(reply.author_id, ticket.partner_id)
        self.assertEqual((reply.model, reply.res_id), ("cs.ticket", ticket.id))
        second = ticket.message_ids.filtered(lambda m: m.message_id == "<reply-references-0001@example.com>")
        self.assertEqual(len(second), 1)
        self.assertIn("包裹已经收到了，谢谢！", second.body)
        self.assertEqual(ticket.name, "我的包裹五天还没到", "a reply does not rename the ticket")

    def test_duplicate_message_id_is_ignored(self):
        msg_id = "<duplicate-0001@example.com>"
        self._process(GBK_MULTIPART_ALTERNATIVE, msg_id)
        ticket = self._team_tickets()
        self.assertEqual(len(ticket), 1)
        messages = ticket.message_ids
        partner_count = self.env["res.partner"].search_count([])

        # the mail server delivers the very same email again (retry, second fetch, forwarding loop)
        result = self._process(GBK_MULTIPART_ALTERNATIVE, msg_id)

        self.assertFalse(result, "the gateway reports the email as not processed")
        self.assertEqual(self._team_tickets(), ticket, "no second ticket")
        self.assertEqual(ticket.message_ids, messages, "no second message in the chatter")
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count)

    # ------------------------------------------------------------------ robustness
    def test_gb2312_label_with_gb18030_characters(self):
        """镕 is not in GB2312: decoded with the label it used to arrive as 朱�F."""
        self._process(GB2312_LABEL_GB18030_CONTENT, "<gb18030-0001@example.com>")
        ticket = self._team_tickets()
        self.assertEqual(ticket.name, "关于朱镕基纪念馆门票的投诉")
        self.assertIn("朱镕基纪念馆的门票没有收到", ticket.description)
        self.assertEqual(ticket.partner_id.name, "朱先生")
        incoming = ticket.message_ids.filtered(lambda m: m.message_id == "<gb18030-0001@example.com>")
        self.assertEqual(incoming.attachment_ids.mapped("name"), ["镕记发票.pdf"])
        self.assertNotIn("\ufffd", ticket.name + ticket.description + incoming.attachment_ids.name)

    def test_sender_without_address_still_makes_a_ticket(self):
        self._process(NO_ADDRESS, "<no-address-0001@example.com>")
        ticket = self._team_tickets()
        self.assertEqual(len(ticket), 1, "nothing is lost")
        self.assertEqual(ticket.name, "退款进度查询", "the subject is stripped")
        self.assertEqual(ticket.partner_name, "张女士")
        self.assertFalse(ticket.partner_id)
        self.assertIn("请问退款什么时候到账？", ticket.description)

    # ------------------------------------------------------------------ conversations over the gateway
    def _at(self, when):
        return freeze_time(when), patch.object(self.env.cr, "now", lambda: when)

    def _process_at(self, when, template, msg_id, **values):
        frozen, now = self._at(when)
        with frozen, now:
            return self._process(template, msg_id, **values)

    def _first_ticket(self):
        self._process_at(MON, GBK_MULTIPART_ALTERNATIVE, "<first-0001@example.com>")
        return self._team_tickets()

    def _customer_reply(self, ticket, when, msg_id, body="还是没有收到"):
        parent = ticket.message_ids.filtered(lambda m: m.message_id == "<first-0001@example.com>")
        self._process_at(
            when, PLAIN_REPLY, msg_id, email="zhang.nvshi@example.com", parent_id=parent.message_id, body=body
        )

    def test_customer_email_resumes_a_waiting_ticket(self):
        policy = self.env["cs.sla.policy"].create(
            {
                "name": "24 h",
                "time_unit": "hours",
                "first_response_time": 24,
                "team_ids": [Command.link(self.team.id)],
                "pause_stage_ids": [Command.link(self.env.ref("cs_helpdesk.stage_waiting").id)],
            }
        )
        ticket = self._first_ticket()
        line = ticket.sla_ids.filtered(lambda s: s.policy_id == policy)
        self.assertEqual(line.deadline, datetime(2025, 3, 11, 10))
        frozen, now = self._at(datetime(2025, 3, 10, 15))
        with frozen, now:
            ticket.stage_id = self.env.ref("cs_helpdesk.stage_waiting")
        self.assertEqual((line.status, line.remaining_hours), ("paused", 19.0))
        self._customer_reply(ticket, WED, "<reply-waiting-0001@example.com>")
        self.assertEqual(ticket.stage_id, self.env.ref("cs_helpdesk.stage_in_progress"))
        self.assertEqual((line.status, line.deadline), ("running", datetime(2025, 3, 13, 6)))

    def test_customer_email_to_closed_or_old_resolved_ticket_opens_a_linked_ticket(self):
        ticket = self._first_ticket()
        ticket.stage_id = self.env.ref("cs_helpdesk.stage_closed")
        self._customer_reply(ticket, WED, "<reply-closed-0001@example.com>", body="又坏了")
        follow_up = self.Ticket.search([("origin_ticket_id", "=", ticket.id)])
        self.assertEqual(len(follow_up), 1)
        self.assertTrue(ticket.is_closed)
        self.assertEqual(follow_up.partner_id, ticket.partner_id)
        self.assertIn("又坏了", follow_up.description)

        # resolved 8 days before the reply, the team reopens within 7: a new ticket too
        resolved = self.Ticket.create({"name": "旧工单", "partner_id": ticket.partner_id.id, "team_id": self.team.id})
        frozen, now = self._at(datetime(2025, 3, 2, 10))
        with frozen, now:
            resolved.stage_id = self.env.ref("cs_helpdesk.stage_resolved")
        # an answer posted by an automated action (OdooBot) is no customer reply
        message = resolved.with_user(self.env.ref("base.user_root")).message_post(
            body="已解决", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self._process_at(
            WED,
            PLAIN_REPLY,
            "<reply-old-0001@example.com>",
            email="zhang.nvshi@example.com",
            parent_id=message.message_id,
            body="还有问题",
        )
        self.assertTrue(resolved.is_resolved)
        self.assertEqual(self.Ticket.search_count([("origin_ticket_id", "=", resolved.id)]), 1)

    def test_first_response_by_agent_email_not_by_own_submission(self):
        agent = self.user_employee
        agent.write(
            {
                "email": "ernest.agent@example.com",
                "groups_id": [Command.link(self.env.ref("cs_helpdesk.group_agent").id)],
            }
        )
        # the agent emails the alias about their own order: that is no response to anybody
        self._process_at(
            MON,
            PLAIN_NEW,
            "<own-0001@example.com>",
            email=agent.email_formatted,
            subject="我的订单",
            body="我自己的订单",
        )
        own = self._team_tickets()
        self.assertEqual(own.partner_id, agent.partner_id)
        self.assertFalse(own.first_response_date)

        ticket = self._first_ticket() - own
        parent = ticket.message_ids.filtered(lambda m: m.message_id == "<first-0001@example.com>")
        self._process_at(
            WED,
            PLAIN_REPLY,
            "<agent-reply-0001@example.com>",
            email=agent.email_formatted,
            parent_id=parent.message_id,
            body="您好，我们已经补发",
        )
        reply = ticket.message_ids.filtered(lambda m: m.message_id == "<agent-reply-0001@example.com>")
        self.assertEqual(reply.author_id, agent.partner_id)
        self.assertEqual(ticket.first_response_date, WED)
