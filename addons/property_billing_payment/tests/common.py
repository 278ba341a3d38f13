from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.payment.tests.common import PaymentCommon
from odoo.addons.property_billing.tests.common import BillingTestCommon
from odoo.addons.property_payment.tests.common import (
    PropertyPaymentCommon,
    generate_rsa_key,
    wechatpay_test_credentials,
)


@tagged("post_install", "-at_install")
class BillPaymentTestCommon(BillingTestCommon, HttpCase):
    """Bills of two households; WeChat Pay live ("enabled") with keys generated here, a second
    WeChat Pay account in test mode with its own sandbox keys, and a WeChat Pay account of
    another company. property_payment's helpers sign the gateway's notifications."""

    # borrow property_payment's signing helpers (they only use the keys set below)
    _wechatpay_notification = PropertyPaymentCommon._wechatpay_notification
    _wechatpay_signed_headers = PropertyPaymentCommon._wechatpay_signed_headers
    _wechatpay_resource = PropertyPaymentCommon._wechatpay_resource
    _wechatpay_refund_resource = PropertyPaymentCommon._wechatpay_refund_resource
    _wechatpay_answer = PropertyPaymentCommon._wechatpay_answer
    _patch_wechatpay_http = PropertyPaymentCommon._patch_wechatpay_http
    _fen = PropertyPaymentCommon._fen
    _generate_test_access_token = PaymentCommon._generate_test_access_token

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
        cls.company.property_bill_payment_test_mode = False
        # only the providers configured here: another addon's demo data may publish Odoo's demo
        # provider in test mode for this company
        cls.env["payment.provider"].search(
            [("code", "=", "demo"), ("company_id", "=", cls.company.id)]
        ).write({"state": "disabled", "is_published": False})
        cls.method_wechat = cls.env.ref("payment.payment_method_wechat_pay")
        cls.merchant_key = generate_rsa_key()
        cls.wechat_platform_key = generate_rsa_key()
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.wechatpay = cls.env.ref("property_payment.payment_provider_wechatpay")
        cls.wechatpay.write(
            {
                "state": "enabled",
                "is_published": True,
                **wechatpay_test_credentials(cls.merchant_key, cls.wechat_platform_key),
                "journal_id": cls.bank_journal.id,
                "company_id": cls.company.id,
            }
        )
        cls.method_wechat.active = True
        # the same gateway in test mode, with sandbox keys of its own
        cls.sandbox_platform_key = generate_rsa_key()
        cls.wechatpay_sandbox = cls.wechatpay.copy({"name": "WeChat Pay (sandbox)"})
        cls.wechatpay_sandbox.write(
            {
                "state": "test",
                "is_published": True,
                **wechatpay_test_credentials(generate_rsa_key(), cls.sandbox_platform_key),
                "journal_id": cls.bank_journal.id,
            }
        )
        cls.company_other = cls.env["res.company"].create({"name": "其他物业公司", "currency_id": cny.id})
        cls.wechatpay_other = cls.wechatpay.copy({"name": "WeChat Pay (other company)"})
        cls.wechatpay_other.write({"company_id": cls.company_other.id, "journal_id": False})
        cls.wechatpay_other.write(
            {
                "state": "enabled",
                "is_published": True,
                **wechatpay_test_credentials(generate_rsa_key(), generate_rsa_key()),
            }
        )
        cls.bill_a = cls.make_bills(cls.owner, cls.unit_a, 1, amount=256.5)[0]
        cls.bill_b = cls.make_bills(cls.owner_b, cls.unit_b, 1, amount=777.77)[0]

    def pay_online(self, bills, provider=None, partner=None, reference=None):
        """The draft transaction the payment page creates for ``bills``."""
        provider = provider or self.wechatpay
        return bills.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.method_wechat.id,
                "reference": reference or bills.env["payment.transaction"]._compute_reference(provider.code),
                "amount": bills._get_online_payment_amount(),
                "currency_id": bills.currency_id.id,
                "partner_id": (partner or bills.partner_id[:1]).id,
                "operation": "online_redirect",
                "company_id": bills.company_id.id,
                "property_bill_ids": [Command.set(bills.ids)],
            }
        )

    def notify(self, tx, provider=None, **kwargs):
        """WeChat Pay's signed notice that ``tx`` was paid, posted to the provider's webhook."""
        provider = provider or tx.provider_id
        headers, body = self._wechatpay_notification(self._wechatpay_resource(tx), **kwargs)
        response = self.url_open(
            f"/payment/wechatpay/notify/{provider.id}", data=body.encode(), headers=headers
        )
        tx.invalidate_recordset()
        return response
