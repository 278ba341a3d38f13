import base64
import io
import json
from unittest.mock import MagicMock, patch

from PIL import Image

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.property_billing.tests.common import BillingTestCommon
from odoo.addons.property_payment.tests.common import (
    PropertyPaymentCommon,
    generate_rsa_key,
    private_pem,
    public_pem,
    wechatpay_test_credentials,
)


def png_bytes(size=(8, 8), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class PortalTestCommon(BillingTestCommon, HttpCase):
    """Two households in two estates, each with a portal user, bills, a request, a visitor,
    an announcement, an event, a marketplace item, feedback, a consent and a survey; WeChat Pay
    configured with keys generated here (property_payment's test helpers sign notifications)."""

    # borrow property_payment's signing helpers (they only use the keys set below)
    _wechatpay_notification = PropertyPaymentCommon._wechatpay_notification
    _wechatpay_signed_headers = PropertyPaymentCommon._wechatpay_signed_headers
    _wechatpay_resource = PropertyPaymentCommon._wechatpay_resource
    _wechatpay_answer = PropertyPaymentCommon._wechatpay_answer
    _patch_wechatpay_http = PropertyPaymentCommon._patch_wechatpay_http
    _fen = PropertyPaymentCommon._fen

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cny = cls.env.ref("base.CNY")
        cny.active = True
        if cls.company.currency_id != cny:
            cls.env.cr.execute(
                "UPDATE res_company SET currency_id = %s WHERE id = %s", [cny.id, cls.company.id]
            )
            cls.company.invalidate_recordset(["currency_id"])
        cls.currency = cny
        cls.owner.email = "zhangwei@example.com"
        cls.owner_b.email = "lina@example.com"
        cls.user_resident_b = new_test_user(
            cls.env, login="t_resident_b", groups="base.group_portal", name="李娜", partner_id=cls.owner_b.id
        )
        cls.setup_payment()
        cls.bill_a = cls.make_bills(cls.owner, cls.unit_a, 1, amount=256.5)[0]
        cls.bill_b = cls.make_bills(cls.owner_b, cls.unit_b, 1, amount=777.77)[0]
        Request = cls.env["property.request"]
        cls.request_a = Request._portal_create_request(
            cls.owner, {"unit_id": cls.unit_a.id, "description": "客厅灯不亮"}
        )
        cls.request_b = Request._portal_create_request(
            cls.owner_b, {"unit_id": cls.unit_b.id, "description": "SECRET-B 卫生间堵塞"}
        )
        cls.request_b._portal_ensure_token()
        cls.announcement_b = cls.env["property.announcement"].create(
            {"name": "SECRET-B 锦悦府通知", "estate_id": cls.estate_b.id, "body": "<p>SECRET-B</p>"}
        )
        cls.announcement_b.action_publish()
        cls.event_b = cls.env["property.community.event"].create(
            {
                "name": "SECRET-B 活动",
                "estate_id": cls.estate_b.id,
                "date_begin": "2026-12-01 10:00:00",
                "capacity": 5,
            }
        )
        cls.event_b.action_open()
        cls.item_b = cls.env["property.market.item"].create(
            {"name": "SECRET-B 沙发", "partner_id": cls.owner_b.id, "estate_id": cls.estate_b.id, "price": 10}
        )
        cls.feedback_b = cls.env["property.feedback"].create(
            {
                "name": "SECRET-B 建议",
                "body": "SECRET-B",
                "partner_id": cls.owner_b.id,
                "estate_id": cls.estate_b.id,
            }
        )
        cls.visitor_b = cls.env["property.security.visitor"]._portal_register(
            cls.owner_b,
            {
                "unit_id": cls.unit_b.id,
                "name": "SECRET-B 访客",
                "visit_start": "2026-11-25 08:00:00",
                "visit_end": "2026-11-25 12:00:00",
            },
        )
        cls.consent_b = cls.env["property.consent"].create(
            {"partner_id": cls.owner_b.id, "purpose": "marketing", "channel": "paper"}
        )
        cls.consent_a = cls.env["property.consent"].create(
            {"partner_id": cls.owner.id, "purpose": "marketing", "channel": "paper"}
        )
        cls.survey_b = cls.make_survey("SECRET-B 满意度调查", cls.estate_b)

    def fake_wechat(self, payload):
        """Fake WeChat's HTTP API at its edge: the requests session wechatpy's client opens."""
        payload = dict(payload, access_token="ACCESS_TOKEN", expires_in=7200)
        answer = MagicMock(status_code=200, headers={"Content-Type": "application/json"})
        answer.json.return_value = payload
        answer.content = json.dumps(payload).encode()
        answer.text = json.dumps(payload)
        answer.raise_for_status.return_value = None
        session = MagicMock()
        session.request.return_value = answer
        session.get.return_value = answer
        return patch("wechatpy.client.base.requests.Session", return_value=session)

    @classmethod
    def setup_payment(cls):
        cls.merchant_key = generate_rsa_key()
        cls.wechat_platform_key = generate_rsa_key()
        cls.company.property_bill_payment_test_mode = True  # the providers below are in test mode
        # only the providers configured here: Odoo's demo provider (published by the demo data)
        # is off unless a test turns it on
        cls.payment_demo = cls.env.ref("payment.payment_provider_demo")
        cls.payment_demo.write({"state": "disabled", "is_published": False})
        bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.wechatpay = cls.env.ref("property_payment.payment_provider_wechatpay")
        cls.wechatpay.write(
            {
                "state": "test",
                "is_published": True,
                **wechatpay_test_credentials(cls.merchant_key, cls.wechat_platform_key),
                "journal_id": bank_journal.id,
                "company_id": cls.company.id,
            }
        )
        alipay_key = generate_rsa_key()
        cls.alipay = cls.env.ref("property_payment.payment_provider_alipay")
        cls.alipay.write(
            {
                "state": "test",
                "is_published": True,
                "alipay_app_id": "2021000123456789",
                "alipay_app_private_key": private_pem(alipay_key),
                "alipay_public_key": public_pem(generate_rsa_key()),
                "journal_id": bank_journal.id,
                "company_id": cls.company.id,
            }
        )
        (
            cls.env.ref("payment.payment_method_wechat_pay") | cls.env.ref("payment.payment_method_alipay")
        ).active = True

    @classmethod
    def make_survey(cls, title, estate):
        survey = cls.env["survey.survey"].create(
            {
                "title": title,
                "is_property_survey": True,
                "property_estate_ids": [Command.set(estate.ids)],
                "access_mode": "token",
                "users_login_required": True,
                "is_attempts_limited": True,
                "attempts_limit": 1,
                "questions_layout": "one_page",
            }
        )
        cls.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": "您对物业服务满意吗？",
                "question_type": "simple_choice",
                "constr_mandatory": True,
                "suggested_answer_ids": [
                    Command.create({"value": "非常满意"}),
                    Command.create({"value": "一般"}),
                    Command.create({"value": "不满意"}),
                ],
            }
        )
        return survey

    def png_upload(self, name="photo.png"):
        return (name, png_bytes(), "image/png")

    @staticmethod
    def b64(data):
        return base64.b64encode(data)
