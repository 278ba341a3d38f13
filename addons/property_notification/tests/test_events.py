import json
from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import freeze_time, tagged

from .common import NotificationTestCommon


@tagged("post_install", "-at_install")
class TestNotificationEvents(NotificationTestCommon):
    """Each event tells its resident: in their language, through the channels they choose."""

    def test_bill_issued(self):
        """Posting a bill tells its household: an SMS (not bound to WeChat) and the portal
        inbox, in Chinese; the SMS goes out with the gateway's approved template."""
        self.use_chinese(self.user_resident, ["property_notification"])
        bill = self.make_bills(self.owner, self.unit_a, 1, amount=300.0, start=date(2026, 11, 1))
        notifications = self.notifications(bill, self.owner)
        self.assertEqual(sorted(notifications.mapped("channel")), ["portal", "sms"])
        sms = notifications.filtered(lambda n: n.channel == "sms")
        self.assertEqual(sms.state, "pending")
        self.assertIn("新账单", sms.subject)
        self.assertIn(bill.name, sms.body)
        self.assertEqual(json.loads(sms.sms_params), ["张伟", bill.name, "300.00", "2026-11-28"])
        portal = notifications - sms
        self.assertEqual(portal.state, "sent", "the portal inbox is delivered by being written")
        self.assertEqual(portal.url, f"/my/bills/{bill.id}")
        sms._job_send()
        self.assertEqual(sms.state, "sent")
        log = self.sms_logs("notify_bill").filtered(lambda entry: entry.partner_id == self.owner)
        self.assertEqual(len(log), 1)
        self.assertIn("账单" + bill.name, log.body)
        # issued again (a late fee posted on it): not told twice
        bill._notify_issued()
        self.assertEqual(self.notifications(bill, self.owner), notifications)

    def test_bill_wechat_for_bound_resident(self):
        """李娜 is bound to WeChat: a template message instead of an SMS."""
        bill = self.make_bills(self.owner_b, self.unit_b, 1, amount=80.0, start=date(2026, 11, 1))
        notifications = self.notifications(bill, self.owner_b)
        self.assertEqual(sorted(notifications.mapped("channel")), ["portal", "wechat"])
        wechat = notifications.filtered(lambda n: n.channel == "wechat")
        with self.wechat_ok() as session_class:
            wechat._job_send()
        self.assertEqual(wechat.state, "sent")
        self.assertEqual(wechat.provider_ref, "200228332")
        session = session_class.return_value
        sent = [c for c in session.request.call_args_list if "message/template/send" in str(c)]
        self.assertEqual(len(sent), 1)
        payload = json.loads(sent[0].kwargs["data"])
        self.assertEqual(payload["touser"], "openid-lina")
        self.assertEqual(payload["template_id"], "TPL-NOTIFY")
        self.assertTrue(payload["url"].endswith(f"/my/bills/{bill.id}"))

    def test_payment_received_with_receipt_link(self):
        demo = self.payment_demo
        demo.write({"state": "test", "is_published": True, "company_id": self.company.id})
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": demo.id,
                "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                "reference": "NOTIFY-TX-1",
                "amount": self.bill_a.amount_residual,
                "currency_id": self.currency.id,
                "partner_id": self.owner.id,
                "property_bill_ids": [Command.set(self.bill_a.ids)],
            }
        )
        tx._set_done()
        tx._post_process()
        self.assertEqual(self.bill_a.state, "paid")
        notifications = self.notifications(tx, self.owner)
        self.assertEqual(sorted(notifications.mapped("channel")), ["portal", "sms"])
        portal = notifications.filtered(lambda n: n.channel == "portal")
        self.assertEqual(portal.url, f"/my/payments/{tx.id}", "the receipt")
        self.assertIn(f"/my/payments/{tx.id}", portal.body)
        self.assertEqual(portal.estate_id, self.bill_a.estate_id)

    def test_workorder_assigned_and_done(self):
        """Assigned: who comes and by when; done: please confirm. Each once."""
        technician = self.make_technician()
        request = self.request_a.sudo()
        request.write(
            {
                "technician_id": technician.id,
                "preferred_time_from": fields.Datetime.to_datetime("2026-12-08 02:00:00"),
            }
        )
        request.action_assign()
        assigned = self.notifications(request, self.owner, "portal")
        self.assertEqual(len(assigned), 1)
        self.assertIn("王师傅", assigned.body)
        self.assertIn("2026-12-08 10:00", assigned.body, "the ETA in the resident's time zone (Shanghai)")
        sms = self.notifications(request, self.owner, "sms")
        self.assertEqual(json.loads(sms.sms_params), [request.name, "王师傅", "2026-12-08 10:00"])
        request.write({"state": "in_progress", "started_date": fields.Datetime.now()})
        request.action_done()
        done = self.notifications(request, self.owner, "portal") - assigned
        self.assertEqual(len(done), 1)
        self.assertIn("confirm", done.body)
        self.assertEqual(done.url, f"/my/requests/{request.id}")

    def test_alarm_answered(self):
        alarm = self.env["property.security.alarm"]._raise_from_portal(self.owner, self.unit_a, "fire")
        self.assertFalse(self.notifications(alarm))
        alarm.with_user(self.user_guard).action_acknowledge()
        notifications = self.notifications(alarm, self.owner)
        self.assertEqual(sorted(notifications.mapped("channel")), ["portal", "sms"])
        self.assertIn(alarm.name, notifications[0].subject)

    def test_guard_alarm_tells_no_resident(self):
        alarm = self.env["property.security.alarm"]._raise_from_guard("fire", self.estate_a)
        alarm.action_acknowledge()
        self.assertFalse(self.notifications(alarm))

    def test_feedback_reply(self):
        feedback = self.env["property.feedback"]._portal_submit(
            self.owner, self.unit_a, "suggestion", "电梯太慢", "高峰期等很久"
        )
        feedback.reply = "已安排维保单位检查"
        feedback.action_send_reply()
        portal = self.notifications(feedback, self.owner, "portal")
        self.assertEqual(portal.body, "已安排维保单位检查")
        self.assertEqual(portal.url, f"/my/feedback/{feedback.id}")


@tagged("post_install", "-at_install")
class TestNotificationChannels(NotificationTestCommon):
    """The channel choice and the residents' opt-outs."""

    def channels(self, partner, event="bill"):
        return self.Preference._get_channels(partner, event)[partner.id]

    def test_channel_choice(self):
        self.assertEqual(self.channels(self.owner), ["sms", "portal"], "not bound: SMS")
        self.assertEqual(self.channels(self.owner_b), ["wechat", "portal"], "bound: WeChat, not SMS too")
        self.Preference.create({"partner_id": self.owner_b.id, "event": "bill", "use_wechat": False})
        self.assertEqual(self.channels(self.owner_b), ["sms", "portal"], "WeChat refused: SMS")
        self.assertEqual(self.channels(self.owner_b, "payment"), ["wechat", "portal"], "per event")
        self.env["ir.config_parameter"].sudo().set_param("property_portal.wechat_appid", "")
        self.assertEqual(self.channels(self.owner_b, "payment"), ["sms", "portal"], "no WeChat: SMS")
        self.owner.mobile = False
        self.assertEqual(self.channels(self.owner), ["portal"], "no number: the portal only")

    def test_opt_outs_respected(self):
        self.Preference.create(
            {"partner_id": self.owner.id, "event": "bill", "use_sms": False, "use_portal": False}
        )
        bill = self.make_bills(self.owner, self.unit_a, 1, start=date(2026, 11, 1))
        self.assertFalse(self.notifications(bill, self.owner), "every channel refused: nothing")
        self.Preference.search([("partner_id", "=", self.owner.id)]).use_portal = True
        bill_2 = self.make_bills(self.owner, self.unit_a, 1, start=date(2026, 12, 1))
        self.assertEqual(self.notifications(bill_2, self.owner).mapped("channel"), ["portal"])

    def test_language_of_the_recipient(self):
        """Texts are written in each recipient's language, not the sender's."""
        self.use_chinese(self.user_resident, ["property_notification"])
        self.owner_b.lang = "en_US"
        bills = self.make_bills(self.owner, self.unit_a, 1, start=date(2026, 11, 1)) | self.make_bills(
            self.owner_b, self.unit_b, 1, start=date(2026, 11, 1)
        )
        subject_a = self.notifications(bills[0], self.owner, "portal").subject
        subject_b = self.notifications(bills[1], self.owner_b, "portal").subject
        self.assertTrue(subject_a.startswith("新账单"), subject_a)
        self.assertTrue(subject_b.startswith("New bill"), subject_b)


@tagged("post_install", "-at_install")
class TestNotificationDunning(NotificationTestCommon):
    """Reminders stay property_dunning's; the residents' preferences set its opt-outs, a
    WeChat-bound resident gets the SMS reminder by WeChat, and portal reminders reach the inbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["property.dunning.level"].search([]).active = False
        cls.level = cls.env["property.dunning.level"].create(
            {
                "name": "缴费提醒",
                "days_overdue": 5,
                "has_email": False,
                "has_sms": True,
                "has_portal": True,
                "sms_template_code": "dunning_reminder",
            }
        )

    def remind(self, partner):
        today = max(self.bill_a.date_due, self.bill_b.date_due) + timedelta(days=10)
        with freeze_time(today):
            Log = self.env["property.dunning.log"]
            Log._send_reminders(Log._get_candidates(partners=partner, today=today))
        return self.env["property.dunning.log"].search([("partner_id", "=", partner.id)])

    def test_sms_reminder_by_wechat_for_bound_resident(self):
        logs = self.remind(self.owner_b)
        self.assertEqual(set(logs.mapped("state")), {"sent"})
        sms_log = logs.filtered(lambda log: log.channel == "sms")
        self.assertFalse(sms_log.sms_id, "no SMS: WeChat instead")
        notifications = self.notifications(sms_log, self.owner_b)
        portal_log = logs.filtered(lambda log: log.channel == "portal")
        self.assertEqual(notifications.mapped("channel"), ["wechat"])
        self.assertEqual(self.notifications(portal_log, self.owner_b).mapped("channel"), ["portal"])
        with self.wechat_ok():
            notifications._job_send()
        self.assertEqual(notifications.state, "sent")
        # the daily run again: nothing more
        self.remind(self.owner_b)
        self.assertEqual(self.Notification.sudo().search_count([("event", "=", "dunning")]), 2)

    def test_preferences_set_dunning_opt_outs(self):
        self.Preference.create({"partner_id": self.owner.id, "event": "dunning", "use_sms": False})
        self.assertTrue(self.owner.has_dunning_sms_opt_out)
        self.assertFalse(self.owner.has_dunning_portal_opt_out)
        logs = self.remind(self.owner)
        self.assertEqual(logs.filtered(lambda log: log.channel == "sms").state, "skipped")
        portal_log = logs.filtered(lambda log: log.channel == "portal")
        self.assertEqual(portal_log.state, "sent")
        self.assertEqual(self.notifications(portal_log, self.owner).mapped("channel"), ["portal"])
        self.assertFalse(
            self.sms_logs("dunning_reminder").filtered(lambda entry: entry.partner_id == self.owner)
        )
