from datetime import date
from unittest.mock import patch

import requests

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.property_sms.tests.test_gateway import tencent_ok

from .common import NotificationTestCommon

POST = "odoo.addons.property_sms.models.property_sms_gateway.requests.post"


@tagged("post_install", "-at_install")
class TestNotificationDelivery(NotificationTestCommon):
    """Sent in queue jobs after the commit, never twice: a job run twice, a job retried after a
    failure, a batch enqueued twice, an event fired twice."""

    def pending(self, partner, start=date(2026, 11, 1)):
        bill = self.make_bills(partner, self.unit_a if partner == self.owner else self.unit_b, 1, start=start)
        return self.notifications(bill, partner).filtered(lambda n: n.state == "pending")

    def jobs(self, notifications):
        return (
            self.env["queue.job"]
            .search([("model_name", "=", "property.notification"), ("method_name", "=", "_job_send")])
            .filtered(lambda job: set(job.records.ids) & set(notifications.ids))
        )

    def test_enqueued_at_commit_once(self):
        """The job is enqueued when the transaction commits (its precommit), once per batch:
        enqueuing the same batch again is a no-op (identity key)."""
        sms = self.pending(self.owner)
        self.assertFalse(self.jobs(sms), "nothing runs before the commit")
        self.env.cr.flush()  # what a commit runs first
        job = self.jobs(sms)
        self.assertEqual(len(job), 1)
        self.assertIn(sms, job.records)
        other = self.pending(self.owner, start=date(2026, 12, 1))
        other._enqueue_send()
        other._enqueue_send()
        self.assertEqual(len(self.jobs(other)), 1, "the same batch waits once")

    def test_job_run_twice_sends_once(self):
        sms = self.pending(self.owner)
        self.assertEqual(sms._job_send(), 1)
        self.assertEqual(sms._job_send(), 0, "run again: found sent, nothing sent")
        bill = self.env["property.bill"].browse(sms.res_id)
        self.assertEqual(len(self.sms_logs("notify_bill").filtered(lambda e: bill.name in e.params)), 1)
        self.assertEqual(sms.attempt_count, 1)

    def test_wechat_job_run_twice_sends_once(self):
        wechat = self.pending(self.owner_b)
        self.assertEqual(wechat.channel, "wechat")
        with self.wechat_ok() as session_class:
            wechat._job_send()
            wechat._job_send()
        sent = [
            c for c in session_class.return_value.request.call_args_list if "message/template/send" in str(c)
        ]
        self.assertEqual(len(sent), 1)

    def test_retry_after_failure_sends_once(self):
        """Two messages in a batch; the gateway is down for the second. The first stays sent;
        the retry sends the second only; a further run sends nothing."""
        self.company.property_sms_gateway_id = self.gateway_tencent
        first = self.pending(self.owner)
        self.owner_b.sudo().wechat_openid = False
        second = self.pending(self.owner_b)
        batch = first | second
        answers = [tencent_ok(["+8613812341234"]), requests.ConnectionError("gateway down")]
        with (
            patch(POST, side_effect=answers) as post,
            mute_logger("odoo.addons.property_sms.models.property_sms_gateway"),
        ):
            batch._job_send()
        self.assertEqual(post.call_count, 2)
        self.assertEqual(first.state, "sent")
        self.assertEqual(second.state, "failed")
        self.assertEqual(second.error, "request_failed")
        retry = self.jobs(second).filtered(lambda job: job.records == second)
        self.assertEqual(len(retry), 1, "the failed message is tried again later, alone")
        with patch(POST, return_value=tencent_ok(["+8613900001111"])) as post:
            batch._job_send()  # the retry (or the first job run again): only what is left
            batch._job_send()
        self.assertEqual(post.call_count, 1)
        sent_numbers = post.call_args.kwargs["data"].decode()
        self.assertIn("+8613900001111", sent_numbers)
        self.assertEqual(second.state, "sent")
        self.assertEqual(second.attempt_count, 2)

    def test_gives_up_after_max_attempts(self):
        self.company.property_sms_gateway_id = self.gateway_tencent
        sms = self.pending(self.owner)
        with (
            patch(POST, side_effect=requests.ConnectionError("down")) as post,
            mute_logger("odoo.addons.property_sms.models.property_sms_gateway"),
        ):
            for __ in range(5):
                sms._job_send()
        self.assertEqual(post.call_count, 3)
        self.assertEqual(sms.state, "failed")

    def test_event_twice_notifies_once(self):
        bill = self.make_bills(self.owner, self.unit_a, 1, start=date(2026, 11, 1))
        before = self.notifications(bill)
        bill._notify_issued()
        (bill | bill)._notify_issued()
        self.assertEqual(self.notifications(bill), before)

    def test_no_gateway_skips(self):
        self.company.property_sms_gateway_id = False
        sms = self.pending(self.owner)
        sms._job_send()
        self.assertEqual(sms.state, "skipped")
        self.assertEqual(sms._job_send(), 0)
