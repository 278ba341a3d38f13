"""Accounting seen by staff of estate A: nothing of estate B, entries or items."""

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from odoo.addons.property_base.tests.common import AttackerMixin

from .common import BillingTestCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestAccountingEstateScoping(AttackerMixin, BillingTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_rule(price=2.5)
        cls.make_rule(estate_id=cls.estate_b.id, price=2.0)
        cls.run_a = cls.make_run()
        cls.run_a._run_now()
        cls.run_b = cls.make_run(estate=cls.estate_b)
        cls.run_b._run_now()
        cls.bill_a = cls.bill_of(cls.owner)
        cls.bill_b = cls.bill_of(cls.owner_b)
        cls.staff = cls.user_frontdesk | cls.user_technician | cls.user_accountant | cls.user_guard

    def test_entries_carry_their_estate(self):
        move_b = self.bill_b.receivable_line_ids.move_id
        self.assertEqual(move_b.property_estate_id, self.estate_b)
        self.assertEqual(set(move_b.line_ids.mapped("property_estate_id")), {self.estate_b})
        self.assertEqual(self.bill_a.receivable_line_ids.property_estate_id, self.estate_a)

    def test_accountant_of_estate_a(self):
        payment_b = self.pay(self.owner_b, 10.0, self.bill_b)
        payment_a = self.pay(self.owner, 10.0, self.bill_a)
        Line = self.env["account.move.line"].with_user(self.user_accountant)
        Move = self.env["account.move"].with_user(self.user_accountant)
        lines = Line.search([])
        self.assertTrue(self.bill_a.receivable_line_ids <= lines)
        self.assertTrue(payment_a.move_id.line_ids <= lines)
        self.assertFalse(lines & self.bill_b.receivable_line_ids)
        self.assertFalse(lines.filtered(lambda line: line.partner_id == self.owner_b))
        self.assertFalse(lines.filtered(lambda line: line.property_estate_id == self.estate_b))
        self.assertFalse(
            Move.search([("id", "in", (self.bill_b.receivable_line_ids.move_id | payment_b.move_id).ids)])
        )
        groups = Line.read_group([], ["balance:sum"], ["partner_id"])
        self.assertNotIn(self.owner_b.id, [g["partner_id"] and g["partner_id"][0] for g in groups])
        with self.assertRaises(AccessError):
            self.bill_b.receivable_line_ids.with_user(self.user_accountant).read(["balance"])
        with self.assertRaises(AccessError):
            payment_b.move_id.with_user(self.user_accountant).read(["amount_total"])
        # the manager and Odoo's own accountants (not property staff) keep every entry
        self.assertTrue(self.bill_b.receivable_line_ids <= Line.with_user(self.user_manager).search([]))

    def test_every_estate_model_isolated(self):
        self.pay(self.owner_b, 10.0, self.bill_b)
        checked = self.assert_estate_isolated(self.staff, self.estate_b)
        self.assertLessEqual(
            {"account.move", "account.move.line", "property.bill", "property.bill.line"}, checked
        )
