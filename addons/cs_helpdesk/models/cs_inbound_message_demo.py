from odoo import api, models

from .cs_inbound_message import validate_message_event

DEMO_MESSAGES = [
    ("weibo", "comment", "wb-c-1", "wb-thread-1", "@爱购物的小李", "刚收到的耳机左边没声音，怎么处理？"),
    ("weibo", "private_message", "wb-p-1", "wb-dialog-7", "@数码控老王", "想问一下这款路由器支持 WiFi 6 吗？"),
    ("weibo", "private_message", "wb-p-2", "wb-dialog-7", "@数码控老王", "另外有没有学生优惠？"),
    ("taobao", "shop_message", "tb-m-1", "tb-order-20261101", "tb_小雨", "订单三天了还没发货，麻烦催一下。"),
    ("taobao", "comment", "tb-r-1", "tb-review-88", "tb_阿杰", "中差评：包装破损，客服回复太慢。"),
    ("sms", "sms", "sms-1", "sms-13800138001", "+8613800138001", "好的，明天上午在家，请安排上门维修。"),
]


class CsInboundMessage(models.Model):
    _inherit = "cs.inbound.message"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cs_demo_messages(self, integration_xmlid):
        """Demo messages of the shop back office, Weibo and SMS, through the endpoint's path."""
        integration = self.env.ref(integration_xmlid)
        events = [
            validate_message_event(
                self.env,
                {
                    "id": external,
                    "platform": platform,
                    "kind": kind,
                    "external_id": external,
                    "conversation_id": conversation,
                    "author": author,
                    "text": text,
                    "link": f"https://example.com/{platform}/{external}",
                },
            )  # fmt: skip
            for platform, kind, external, conversation, author, text in DEMO_MESSAGES
        ]
        cache = {}
        integration._cs_ingest(events, lambda event: self._cs_process_event(integration, event, cache))
