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
