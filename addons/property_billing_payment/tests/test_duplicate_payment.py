from ast import literal_eval

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BillPaymentTestCommon


@tagged("post_install", "-at_install")
class TestDuplicatePayment(BillPaymentTestCommon):
    """Two payments of one bill that both arrive: the bill is paid once, the second payment waits
    for the accountant, who refunds it or keeps it as the household's credit."""

    def receivable_credit(self, partner):
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", partner.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", "<", 0),
            ]
        )
        return -sum(lines.mapped("amount_residual"))

    def pay_twice(self):
        """Two QR codes shown for the same bill (drafts do not block), both paid, both notices."""
        tx1 = self.pay_online(self.bill_a)
        tx2 = self.pay_online(self.bill_a)
        self.assertEqual(self.notify(tx2).status_code, 204)
        self.assertEqual(self.notify(tx1).status_code, 204)
        self.assertEqual((tx1.state, tx2.state), ("done", "done"))
        (tx1 | tx2)._post_process()
        return tx1, tx2

    def test_two_transactions_both_confirmed(self):
        tx1, tx2 = self.pay_twice()
        self.assertTrue(tx1.payment_id)
        self.assertTrue(tx2.payment_id, "the money arrived: it is recorded")
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.state, "paid")
        self.assertEqual(self.bill_a.amount_paid, 256.5, "never credited twice")
        self.assertEqual(self.bill_a.amount_residual, 0.0)
        flagged = (tx1 | tx2).filtered("property_duplicate_state")
        self.assertEqual(len(flagged), 1)
        self.assertEqual(flagged.property_duplicate_state, "to_review")
        self.assertEqual(flagged.property_duplicate_amount, 256.5)
        self.assertEqual(self.receivable_credit(self.owner), 256.5)
        self.assertIn(flagged.reference, self.bill_a.message_ids[0].body)
        # the accountant's list
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "property_billing_payment.payment_transaction_action_duplicate"
        )
        duplicates = (
            self.env["payment.transaction"]
            .with_user(self.user_accountant)
            .search(literal_eval(action["domain"]))
        )
        self.assertEqual(duplicates, flagged)
        # post-processing again changes nothing
        (tx1 | tx2)._post_process()
        self.assertEqual(self.bill_a.amount_paid, 256.5)
        self.assertEqual(self.receivable_credit(self.owner), 256.5)

    def test_payment_after_front_desk_payment(self):
        """The bill was paid at the front desk while the resident paid online."""
        tx = self.pay_online(self.bill_a)
        self.pay(self.owner, 256.5, bill=self.bill_a)
        self.notify(tx)
        tx._post_process()
        self.bill_a.invalidate_recordset()
        self.assertEqual(self.bill_a.amount_paid, 256.5)
        self.assertEqual(tx.property_duplicate_state, "to_review")
        self.assertEqual(tx.property_duplicate_amount, 256.5)

    def test_duplicate_kept_as_credit(self):
        tx1, tx2 = self.pay_twice()
        duplicate = (tx1 | tx2).filtered("property_duplicate_state")
        later_bill = self.make_bills(
            self.owner, self.unit_a, 1, amount=200.0, start=self.bill_a.period_start.replace(year=2024)
        )
        with self.assertRaises(AccessError):
            duplicate.with_user(self.user_frontdesk).action_property_keep_as_credit()
        duplicate.with_user(self.user_accountant).action_property_keep_as_credit()
        self.assertEqual(duplicate.property_duplicate_state, "credit")
        later_bill.invalidate_recordset()
        self.assertEqual(later_bill.state, "paid", "the household's open bills take the credit")
        self.assertEqual(self.receivable_credit(self.owner), 56.5)
        with self.assertRaises(UserError):
            duplicate.with_user(self.user_accountant).action_property_keep_as_credit()

    def test_duplicate_refunded(self):
        tx1, tx2 = self.pay_twice()
        duplicate = (tx1 | tx2).filtered("property_duplicate_state")
        answer = {
            "mchid": "1900000109",
            "refund_id": "50300908092022112015397400001",
            "out_refund_no": f"R-{duplicate.reference}",
            "status": "SUCCESS",
            "amount": {"total": 25650, "refund": 25650, "currency": "CNY"},
        }
        with self._patch_wechatpay_http(self._wechatpay_answer(answer)) as fake:
            duplicate.with_user(self.user_accountant).action_property_refund_duplicate()
        self.assertEqual(fake.post.call_args.kwargs["json"]["amount"]["refund"], 25650)
        refund_tx = duplicate.child_transaction_ids
        self.assertEqual((refund_tx.operation, refund_tx.state), ("refund", "done"))
        refund_tx._post_process()
        self.assertEqual(refund_tx.payment_id.payment_type, "outbound")
        self.assertEqual(duplicate.property_duplicate_state, "refunded")
        self.assertEqual(self.receivable_credit(self.owner), 0.0)
        self.bill_a.invalidate_recordset()
        self.assertEqual((self.bill_a.state, self.bill_a.amount_paid), ("paid", 256.5))
        # a refunded payment does not block a new one
        self.assertFalse(self.bill_a._get_blocking_transactions() & duplicate)
