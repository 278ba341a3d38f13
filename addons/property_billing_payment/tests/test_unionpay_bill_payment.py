from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.property_payment.tests.common import (
    PropertyPaymentCommon,
    unionpay_test_credentials,
    unionpay_test_pki,
)

from .common import BillPaymentTestCommon


@tagged("post_install", "-at_install")
class TestUnionPayBillPayment(BillPaymentTestCommon):
    """A bill paid with UnionPay goes the same way as with WeChat Pay: the one bill-payment
    path, the same provider rules."""

    _unionpay_notice = PropertyPaymentCommon._unionpay_notice

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unionpay_pki = unionpay_test_pki()
        cls.method_card = cls.env.ref("payment.payment_method_card")
        cls.unionpay = cls.env.ref("property_payment.payment_provider_unionpay")
        cls.unionpay.write(
            {
                "state": "enabled",
                "is_published": True,
                **unionpay_test_credentials(cls.unionpay_pki),
                "journal_id": cls.bank_journal.id,
                "company_id": cls.company.id,
            }
        )

    def pay_with_unionpay(self, bills, provider=None):
        provider = provider or self.unionpay
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.method_card.id,
                "reference": self.env["payment.transaction"]._compute_reference(provider.code),
                "amount": bills._get_online_payment_amount(),
                "currency_id": bills.currency_id.id,
                "partner_id": bills.partner_id[:1].id,
                "operation": "online_redirect",
                "company_id": bills.company_id.id,
                "property_bill_ids": [Command.set(bills.ids)],
            }
        )
        tx._unionpay_prepare_order()
        return tx

    def post_notice(self, tx, **kwargs):
        response = self.url_open(
            f"/payment/unionpay/notify/{tx.provider_id.id}", data=self._unionpay_notice(tx, **kwargs)
        )
        tx.invalidate_recordset()
        return response

    def test_unionpay_payment_marks_bill_paid(self):
        tx = self.pay_with_unionpay(self.bill_a)
        self.assertEqual(tx.amount, 256.5)
        self.assertEqual(self.post_notice(tx).text, "ok")
        self.assertEqual(tx.state, "done")
        tx._post_process()
        self.assertTrue(tx.payment_id)
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.state, "paid")
        self.assertFalse(self.bill_a.amount_residual)
        self.assertEqual(self.bill_b.state, "open", "the other household's bill is untouched")
        # UnionPay re-sends the notice: still one payment, the bill stays paid
        self.assertEqual(self.post_notice(tx).text, "ok")
        tx._post_process()
        self.assertEqual(len(self.env["account.payment"].search([("payment_transaction_id", "=", tx.id)])), 1)

    @mute_logger("odoo.addons.property_payment.controllers.main")
    def test_wrong_amount_never_pays_the_bill(self):
        tx = self.pay_with_unionpay(self.bill_a)
        self.post_notice(tx, txn_amt="100")
        self.assertEqual(tx.state, "error")
        tx._post_process()
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.state, "open")

    def test_provider_rules_apply(self):
        self.assertIn(self.unionpay, self.bill_a._get_payment_providers(self.owner))
        self.unionpay.state = "test"
        self.assertNotIn(self.unionpay, self.bill_a._get_payment_providers(self.owner))
        with self.assertRaises(ValidationError):
            self.pay_with_unionpay(self.bill_a)
        self.unionpay.state = "enabled"
        self.unionpay.is_published = False
        with self.assertRaises(ValidationError):
            self.pay_with_unionpay(self.bill_a)
        self.assertFalse(self.bill_a.sudo().payment_transaction_ids)
