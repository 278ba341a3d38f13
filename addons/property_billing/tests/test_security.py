from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import BillingTestCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestSecurity(BillingTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_rule(price=2.5)
        cls.make_rule(estate_id=cls.estate_b.id, price=2.0)
        cls.make_run()._run_now()
        cls.make_run(estate=cls.estate_b)._run_now()
        cls.bill_a = cls.bill_of(cls.owner)
        cls.bill_b = cls.bill_of(cls.owner_b)

    def test_accountant_runs_billing(self):
        self.user_accountant.property_estate_ids = self.estate_a
        run = self.make_run(month=date(2026, 4, 1)).with_user(self.user_accountant)
        run.action_preview()
        run._run_now()
        self.assertEqual(run.state, "done")
        self.assertTrue(run.chunk_ids.move_id)
        self.assertEqual(
            self.env["property.bill"].with_user(self.user_accountant).search([]).estate_id, self.estate_a
        )

    def test_front_desk_reads_bills_of_their_estates(self):
        Bill = self.env["property.bill"].with_user(self.user_frontdesk)
        self.assertEqual(Bill.search([]), self.bill_a | self.bill_of(self.owner_high))
        self.bill_a.with_user(self.user_frontdesk).read(["amount_total", "state"])
        with self.assertRaises(AccessError):
            self.bill_b.with_user(self.user_frontdesk).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.env["property.billing.run"].with_user(self.user_frontdesk).create(
                {"estate_id": self.estate_a.id, "date_from": date(2026, 4, 1), "date_due": date(2026, 4, 30)}
            )
        with self.assertRaises(AccessError):
            self.bill_a.with_user(self.user_frontdesk).write({"date_due": date(2026, 5, 1)})

    def test_resident_reads_own_household_bills(self):
        Bill = self.env["property.bill"].with_user(self.user_resident)
        self.assertEqual(Bill.search([]), self.bill_a)
        self.assertEqual(self.bill_a.with_user(self.user_resident).amount_total, 222.5)
        self.assertEqual(self.bill_a.with_user(self.user_resident).line_ids.amount, 222.5)
        with self.assertRaises(AccessError):
            self.bill_b.with_user(self.user_resident).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.env["property.meter"].with_user(self.user_resident).search([])

    def test_manager_sees_all_estates(self):
        # every bill there is (the demo data's too, when installed), hence both estates'
        seen = self.env["property.bill"].with_user(self.user_manager).search([])
        self.assertEqual(seen, self.env["property.bill"].sudo().search([]))
        self.assertLessEqual(self.estate_a | self.estate_b, seen.estate_id)
