import json
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.property_portal.tests.common import PortalTestCommon
from odoo.addons.property_sms.tests.common import SmsTestCommon
from odoo.addons.property_sms.tests.test_gateway import POST, FakeResponse, tencent_ok

API = "/api/portal/v1"


@tagged("post_install", "-at_install")
class TestOtpBySms(PortalTestCommon, SmsTestCommon):
    """The mini-program's phone login: the code leaves through the company's SMS gateway (Tencent
    Cloud, faked at its HTTP edge), is never written to the gateway log, and logs the resident in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner.mobile = "13812341234"
        # property_sms's test Tencent gateway: its "otp" template (id 1001) reads "验证码{1}"
        cls.gateway = cls.gateway_tencent
        cls.user_resident.company_id.property_sms_gateway_id = cls.gateway

    def post(self, path, data):
        return self.url_open(
            f"{API}{path}", data=json.dumps(data), headers={"Content-Type": "application/json"}
        )

    def test_code_sent_by_gateway_and_logs_in(self):
        with patch(POST, return_value=tencent_ok(["+8613812341234"])) as post:
            response = self.post("/otp/send", {"phone": "13812341234"})
        self.assertEqual(response.json(), {"sent": True})
        self.assertEqual(post.call_count, 1)
        sent = json.loads(post.call_args.kwargs["data"])
        self.assertEqual(sent["PhoneNumberSet"], ["+8613812341234"])
        self.assertEqual(sent["TemplateId"], "1001")
        code, minutes = sent["TemplateParamSet"]
        self.assertRegex(code, r"^\d{6}$")
        self.assertEqual(minutes, "5")
        # the gateway log shows the message was sent, never the code
        log = self.env["property.sms.log"].search([("gateway_id", "=", self.gateway.id)])
        self.assertEqual(log.state, "sent")
        self.assertNotIn(code, log.body + log.params)
        self.assertEqual(log.body, "验证码******")
        # the code from the SMS logs the resident in, once
        answer = self.post("/login/otp", {"phone": "13812341234", "code": code})
        self.assertEqual(answer.status_code, 200)
        self.assertTrue(answer.json()["token"])
        with mute_logger("odoo.http"):
            self.assertEqual(self.post("/login/otp", {"phone": "13812341234", "code": code}).status_code, 401)

    def test_unknown_phone_sends_nothing(self):
        with patch(POST) as post:
            response = self.post("/otp/send", {"phone": "13900000000"})
        self.assertEqual(response.json(), {"sent": True})  # same answer: no phone enumeration
        post.assert_not_called()

    def test_gateway_failure_recorded(self):
        refused = FakeResponse(
            {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "x"}}}
        )
        with patch(POST, return_value=refused):
            response = self.post("/otp/send", {"phone": "13812341234"})
        self.assertEqual(response.json(), {"sent": True})
        log = self.env["property.sms.log"].search([("gateway_id", "=", self.gateway.id)])
        self.assertEqual((log.state, log.result_code), ("error", "AuthFailure.SignatureFailure"))

    def test_without_gateway_nothing_sent(self):
        self.user_resident.company_id.property_sms_gateway_id = False
        with patch(POST) as post:
            self.assertEqual(self.post("/otp/send", {"phone": "13812341234"}).json(), {"sent": True})
        post.assert_not_called()


@tagged("post_install", "-at_install")
class TestBindingDecisionBySms(PortalTestCommon, SmsTestCommon):
    """The front desk's decision on a binding request reaches the resident by SMS, through the
    gateway of the unit's company, with the carrier-approved templates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls.gateway_tencent
        cls.company.property_sms_gateway_id = cls.gateway
        cls.gateway.template_ids = [
            Command.create(
                {"code": "binding_approved", "provider_template_id": "2001", "content": "{1}绑定已通过：{2}"}
            ),
            Command.create(
                {"code": "binding_refused", "provider_template_id": "2002", "content": "{1}绑定未通过：{2}"}
            ),
        ]

    def _request(self):
        return self.env["property.binding.request"]._portal_bind(
            "13655556666", self.unit_a2, "赵敏", "tenant"
        )

    def test_approval_sends_the_page_to_bind_again(self):
        record = self._request()
        with patch(POST, return_value=tencent_ok(["+8613655556666"])) as post:
            record.with_user(self.user_frontdesk).action_approve()
        sent = json.loads(post.call_args.kwargs["data"])
        self.assertEqual(sent["PhoneNumberSet"], ["+8613655556666"])
        unit, link = sent["TemplateParamSet"]
        self.assertEqual(unit, self.unit_a2.display_name)
        self.assertTrue(link.endswith(f"/bind?unit={self.unit_a2.id}"))

    def test_refusal_sends_the_reason(self):
        record = self._request()
        record.refuse_reason = "查无此人"
        with patch(POST, return_value=tencent_ok(["+8613655556666"])) as post:
            record.with_user(self.user_frontdesk).action_refuse()
        sent = json.loads(post.call_args.kwargs["data"])
        self.assertEqual(sent["TemplateParamSet"], [self.unit_a2.display_name, "查无此人"])
