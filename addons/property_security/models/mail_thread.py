from odoo import models
from odoo.tools import html2plaintext


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_post_after_hook(self, message, msg_values):
        """Public-opinion watch: messages that residents or staff post (not internal notes) on
        property records are scanned for the watch keywords (not on the safety app's own records,
        whose messages are the app's notifications)."""
        res = super()._message_post_after_hook(message, msg_values)
        if (
            self._name.startswith("property.")
            and not self._name.startswith("property.security.")
            and len(self) == 1
            and message.message_type in ("comment", "email")
            and message.body
            and not message.subtype_id.internal
        ):
            self.env["property.security.watch.hit"].sudo()._scan_text(
                html2plaintext(message.body), self._name, self.id, message.author_id
            )
        return res
