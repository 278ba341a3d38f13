from odoo import models


class PropertyDunningLog(models.Model):
    """Payment reminders stay property_dunning's (its levels, its never-twice rule, its
    opt-outs, which the residents' preferences set). Two things are added: a resident bound to
    WeChat who allows it gets the SMS reminder as a WeChat message instead, and a portal reminder
    also lands in the resident's notification inbox."""

    _inherit = "property.dunning.log"

    def _send_sms(self):
        channels = (
            self.env["property.notification.preference"].sudo()._get_channels(self.partner_id, "dunning")
        )
        if "wechat" not in channels.get(self.partner_id.id, ()):
            return super()._send_sms()
        notifications = self._notify_resident(["wechat"])
        self.write(
            {"state": "sent", "error": self.env._("Sent by WeChat (notification %s).", notifications[:1].id)}
        )
        return True

    def _send_portal(self):
        result = super()._send_portal()
        self._notify_resident(["portal"])
        return result

    def _notify_resident(self, channels):
        """The reminder as resident notifications of ``channels``, keyed on this log (sent once)."""
        self.ensure_one()
        log = self.sudo()

        def render(env):
            return {
                "subject": log.level_id.with_env(env).name,
                "body": log.with_env(env)._get_reminder_text(),
                "url": f"/my/bills/{log.anchor_bill_id.id}",
            }

        allowed = self.env["property.notification.preference"].sudo()._get_channels(log.partner_id, "dunning")
        Notification = self.env["property.notification"].with_context(
            property_notification_channels=[c for c in channels if c in allowed.get(log.partner_id.id, ())]
        )
        return Notification._notify("dunning", [(log, log.partner_id, "", render)])
