from odoo import models

SMS_TEMPLATE = "notify_alarm"


class PropertySecurityAlarm(models.Model):
    _inherit = "property.security.alarm"

    def action_acknowledge(self):
        """A guard took the alarm: the resident who raised it is told that help is coming."""
        result = super().action_acknowledge()
        Notification = self.env["property.notification"]

        def render(alarm):
            def _render(env):
                when = Notification._format_datetime(env, alarm.date_acknowledged, alarm.partner_id)
                return {
                    "subject": env._("Your alarm %s was answered", alarm.name),
                    "body": env._(
                        "Security took your alarm %(name)s at %(time)s and is on the way.",
                        name=alarm.name,
                        time=when,
                    ),
                    "url": "/my/notifications",
                    "sms_template": SMS_TEMPLATE,
                    "sms_params": [alarm.name, when],
                }

            return _render

        alarms = self.sudo().filtered(lambda a: a.partner_id and a.source == "portal")
        Notification._notify("alarm", [(alarm, alarm.partner_id, "", render(alarm)) for alarm in alarms])
        return result
