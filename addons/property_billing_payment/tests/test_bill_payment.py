from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BillPaymentTestCommon


@tagged("post_install", "-at_install")
class TestBillPayment(BillPaymentTestCommon):
    def test_confirmed_payment_settles_bill(self):
        """A bill is paid online without the portal: the gateway's signed notice confirms the
        transaction, and its payment is reconciled with the bill's receivable."""
        tx = self.pay_online(self.bill_a)
        self.assertEqual(tx.amount, 256.5)
        self.assertEqual(self.bill_a.sudo().payment_transaction_ids, tx)
        self.assertEqual(self.bill_a.payment_transaction_count, 1)
        self.assertEqual(self.notify(tx).status_code, 204)
        self.assertEqual(tx.state, "done")
        tx._post_process()
        self.assertTrue(tx.payment_id)
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.state, "paid")
        self.assertFalse(self.bill_a.amount_residual)
        self.assertFalse(tx.property_duplicate_state)
        self.assertEqual(self.bill_b.state, "open", "the other household's bill is untouched")
        action = self.bill_a.action_view_payment_transactions()
        self.assertEqual(self.env["payment.transaction"].search(action["domain"]), tx)
        self.assertEqual(tx.action_view_property_bills()["res_id"], self.bill_a.id)

    def test_partial_bill_pays_its_residual(self):
        self.pay(self.owner, 56.5, bill=self.bill_a)
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.state, "partial")
        tx = self.pay_online(self.bill_a)
        self.assertEqual(tx.amount, 200.0)
        self.notify(tx)
        tx._post_process()
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.state, "paid")
        self.assertFalse(tx.property_duplicate_state)

    # === Provider choice === #

    def test_provider_choice(self):
        """Only enabled, published providers of the bills' company; test mode only where the
        company pays its bills in test mode."""
        bills = self.bill_a
        self.assertEqual(bills._get_payment_providers(self.owner), self.wechatpay)
        self.company.property_bill_payment_test_mode = True
        self.assertEqual(bills._get_payment_providers(self.owner), self.wechatpay | self.wechatpay_sandbox)
        self.company.property_bill_payment_test_mode = False
        self.wechatpay.is_published = False
        self.assertFalse(bills._get_payment_providers(self.owner))
        self.wechatpay.is_published = True
        self.wechatpay.state = "disabled"
        self.assertFalse(bills._get_payment_providers(self.owner))

    def test_test_mode_provider_refused(self):
        with self.assertRaises(ValidationError):
            self.pay_online(self.bill_a, provider=self.wechatpay_sandbox)
        self.assertFalse(self.bill_a.sudo().payment_transaction_ids)
        # allowed where the company pays its bills in test mode (the demo)
        self.company.property_bill_payment_test_mode = True
        self.assertTrue(self.pay_online(self.bill_a, provider=self.wechatpay_sandbox))

    def test_other_company_provider_refused(self):
        with self.assertRaises(ValidationError):
            self.pay_online(self.bill_a, provider=self.wechatpay_other)
        self.assertFalse(self.bill_a.sudo().payment_transaction_ids)

    def test_disabled_and_unpublished_provider_refused(self):
        self.wechatpay.is_published = False
        with self.assertRaises(ValidationError):
            self.pay_online(self.bill_a)
        self.wechatpay.is_published = True
        self.wechatpay.state = "disabled"
        with self.assertRaises(ValidationError):
            self.pay_online(self.bill_a)
        self.assertFalse(self.bill_a.sudo().payment_transaction_ids)

    def test_sandbox_notice_cannot_settle_real_bill(self):
        """A payment started in test mode, then the company goes live: the notice signed with the
        sandbox keys confirms the sandbox transaction but records no payment and settles
        nothing; the accountant sees why."""
        self.company.property_bill_payment_test_mode = True
        tx = self.pay_online(self.bill_a, provider=self.wechatpay_sandbox)
        self.company.property_bill_payment_test_mode = False
        response = self.notify(tx, signing_key=self.sandbox_platform_key)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(tx.state, "done")
        tx._post_process()
        self.assertFalse(tx.payment_id)
        self.assertFalse(self.env["account.payment"].search([("payment_transaction_id", "=", tx.id)]))
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.state, "open")
        self.assertEqual(self.bill_a.amount_residual, 256.5)
        self.assertIn("test", tx.gateway_review_message)
        # and the sandbox keys cannot confirm a live transaction either
        live_tx = self.pay_online(self.bill_b)
        with mute_logger("odoo.addons.property_payment.controllers.main"):
            response = self.notify(
                live_tx, provider=self.wechatpay_sandbox, signing_key=self.sandbox_platform_key
            )
        self.assertNotEqual(response.status_code, 204)
        self.assertEqual(live_tx.state, "draft")

    # === One payment at a time === #

    def test_bill_with_payment_in_progress_cannot_start_another(self):
        tx = self.pay_online(self.bill_a)
        # a draft (QR code shown, nothing paid yet) does not block: the resident may start again
        tx2 = self.pay_online(self.bill_a)
        tx._set_canceled()
        for state in ("pending", "authorized", "done"):
            with self.subTest(state=state):
                # written directly: WeChat Pay has no authorization step, the rule is generic
                self.env.cr.execute(
                    "UPDATE payment_transaction SET state = %s WHERE id = %s", [state, tx2.id]
                )
                tx2.invalidate_recordset(["state"])
                with self.assertRaises(UserError) as caught:
                    self.pay_online(self.bill_a)
                self.assertIn(self.bill_a.name, str(caught.exception))
                self.assertIn(tx2.reference, str(caught.exception))
        # the bill paid together with another one blocks that one too
        bill_a2 = self.make_bills(
            self.owner, self.unit_a, 1, amount=10.0, start=self.bill_a.period_start.replace(year=2023)
        )
        with self.assertRaises(UserError):
            self.pay_online(self.bill_a | bill_a2)
        # cancelled or failed transactions don't block
        self.env.cr.execute("UPDATE payment_transaction SET state = 'error' WHERE id = %s", [tx2.id])
        tx2.invalidate_recordset(["state"])
        self.assertTrue(self.pay_online(self.bill_a | bill_a2))

    def test_refusal_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["property_billing_payment"], ["zh_CN"], overwrite=True
        )
        tx = self.pay_online(self.bill_a)
        tx._set_pending()
        with self.assertRaises(UserError) as caught:
            self.pay_online(self.bill_a.with_context(lang="zh_CN"))
        self.assertIn("已有进行中或已完成的支付", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self.pay_online(self.bill_b.with_context(lang="zh_CN"), provider=self.wechatpay_sandbox)
        self.assertIn("不能用于这些账单", str(caught.exception))

    def test_only_open_bills(self):
        self.pay(self.owner, 256.5, bill=self.bill_a)
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.state, "paid")
        with self.assertRaises(UserError):
            self.pay_online(self.bill_a)
