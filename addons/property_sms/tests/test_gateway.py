import hashlib
import hmac
import json
from unittest.mock import patch

import requests

from odoo.tests import freeze_time, tagged

from .common import SmsTestCommon

POST = "odoo.addons.property_sms.models.property_sms_gateway.requests.post"


class FakeResponse:
    def __init__(self, payload, status=200):
        self.payload = payload
        self.status_code = status

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code}")

    def json(self):
        return self.payload


def tencent_ok(numbers, codes=None):
    codes = codes or ["Ok"] * len(numbers)
    return FakeResponse(
        {
            "Response": {
                "SendStatusSet": [
                    {"SerialNo": f"sn-{i}", "PhoneNumber": n, "Code": c, "Message": c, "Fee": 1}
                    for i, (n, c) in enumerate(zip(numbers, codes, strict=True))
                ],
                "RequestId": "req-1",
            }
        }
    )


def expected_signature(secret_key, timestamp, body):
    """TC3-HMAC-SHA256 written out step by step from Tencent Cloud's API 3.0 documentation."""
    day = "2026-03-05"
    canonical_request = (
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:sms.tencentcloudapi.com\n\n"
        "content-type;host\n" + hashlib.sha256(body).hexdigest()
    )
    string_to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{day}/sms/tc3_request\n"
        + hashlib.sha256(canonical_request.encode()).hexdigest()
    )
    k_date = hmac.new(b"TC3" + secret_key.encode(), day.encode(), hashlib.sha256).digest()
    k_service = hmac.new(k_date, b"sms", hashlib.sha256).digest()
    k_signing = hmac.new(k_service, b"tc3_request", hashlib.sha256).digest()
    return hmac.new(k_signing, string_to_sign.encode(), hashlib.sha256).hexdigest()


@tagged("post_install", "-at_install")
class TestGateway(SmsTestCommon):
    def test_log_provider_sends_and_records(self):
        results = self.gateway_log._send_template(["13812341234"], "dunning_reminder", ["张伟", 120.5])
        self.assertEqual(results[0]["state"], "success")
        log = self.env["property.sms.log"].search([("gateway_id", "=", self.gateway_log.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.number, "13812341234")
        self.assertEqual(log.template_code, "dunning_reminder")
        self.assertEqual(json.loads(log.params), ["张伟", "120.5"])
        self.assertEqual(log.body, "张伟您好，欠费120.5元")
        self.assertEqual(log.state, "sent")

    def test_log_provider_free_text_and_voice(self):
        self.assertEqual(self.gateway_log._send_text(["13812341234"], "停水通知")[0]["state"], "success")
        voice = self.gateway_log._send_voice("13812341234", "dunning_reminder", ["张伟", 10])
        self.assertEqual(voice["state"], "success")
        logs = self.env["property.sms.log"].search([("gateway_id", "=", self.gateway_log.id)])
        self.assertEqual(sorted(logs.mapped("channel")), ["sms", "voice"])
        self.assertIn("停水通知", logs.mapped("body"))

    @freeze_time("2026-03-05 08:00:00")
    def test_tencent_request_signed(self):
        numbers = ["13812341234", "+86 139-0000-1111"]
        with patch(POST, return_value=tencent_ok(["+8613812341234", "+8613900001111"])) as post:
            results = self.gateway_tencent._send_template(numbers, "dunning_reminder", ["张伟", 88])
        self.assertEqual([r["state"] for r in results], ["success", "success"])
        self.assertEqual([r["provider_ref"] for r in results], ["sn-0", "sn-1"])
        post.assert_called_once()
        args, kwargs = post.call_args
        self.assertEqual(args[0], "https://sms.tencentcloudapi.com/")
        self.assertEqual(kwargs["timeout"], 7)
        payload = json.loads(kwargs["data"])
        self.assertEqual(
            payload,
            {
                "PhoneNumberSet": ["+8613812341234", "+8613900001111"],
                "SmsSdkAppId": "1400006666",
                "SignName": "翠湖物业",
                "TemplateId": "2001",
                "TemplateParamSet": ["张伟", "88"],
            },
        )
        headers = kwargs["headers"]
        timestamp = 1772697600  # 2026-03-05 08:00:00 UTC
        self.assertEqual(headers["X-TC-Action"], "SendSms")
        self.assertEqual(headers["X-TC-Version"], "2021-01-11")
        self.assertEqual(headers["X-TC-Region"], "ap-guangzhou")
        self.assertEqual(headers["X-TC-Timestamp"], str(timestamp))
        self.assertEqual(
            headers["Authorization"],
            "TC3-HMAC-SHA256 Credential=AKIDtest/2026-03-05/sms/tc3_request, SignedHeaders=content-type;host, "
            "Signature=" + expected_signature("secret-key-test", timestamp, kwargs["data"]),
        )

    def test_tencent_error_mapping(self):
        numbers = ["13800000001", "13800000002", "13800000003", "13800000004"]
        codes = [
            "Ok",
            "InvalidParameterValue.IncorrectPhoneNumber",
            "FailedOperation.PhoneNumberInBlacklist",
            "LimitExceeded.PhoneNumberDailyLimit",
        ]
        response = tencent_ok(["+86" + n for n in numbers], codes)
        with patch(POST, return_value=response):
            results = self.gateway_tencent._send_template(numbers, "otp", ["123456"])
        self.assertEqual(
            [r["state"] for r in results],
            ["success", "wrong_number_format", "blacklisted", "LimitExceeded.PhoneNumberDailyLimit"],
        )
        logs = self.env["property.sms.log"].search([("gateway_id", "=", self.gateway_tencent.id)], order="id")
        self.assertEqual(logs.mapped("state"), ["sent", "error", "error", "error"])
        # a request-level error fails every number
        error = FakeResponse(
            {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "x"}}}
        )
        with patch(POST, return_value=error):
            results = self.gateway_tencent._send_template(numbers[:2], "otp", ["1"])
        self.assertEqual([r["state"] for r in results], ["unregistered", "unregistered"])
        # a timeout is a server error, never an exception
        with patch(POST, side_effect=requests.Timeout("slow")):
            results = self.gateway_tencent._send_template(numbers[:1], "otp", ["1"])
        self.assertEqual(results[0]["state"], "server_error")
        # unknown template, free text and voice are refused without any request
        with patch(POST) as post:
            self.assertEqual(
                self.gateway_tencent._send_template(["13800000001"], "nope", [])[0]["state"], "server_error"
            )
            self.assertEqual(
                self.gateway_tencent._send_text(["13800000001"], "hi")[0]["code"], "free_text_unsupported"
            )
            self.assertEqual(
                self.gateway_tencent._send_voice("13800000001", "otp", [])["code"], "voice_unsupported"
            )
        post.assert_not_called()

    def test_sms_sms_bookkeeping_through_gateway(self):
        self.company.property_sms_gateway_id = self.gateway_tencent
        sms = self.env["sms.sms"].create(
            [
                {
                    "number": "13812341234",
                    "body": "提醒",
                    "property_template_code": "dunning_reminder",
                    "property_template_params": ["张伟", "100"],
                },
                {
                    "number": "12345",
                    "body": "提醒",
                    "property_template_code": "dunning_reminder",
                    "property_template_params": ["张伟", "100"],
                },
                {
                    "number": "13900001111",
                    "body": "提醒",
                    "property_template_code": "dunning_reminder",
                    "property_template_params": ["张伟", "100"],
                },
            ]
        )
        response = tencent_ok(
            ["+8613812341234", "+8612345", "+8613900001111"],
            ["Ok", "InvalidParameterValue.IncorrectPhoneNumber", "FailedOperation.PhoneNumberInBlacklist"],
        )
        with patch(POST, return_value=response) as post:
            sms.send(unlink_sent=False)
        post.assert_called_once()  # one request for the three numbers of the same template
        self.assertEqual(sms.mapped("state"), ["pending", "error", "error"])
        self.assertEqual(sms.mapped("failure_type"), [False, "sms_number_format", "sms_blacklist"])

    def test_message_sms_notification_through_log_gateway(self):
        message = self.owner._message_sms("停水通知：明天9点至12点", partner_ids=self.owner.ids)
        notification = message.notification_ids.filtered(lambda n: n.notification_type == "sms")
        self.assertEqual(notification.notification_status, "pending")
        log = self.env["property.sms.log"].search([("gateway_id", "=", self.gateway_log.id)])
        self.assertEqual(log.body, "停水通知：明天9点至12点")
        self.assertEqual(log.number, "13812341234")

    def test_without_gateway_core_iap_path(self):
        self.company.property_sms_gateway_id = False
        sms = self.env["sms.sms"].create({"number": "13812341234", "body": "hi"})
        with patch(
            "odoo.addons.sms.tools.sms_api.SmsApi._send_sms_batch",
            return_value=[{"uuid": sms.uuid, "state": "success"}],
        ) as iap:
            sms.send(unlink_sent=False)
        iap.assert_called_once()
        self.assertEqual(sms.state, "pending")
        self.assertFalse(self.env["property.sms.log"].search([]))

    def test_access(self):
        self.assertFalse(self.gateway_tencent.with_user(self.user_accountant).has_access("write"))
        self.assertTrue(self.gateway_tencent.with_user(self.user_manager).has_access("write"))
        self.assertFalse(self.env["property.sms.log"].with_user(self.user_frontdesk).has_access("read"))
