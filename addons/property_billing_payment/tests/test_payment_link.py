import json
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BillPaymentTestCommon


@tagged("post_install", "-at_install")
class TestBillPaymentLink(BillPaymentTestCommon):
    """A bill paid online without the portal: the accountant sends the household a payment link
    to Odoo's payment page; it offers the providers allowed for the bill's company only."""

    def link_of(self, bill):
        Wizard = self.env["payment.link.wizard"]
        wizard = Wizard.with_context(active_model="property.bill", active_id=bill.id).create({})
        self.assertEqual(wizard.amount, bill.amount_residual)
        self.assertEqual(wizard.partner_id, bill.partner_id)
        # the link's token, as the wizard makes it inside a request
        with patch.object(
            type(Wizard),
            "_prepare_access_token",
            lambda w: self._generate_test_access_token(w.partner_id.id, w.amount, w.currency_id.id),
        ):
            url = urlsplit(wizard.link)
        self.assertEqual(url.path, "/payment/pay")
        return f"{url.path}?{url.query}", {k: v[0] for k, v in parse_qs(url.query).items()}

    def transaction(self, bill, provider, params):
        payload = {
            "provider_id": provider.id,
            "payment_method_id": self.method_wechat.id,
            "token_id": None,
            "amount": params["amount"],
            "flow": "redirect",
            "tokenization_requested": False,
            "landing_route": "/payment/confirmation",
            "is_validation": False,
            "access_token": params["access_token"],
        }
        response = self.url_open(
            f"/property/bill/transaction/{bill.id}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": payload}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_payment_link_pays_the_bill(self):
        path, params = self.link_of(self.bill_a)
        self.assertEqual(params["property_bill_id"], str(self.bill_a.id))
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'data-provider-id="{self.wechatpay.id}"', page.text)
        self.assertNotIn(f'data-provider-id="{self.wechatpay_sandbox.id}"', page.text)
        self.assertNotIn(f'data-provider-id="{self.wechatpay_other.id}"', page.text)
        self.assertIn(f"/property/bill/transaction/{self.bill_a.id}", page.text)
        with mute_logger("odoo.http"):
            refused = self.transaction(self.bill_a, self.wechatpay_sandbox, params)
        self.assertIn("error", refused)
        self.assertFalse(self.bill_a.sudo().payment_transaction_ids)
        answer = self._wechatpay_answer({"code_url": "weixin://wxpay/bizpayurl?pr=LinkTest"})
        with self._patch_wechatpay_http(answer):
            result = self.transaction(self.bill_a, self.wechatpay, params)
        self.assertIn("result", result, result)
        tx = self.bill_a.sudo().payment_transaction_ids
        self.assertEqual((tx.partner_id, tx.amount, tx.provider_id), (self.owner, 256.5, self.wechatpay))
        self.notify(tx)
        tx._post_process()
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.state, "paid")

    def test_payment_link_forged(self):
        _path, params = self.link_of(self.bill_a)
        forged = self._generate_test_access_token(self.owner_b.id, 256.5, self.currency.id)
        with mute_logger("odoo.http"):
            page = self.url_open(
                f"/payment/pay?property_bill_id={self.bill_a.id}&amount=256.5&access_token={forged}"
                f"&partner_id={self.owner_b.id}&currency_id={self.currency.id}"
            )
            self.assertEqual(page.status_code, 404)
            refused = self.transaction(self.bill_a, self.wechatpay, dict(params, access_token=forged))
            self.assertIn("error", refused)
            # the amount of the link no longer matches what the bill owes
            self.pay(self.owner, 56.5, bill=self.bill_a)
            refused = self.transaction(self.bill_a, self.wechatpay, params)
            self.assertIn("error", refused)
        self.assertFalse(self.bill_a.sudo().payment_transaction_ids)
