from odoo.tests import tagged

from odoo.addons.property_portal.tests.test_resident_site import ChineseSiteMixin

from .common import NotificationTestCommon


@tagged("post_install", "-at_install")
class TestNotificationTour(ChineseSiteMixin, NotificationTestCommon):
    """A resident at a phone's width, in Chinese: the notification is in the inbox, and the
    settings are changed through the real form."""

    browser_size = "375x812"
    touch_enabled = True

    def test_tour_notifications_and_preferences(self):
        self.use_chinese_site()
        self.use_chinese(
            self.user_resident, ["property_notification", "property_portal", "portal", "website"]
        )
        feedback = self.env["property.feedback"]._portal_submit(
            self.owner, self.unit_a, "suggestion", "电梯太慢", "高峰期等很久"
        )
        feedback.reply = "已安排维保单位检查电梯"
        feedback.action_send_reply()
        self.start_tour("/my", "property_notification_preferences", login="t_resident")
        matrix = self.Preference._get_matrix(self.owner)
        self.assertFalse(matrix["bill"]["sms"], "switched off in the form")
        self.assertTrue(matrix["bill"]["portal"])
        self.assertTrue(matrix["workorder"]["sms"])
        notification = self.notifications(feedback, self.owner, "portal")
        self.assertTrue(notification.is_read, "opened from the inbox")
