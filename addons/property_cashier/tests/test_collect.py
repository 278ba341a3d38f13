from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TODAY, CashierTestCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCollect(CashierTestCommon):
    def test_full_payment_of_two_bills(self):
        first, second, third = self.bills
        collection = self.collect(first | second)
        self.assertEqual(collection.amount, 200.0)
        self.assertEqual(collection.state, "done")
        self.assertEqual((first.state, second.state, third.state), ("paid", "paid", "open"))
        payment = collection.payment_id
        self.assertTrue(payment.is_reconciled)
        self.assertEqual(payment.journal_id, self.company.property_cashier_cash_journal_id)
        self.assertEqual(payment.journal_id.type, "cash")
        self.assertEqual(payment.partner_id, self.owner)
        self.assertEqual(collection.date, date(2026, 3, 20))
        self.assertEqual(collection.line_ids.mapped("amount_allocated"), [100.0, 100.0])
        self.assertEqual(collection.amount_prepayment, 0.0)
        self.assertEqual(payment.move_id.property_estate_id, self.estate_a)

    def test_partial_payment_leaves_the_rest_open(self):
        first, second, _third = self.bills
        collection = self.collect(first | second, amount=150.0)
        self.assertEqual((first.state, first.amount_residual), ("paid", 0.0))
        self.assertEqual((second.state, second.amount_residual), ("partial", 50.0))
        self.assertEqual(collection.line_ids.sorted("date_due").mapped("amount_allocated"), [100.0, 50.0])

    def test_overpayment_goes_to_prepayment(self):
        first = self.bills[0]
        collection = self.collect(first, amount=250.0)
        self.assertEqual(first.state, "paid")
        self.assertEqual(collection.amount_prepayment, 150.0)
        owner = self.owner.with_user(self.user_frontdesk)
        self.assertEqual(owner.property_prepayment_amount, 150.0)
        # the billing's own engine uses the prepayment on the next bills, oldest first
        self.bills[1:]._apply_outstanding_credits()
        self.assertEqual((self.bills[1].state, self.bills[2].amount_residual), ("paid", 50.0))
        self.owner.invalidate_recordset(["property_prepayment_amount"])
        self.assertEqual(owner.property_prepayment_amount, 0.0)

    def test_methods_have_their_own_journal(self):
        card = self.collect(self.bills[0], method="card", reference="POS-000123")
        transfer = self.collect(self.bills[1], method="transfer", reference="ICBC 20260320")
        self.assertEqual(card.payment_id.journal_id.code, "POS")
        self.assertEqual(transfer.payment_id.journal_id.code, "BNKD")
        self.assertIn("POS-000123", card.payment_id.memo)
        journals = card.payment_id.journal_id | transfer.payment_id.journal_id
        self.assertEqual(len(journals), 2)

    def test_form_lists_the_open_bills(self):
        self.collect(self.bills[0])
        with Form(self.Collection.with_user(self.user_frontdesk)) as form:
            form.partner_id = self.owner
            self.assertEqual(form.estate_id, self.estate_a)
            self.assertEqual(len(form.line_ids), 2)
            self.assertEqual(form.amount, 0.0)
            for index in range(2):
                with form.line_ids.edit(index) as line:
                    line.is_selected = True
            self.assertEqual(form.amount, 200.0)
        collection = form.record
        collection.action_collect()
        self.assertEqual(set(self.bills.mapped("state")), {"paid"})

    def test_bad_input_is_refused(self):
        with self.assertRaisesRegex(UserError, "POS"):
            self.collect(self.bills[0], method="card")
        with self.assertRaises(UserError):
            self.collect(self.bills[0], amount=0.0)
        with self.assertRaises(UserError):
            self.collect(self.bills[0], method="transfer", reference="x" * 100)
        # another household's bill on 张伟's collection
        other = self.make_bills(self.owner_high, self.unit_high, 1, start=date(2026, 1, 1))
        with self.assertRaisesRegex(UserError, "not this household"):
            self.collect(other, partner=self.owner)
        # a bill already paid
        self.collect(self.bills[0])
        with self.assertRaisesRegex(UserError, "not open"):
            self.collect(self.bills[0])
        self.assertFalse(self.Collection.search([("state", "=", "draft"), ("name", "!=", "/")]))
        self.assertEqual(
            self.Collection.search_count([("state", "=", "done"), ("partner_id", "=", self.owner.id)]), 1
        )

    def test_forged_fields_are_refused(self):
        Collection = self.Collection.with_user(self.user_frontdesk)
        with self.assertRaises(AccessError):
            Collection.create({"partner_id": self.owner.id, "estate_id": self.estate_a.id, "state": "done"})
        with self.assertRaises(AccessError):
            Collection.create(
                {
                    "partner_id": self.owner.id,
                    "estate_id": self.estate_a.id,
                    "cashier_id": self.user_manager.id,
                }
            )
        collection = self.collect(self.bills[0])
        with self.assertRaises(AccessError):
            collection.write({"state": "reversed"})
        with self.assertRaises(UserError):
            collection.write({"amount": 1.0})
        with self.assertRaises(UserError):
            collection.line_ids.write({"is_selected": False})
        with self.assertRaises(UserError):
            collection.line_ids.write({"amount_allocated": 0.0})
        with self.assertRaises(UserError):
            collection.unlink()
        with self.assertRaises(UserError):
            collection.write(
                {"line_ids": [Command.create({"bill_id": self.bills[1].id, "is_selected": True})]}
            )

    def test_household_search_by_unit_name_and_full_phone(self):
        Partner = (
            self.env["res.partner"].with_user(self.user_frontdesk).with_context(property_cashier_search=True)
        )
        by_unit = Partner.name_search("A-3-0502")
        self.assertEqual([r[0] for r in by_unit], [self.owner.id])
        self.assertIn("A-3-0502", by_unit[0][1])
        self.assertEqual([r[0] for r in Partner.name_search("张伟")], [self.owner.id])
        self.assertEqual([r[0] for r in Partner.name_search("138 1234 1234")], [self.owner.id])
        # the number stays masked once found
        self.assertNotIn("13812341234", str(Partner.browse(self.owner.id).read(["mobile"])))
        # no prefix oracle: part of a number finds no one
        self.assertFalse(Partner.name_search("1381234"))
        self.assertFalse(Partner.name_search("138123412"))
        # another estate's desk: the full number of 张伟 finds nothing
        Partner_b = Partner.with_user(self.user_frontdesk_b)
        self.assertFalse(Partner_b.name_search("13812341234"))
        self.assertEqual([r[0] for r in Partner_b.name_search("13900001111")], [self.owner_b.id])
        # a domain on the phone itself stays refused below manager
        with self.assertRaises(AccessError):
            Partner.search([("mobile", "=", "13812341234")])
