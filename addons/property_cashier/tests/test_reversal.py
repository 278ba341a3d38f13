from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TODAY, CashierTestCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReversal(CashierTestCommon):
    def request(self, collection, reason="收错户: 应为1201"):
        wizard = (
            self.env["property.cashier.reversal.wizard"]
            .with_user(self.user_frontdesk)
            .create({"collection_id": collection.id, "reason": reason})
        )
        wizard.action_request()

    def test_request_and_approve(self):
        collection = self.collect(self.bills[:2], amount=250.0)
        with self.assertRaisesRegex(UserError, "reason"):
            self.request(collection, reason="   ")
        self.request(collection)
        self.assertEqual(collection.state, "reversal_requested")
        self.assertEqual(collection.reversal_requested_by_id, self.user_frontdesk)
        # the desk cannot approve its own request, nor can a manager approve his own
        with self.assertRaises(AccessError):
            collection.with_user(self.user_frontdesk).action_approve_reversal()
        collection.with_user(self.user_manager).action_approve_reversal()
        self.assertEqual(collection.state, "reversed")
        self.assertEqual(collection.reversal_approved_by_id, self.user_manager)
        self.assertEqual(self.bills[:2].mapped("state"), ["open", "open"])
        self.assertEqual(sum(self.bills.mapped("amount_residual")), 300.0)
        self.assertEqual(self.owner.with_user(self.user_frontdesk).property_prepayment_amount, 0.0)
        reversal = collection.reversal_move_id
        self.assertEqual(reversal.state, "posted")
        self.assertEqual(reversal.reversed_entry_id, collection.payment_id.move_id)
        # and it is in the audit trail
        logs = self.env["auditlog.log"].search(
            [("model_id.model", "=", "property.cashier.collection"), ("res_id", "=", collection.id)]
        )
        self.assertIn("write", logs.mapped("method"))
        self.assertTrue(logs.line_ids.filtered(lambda line: line.field_id.name == "reversal_reason"))
        # a reversed collection cannot be reversed again
        with self.assertRaises(UserError):
            self.request(collection)

    def test_refuse(self):
        collection = self.collect(self.bills[0])
        self.request(collection)
        with self.assertRaises(AccessError):
            collection.with_user(self.user_frontdesk).action_refuse_reversal()
        collection.with_user(self.user_manager).action_refuse_reversal()
        self.assertEqual(collection.state, "done")
        self.assertEqual(self.bills[0].state, "paid")
        with self.assertRaises(UserError):
            collection.with_user(self.user_manager).action_approve_reversal()

    def test_requester_cannot_approve(self):
        self.user_manager.property_estate_ids = self.estate_a
        collection = self.collect(self.bills[0], user=self.user_manager)
        collection._request_reversal("重复收款")
        with self.assertRaisesRegex(UserError, "someone else"):
            collection.with_user(self.user_manager).action_approve_reversal()

    def test_other_estate_cannot_request(self):
        collection = self.collect(self.bills[0])
        with self.assertRaises(AccessError):
            collection.with_user(self.user_frontdesk_b)._request_reversal("attack")
        self.assertEqual(collection.state, "done")
