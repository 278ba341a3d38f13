from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import BillingTestCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestAccounting(BillingTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_rule(price=2.5)
        cls.env["property.late.fee.rule"].search([]).active = False
        cls.late_rule = cls.env["property.late.fee.rule"].create(
            {
                "name": "滞纳金",
                "product_id": cls.fee_late.id,
                "daily_rate": 0.05,
                "grace_days": 5,
                "cap_type": "amount",
                "cap_value": 0.6,
            }
        )

    def generate(self):
        self.make_run(date_due=date(2026, 3, 31))._run_now()
        return self.bill_of(self.owner)

    def test_partial_then_full_payment(self):
        bill = self.generate()
        self.assertEqual((bill.amount_total, bill.state), (222.5, "open"))
        self.pay(self.owner, 100.0, bill)
        self.assertEqual((bill.state, bill.amount_residual, bill.amount_paid), ("partial", 122.5, 100.0))
        self.pay(self.owner, 122.5, bill)
        self.assertEqual((bill.state, bill.amount_residual), ("paid", 0.0))

    def test_prepayment_applied_to_new_bill(self):
        prepayment = self.pay(self.owner, 300.0, day=date(2026, 2, 10))
        # a deposit smaller than the bill leaves it partially paid
        self.pay(self.owner_high, 50.0, day=date(2026, 2, 10))
        bill = self.generate()
        self.assertEqual(bill.state, "paid")
        credit = prepayment.move_id.line_ids.filtered(
            lambda x: x.account_id.account_type == "asset_receivable"
        )
        self.assertAlmostEqual(credit.amount_residual, -77.5)
        self.assertEqual(
            (self.bill_of(self.owner_high).state, self.bill_of(self.owner_high).amount_residual),
            ("partial", 200.0),
        )

    def test_late_fees_never_charged_twice(self):
        bill = self.generate()
        Rule = self.env["property.late.fee.rule"]
        # due 31 March + 5 grace days: nothing before 6 April
        self.assertFalse(Rule._cron_compute_late_fees(date(2026, 4, 5)))
        lines = Rule._cron_compute_late_fees(date(2026, 4, 10))
        self.assertEqual(lines.bill_id, bill | self.bill_of(self.owner_high))
        lines = lines.filtered(lambda x: x.bill_id == bill)
        # 222.5 × 0.05% × 5 days (6–10 April) = 0.55625
        self.assertEqual((lines.bill_id, lines.amount, lines.quantity), (bill, 0.56, 5.0))
        self.assertEqual(lines.late_fee_date_from, date(2026, 4, 6))
        self.assertTrue(lines.move_id)
        self.assertEqual(bill.amount_residual, 223.06)
        self.assertFalse(Rule._cron_compute_late_fees(date(2026, 4, 10)), "same day again: nothing")
        # next day: one day, capped at 0.60 in all
        more = Rule._cron_compute_late_fees(date(2026, 4, 11)).filtered(lambda x: x.bill_id == bill)
        self.assertEqual((more.amount, more.late_fee_date_from), (0.04, date(2026, 4, 11)))
        self.assertFalse(Rule._cron_compute_late_fees(date(2026, 4, 20)), "cap reached")
        self.assertEqual(bill.amount_residual, 223.1)
        receivables = bill.receivable_line_ids
        self.assertEqual(len(receivables), 3)
        self.assertEqual(receivables.partner_id, self.owner)

    def test_late_fee_cap_in_percent(self):
        bill = self.generate()
        self.late_rule.write({"cap_type": "percent", "cap_value": 0.1})  # 0.1% of 222.5 = 0.22
        lines = self.env["property.late.fee.rule"]._cron_compute_late_fees(date(2026, 4, 10))
        self.assertEqual(lines.filtered(lambda x: x.bill_id == bill).amount, 0.22)
        more = self.env["property.late.fee.rule"]._cron_compute_late_fees(date(2026, 4, 30))
        self.assertFalse(more.filtered(lambda x: x.bill_id == bill))

    def test_paid_bill_has_no_late_fee(self):
        bill = self.generate()
        self.pay(self.owner, 222.5, bill)
        lines = self.env["property.late.fee.rule"]._cron_compute_late_fees(date(2026, 5, 1))
        self.assertEqual(lines.bill_id, self.bill_of(self.owner_high), "only the unpaid bill")

    def test_writeoff_needs_manager_approval(self):
        bill = self.generate()
        account = self.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", self.company.id)], limit=1
        )
        Writeoff = self.env["property.bill.writeoff"].with_user(self.user_accountant)
        request = Writeoff.create(
            {"bill_id": bill.id, "amount": 22.5, "reason": "业主困难, 经理同意减免", "account_id": account.id}
        )
        request.action_submit()
        self.assertEqual(request.state, "to_approve")
        with self.assertRaises(AccessError):
            request.action_approve()
        self.assertEqual(bill.amount_residual, 222.5)
        request.with_user(self.user_manager).action_approve()
        self.assertEqual((request.state, request.approved_by_id), ("approved", self.user_manager))
        self.assertEqual(request.move_id.state, "posted")
        self.assertEqual((bill.state, bill.amount_residual), ("partial", 200.0))
        too_much = Writeoff.create(
            {"bill_id": bill.id, "amount": 500.0, "reason": "x", "account_id": account.id}
        )
        with self.assertRaises(UserError):
            too_much.action_submit()

    def test_charge_service_hook(self):
        bill = self.env["property.bill"]._charge_service(
            self.owner, self.unit_a, self.fee_other, 80.0, "更换水龙头 (工单 WO-001)"
        )
        self.assertEqual((bill.bill_type, bill.state, bill.amount_total), ("service", "open", 80.0))
        self.assertEqual(bill.receivable_line_ids.partner_id, self.owner)
        self.assertEqual(bill.line_ids.description, "更换水龙头 (工单 WO-001)")
        # a second service the same month is a second bill
        other = self.env["property.bill"]._charge_service(
            self.owner, self.unit_a, self.fee_other, 20.0, "疏通下水道"
        )
        self.assertNotEqual(other, bill)

    def test_posted_lines_are_frozen(self):
        bill = self.generate()
        with self.assertRaises(UserError):
            bill.line_ids.amount = 1.0
        with self.assertRaises(UserError):
            bill.unlink()
