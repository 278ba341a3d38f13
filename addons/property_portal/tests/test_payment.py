import json
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment.tests.common import PaymentCommon
from odoo.addons.property_billing_payment.controllers.portal import PropertyBillPaymentPortal

from ..controllers.portal import ResidentPortal
from ..routers.bills import payment_controller
from .common import PortalTestCommon, generate_rsa_key, wechatpay_test_credentials

API = "/api/portal/v1"


@tagged("post_install", "-at_install")
class TestPortalPayment(PortalTestCommon):
    """The payment page and the API pay through one path (property_billing_payment): the same
    providers, the same refusals."""

    _generate_test_access_token = PaymentCommon._generate_test_access_token

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_other = cls.env["res.company"].create(
            {"name": "其他物业公司", "currency_id": cls.currency.id}
        )
        cls.wechatpay_other = cls.wechatpay.copy({"name": "WeChat Pay (other company)"})
        cls.wechatpay_other.write({"company_id": cls.company_other.id, "journal_id": False})
        cls.wechatpay_other.write(
            {
                "state": "enabled",
                "is_published": True,
                **wechatpay_test_credentials(generate_rsa_key(), generate_rsa_key()),
            }
        )
        cls.method_wechat = cls.env.ref("payment.payment_method_wechat_pay")

    def bills_tx(self, bills):
        return self.env["payment.transaction"].search([("property_bill_ids", "in", bills.ids)])

    def pay_page_token(self, bill):
        page = self.url_open(f"/my/bills/pay?bill_ids={bill.id}")
        self.assertEqual(page.status_code, 200)
        return page

    def portal_transaction(self, bill, provider, access_token):
        """The payment form's call; returns the JSON-RPC answer (``result`` or ``error``)."""
        params = {
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids[:1].id,
            "token_id": None,
            "amount": bill.amount_residual,
            "flow": "redirect",
            "tokenization_requested": False,
            "landing_route": "/my/payments",
            "access_token": access_token,
        }
        response = self.url_open(
            f"/my/bills/transaction/{bill.id}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def assertRefused(self, answer, message=None):
        self.assertIn("error", answer)
        if message:
            self.assertIn(message, answer["error"]["data"]["message"])

    def access_token(self, bill):
        return self._generate_test_access_token(
            self.owner.id, bill.amount_residual, bill.currency_id.id, *bill.ids
        )

    def test_portal_offers_and_accepts_only_allowed_providers(self):
        self.authenticate("t_resident", "t_resident")
        page = self.pay_page_token(self.bill_a)
        self.assertIn(f'data-provider-id="{self.wechatpay.id}"', page.text)
        self.assertNotIn(f'data-provider-id="{self.wechatpay_other.id}"', page.text)
        token = self.access_token(self.bill_a)
        # another company's provider is refused
        with mute_logger("odoo.http"):
            self.assertRefused(self.portal_transaction(self.bill_a, self.wechatpay_other, token))
        self.assertFalse(self.bills_tx(self.bill_a))
        # test mode is refused once the company pays its bills for real
        self.company.property_bill_payment_test_mode = False
        page = self.pay_page_token(self.bill_a)
        self.assertNotIn(f'data-provider-id="{self.wechatpay.id}"', page.text)
        with mute_logger("odoo.http"):
            self.assertRefused(self.portal_transaction(self.bill_a, self.wechatpay, token))
        self.assertFalse(self.bills_tx(self.bill_a))
        # a disabled provider is refused
        self.company.property_bill_payment_test_mode = True
        self.alipay.state = "disabled"
        with mute_logger("odoo.http"):
            self.assertRefused(self.portal_transaction(self.bill_a, self.alipay, token))
        self.assertFalse(self.bills_tx(self.bill_a))
        # the allowed provider works, once
        answer = self._wechatpay_answer({"code_url": "weixin://wxpay/bizpayurl?pr=PortalTest"})
        with self._patch_wechatpay_http(answer):
            values = self.portal_transaction(self.bill_a, self.wechatpay, token)["result"]
        tx = self.bills_tx(self.bill_a)
        self.assertEqual(
            (tx.reference, tx.provider_id, tx.amount), (values["reference"], self.wechatpay, 256.5)
        )
        tx._set_pending()
        page = self.pay_page_token(self.bill_a)
        self.assertIn("o_property_payment_in_progress", page.text)
        self.assertIn(tx.reference, page.text)
        self.assertNotIn('name="o_payment_radio"', page.text)
        with mute_logger("odoo.http"):
            self.assertRefused(
                self.portal_transaction(self.bill_a, self.wechatpay, token),
                "already has a payment in progress",
            )
        self.assertEqual(self.bills_tx(self.bill_a), tx)

    def api_pay(self, token, **data):
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        return self.url_open(
            f"{API}/bills/pay", data=json.dumps({"bill_ids": [self.bill_a.id], **data}), headers=headers
        )

    def test_api_pays_through_the_same_path(self):
        token = self.env["property.portal.api.token"]._issue(self.user_resident, "otp")
        headers = {"Authorization": f"Bearer {token}"}
        listed = self.url_open(f"{API}/bills/payment_providers?bill_ids={self.bill_a.id}", headers=headers)
        self.assertEqual(listed.status_code, 200)
        self.assertEqual({p["id"] for p in listed.json()["providers"]}, {self.wechatpay.id, self.alipay.id})
        # by code, only among the bills' company's allowed providers: never a test provider of a
        # company that pays for real, never another company's provider
        self.company.property_bill_payment_test_mode = False
        with mute_logger("odoo.http"):
            response = self.api_pay(token, provider="wechatpay")
            self.assertEqual(response.status_code, 400)
            self.assertEqual(response.json()["error"], "provider_unavailable")
            response = self.api_pay(token, provider_id=self.wechatpay_other.id)
            self.assertEqual(response.status_code, 400)
            response = self.api_pay(token, provider_id=self.wechatpay.id)
            self.assertEqual(response.status_code, 400)
        self.assertFalse(self.bills_tx(self.bill_a))
        self.company.property_bill_payment_test_mode = True
        answer = self._wechatpay_answer({"code_url": "weixin://wxpay/bizpayurl?pr=ApiTest"})
        with self._patch_wechatpay_http(answer):
            response = self.api_pay(token, provider="wechatpay")
        self.assertEqual(response.status_code, 200, response.text)
        tx = self.bills_tx(self.bill_a)
        self.assertEqual((tx.reference, tx.provider_id), (response.json()["reference"], self.wechatpay))
        self.assertEqual(tx.company_id, self.company)
        tx._set_pending()
        with mute_logger("odoo.http"):
            response = self.api_pay(token, provider="alipay")
        self.assertEqual(response.status_code, 400)
        self.assertIn("already has a payment in progress", response.json()["message"])
        self.assertEqual(self.bills_tx(self.bill_a), tx)

    def test_api_and_portal_are_one_controller(self):
        self.assertIsInstance(payment_controller(), PropertyBillPaymentPortal)
        self.assertTrue(issubclass(ResidentPortal, PropertyBillPaymentPortal))
        token = self.env["property.portal.api.token"]._issue(self.user_resident, "otp")
        answer = self._wechatpay_answer({"code_url": "weixin://wxpay/bizpayurl?pr=OnePath"})
        original = PropertyBillPaymentPortal._property_bill_create_transaction
        with (
            patch.object(
                PropertyBillPaymentPortal,
                "_property_bill_create_transaction",
                autospec=True,
                side_effect=original,
            ) as one_path,
            self._patch_wechatpay_http(answer),
        ):
            self.assertEqual(self.api_pay(token, provider="wechatpay").status_code, 200)
        self.assertEqual(one_path.call_count, 1)
