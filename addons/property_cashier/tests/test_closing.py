from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY, CashierTestCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestClosing(CashierTestCommon):
    def lines(self, closing):
        return {line.method: line for line in closing.line_ids}

    def test_matched_day(self):
        self.collect(self.bills[0])
        self.collect(self.bills[1], amount=150.0)
        self.collect(self.bills[2], method="card", reference="POS-1")
        # another cashier's collection is not in this drawer
        self.user_manager.property_estate_ids = self.estate_a
        self.collect(self.bills_b[0], user=self.user_frontdesk_b)
        closing = self.day()
        lines = self.lines(closing)
        self.assertEqual(lines["cash"].amount_expected, 250.0)
        self.assertEqual(lines["card"].amount_expected, 100.0)
        self.assertEqual(lines["transfer"].amount_expected, 0.0)
        self.assertEqual(closing.collection_count, 3)
        lines["cash"].amount_counted = 250.0
        closing.action_close()
        self.assertEqual((closing.state, closing.amount_difference), ("closed", 0.0))
        self.assertEqual(closing.closed_by_id, self.user_frontdesk)

    def test_day_with_a_difference(self):
        self.collect(self.bills[0])
        closing = self.day()
        self.lines(closing)["cash"].amount_counted = 90.0
        with self.assertRaisesRegex(UserError, "explain"):
            closing.action_close()
        self.assertEqual(closing.state, "draft")
        closing.note = "少收10元, 已上报"
        closing.action_close()
        self.assertEqual((closing.amount_expected, closing.amount_counted), (100.0, 90.0))
        self.assertEqual(closing.amount_difference, -10.0)
        self.assertEqual(self.lines(closing)["cash"].amount_difference, -10.0)

    def test_closed_day_is_immutable(self):
        collection = self.collect(self.bills[0])
        closing = self.day()
        self.lines(closing)["cash"].amount_counted = 100.0
        closing.action_close()
        with self.assertRaisesRegex(UserError, "closed"):
            self.lines(closing)["cash"].amount_counted = 1.0
        with self.assertRaisesRegex(UserError, "closed"):
            closing.note = "changed"
        with self.assertRaisesRegex(UserError, "closed"):
            closing.date = date(2026, 3, 21)
        with self.assertRaisesRegex(UserError, "closed"):
            closing.unlink()
        with self.assertRaises(AccessError):
            closing.write({"state": "draft"})
        # nothing more is collected or reversed on that day
        with self.assertRaisesRegex(UserError, "closed"):
            self.collect(self.bills[1])
        collection._request_reversal("收错户")
        with self.assertRaisesRegex(UserError, "closed"):
            collection.with_user(self.user_manager).action_approve_reversal()
        self.assertEqual(closing.amount_expected, 100.0)
        self.assertEqual(closing.action_refresh(), True)
        self.assertEqual(closing.amount_expected, 100.0)

    def test_own_day_only(self):
        with self.assertRaises(AccessError):
            self.env["property.cashier.closing"].with_user(self.user_frontdesk).create(
                {"date": date(2026, 3, 20), "estate_id": self.estate_a.id, "cashier_id": self.user_manager.id}
            )
        self.day()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.day()

    def test_draft_collection_blocks_the_close(self):
        self.Collection.with_user(self.user_frontdesk).create(
            {"partner_id": self.owner.id, "estate_id": self.estate_a.id}
        )
        closing = self.day()
        with self.assertRaisesRegex(UserError, "draft"):
            closing.action_close()

    def test_reversal_counts_on_its_day(self):
        collection = self.collect(self.bills[0])
        collection._request_reversal("收错户")
        collection.with_user(self.user_manager).action_approve_reversal()
        closing = self.day()
        self.assertEqual(self.lines(closing)["cash"].amount_expected, 0.0)
