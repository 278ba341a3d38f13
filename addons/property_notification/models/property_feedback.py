from odoo import models

SMS_TEMPLATE = "notify_feedback"
BODY_LIMIT = 500


class PropertyFeedback(models.Model):
    _inherit = "property.feedback"

    def action_send_reply(self):
        """The resident hears the answer to their feedback (each reply once)."""
        result = super().action_send_reply()

        def render(feedback):
            def _render(env):
                return {
                    "subject": env._("Reply to your feedback %s", feedback.name[:60]),
                    "body": (feedback.reply or "")[:BODY_LIMIT],
                    "url": f"/my/feedback/{feedback.id}",
                    "sms_template": SMS_TEMPLATE,
                    "sms_params": [feedback.name[:20]],
                }

            return _render

        feedbacks = self.sudo().filtered("partner_id")
        self.env["property.notification"]._notify(
            "feedback",
            [
                (fb, fb.partner_id, fb.reply_date and fb.reply_date.isoformat(), render(fb))
                for fb in feedbacks
            ],
        )
        return result
