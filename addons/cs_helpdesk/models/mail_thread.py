import re
import xmlrpc.client

from odoo import api, models

# Chinese mail clients label mail GB2312 (or GBK) and still write characters only GB18030 has, e.g. 镕:
# decoded with the label, they become replacement characters. GB18030 is a superset that decodes every
# GB2312/GBK byte sequence the same way, so the labels are read as GB18030. Matches encoded words
# (=?gb2312?B?...?=), charset parameters and RFC 2231 parameters (filename*=gbk''...).
GB_LABEL_RE = re.compile(
    rb"""(=\?|charset\s*=\s*"?|\*=\s*"?)(?:gb2312|gbk|x-gbk|cp936|euc-cn)(?=[?"';\s]|$)""", re.I | re.M
)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(
        self, model, message, custom_values=None, save_original=False, strip_attachments=False, thread_id=None
    ):
        if isinstance(message, xmlrpc.client.Binary):
            message = bytes(message.data)
        if isinstance(message, str):
            message = message.encode()
        message = GB_LABEL_RE.sub(rb"\1gb18030", message)
        return super().message_process(
            model,
            message,
            custom_values=custom_values,
            save_original=save_original,
            strip_attachments=strip_attachments,
            thread_id=thread_id,
        )
