from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import SQL

from .common import BillingTestCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-04-15")
class TestLedger(BillingTestCommon):
    """The billing's journal entries as an auditor sees them: every journal item exists
    before posting, Odoo posts and hashes the entry, and nothing touches it afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_rule(price=2.5)
        cls.make_rule(name="停车费", kind="fixed", price=150.0, product_id=cls.fee_parking.id)
        cls.journal = cls.env["property.bill.line"]._get_billing_journal(cls.company)
        cls.auditor = new_test_user(
            cls.env, login="ledger_auditor", groups="base.group_user,account.group_account_user"
        )
        cls.env["property.late.fee.rule"].search([]).active = False

    def run_month(self, month=date(2026, 3, 1)):
        run = self.make_run(month=month, date_due=month.replace(day=28))
        run._run_now()
        return run

    def integrity(self):
        """The statuses of the integrity report's results for the billing journal."""
        self.env.invalidate_all()
        results = self.company.with_user(self.auditor)._check_hash_integrity()["results"]
        return {r["status"] for r in results if r["journal_name"].startswith(self.journal.name)}

    def receivables(self, moves):
        return moves.line_ids.filtered(lambda x: x.account_id.account_type == "asset_receivable")

    def test_hash_locked_journal_reads_verified(self):
        self.journal.restrict_mode_hash_table = True
        run = self.run_month()
        move = run.chunk_ids.move_id
        self.assertEqual(move.state, "posted")
        self.assertTrue(move.inalterable_hash, "the entry is hashed at posting")
        receivables = self.receivables(move)
        self.assertEqual(receivables.partner_id, self.owner | self.owner_high)
        self.assertEqual(receivables.property_bill_id, run.bill_ids)
        # late fees, a paid service and a payment on the same hash-locked journal
        self.env["property.late.fee.rule"].create(
            {"name": "滞纳金", "product_id": self.fee_late.id, "daily_rate": 0.05, "grace_days": 5}
        )
        late = self.env["property.late.fee.rule"]._cron_compute_late_fees(date(2026, 4, 10))
        self.assertTrue(late.move_id.inalterable_hash)
        service = self.env["property.bill"]._charge_service(
            self.owner, self.unit_a, self.fee_other, 80.0, "更换水龙头"
        )
        self.assertTrue(service.receivable_line_ids.move_id.inalterable_hash)
        self.pay(self.owner, self.bill_of(self.owner).amount_residual, self.bill_of(self.owner))
        self.assertEqual(self.bill_of(self.owner).state, "paid")
        self.assertEqual(self.integrity(), {"verified"})

    def test_integrity_report_sees_a_changed_line(self):
        """The report really reads the billing's lines: a line changed behind Odoo's back
        after posting (what the billing run did before) reads "corrupted"."""
        self.journal.restrict_mode_hash_table = True
        move = self.run_month().chunk_ids.move_id
        self.assertEqual(self.integrity(), {"verified"})
        line = self.receivables(move)[:1]
        self.env.cr.execute(SQL("UPDATE account_move_line SET name = %s WHERE id = %s", "changed", line.id))
        self.assertEqual(self.integrity(), {"corrupted"})

    def test_no_sql_on_a_posted_entry(self):
        move = self.run_month().chunk_ids.move_id
        receivable = self.receivables(move)[:1]
        bill = receivable.property_bill_id
        with self.assertRaises(UserError):
            self.env["property.bill.line"]._split_receivable_lines(receivable, [[(bill, 1.0)]])
        self.assertEqual(self.receivables(move), self.receivables(move).exists())

    def test_orm_consistent_after_posting(self):
        """In the same transaction, without reloading anything, the ORM sees the lines
        the database holds, and every stored value is what Odoo computes."""
        run = self.run_month()
        move = run.chunk_ids.move_id
        bill, bill_high = self.bill_of(self.owner), self.bill_of(self.owner_high)
        # caches: the templates are gone, the entry and the bills know their new lines
        in_db = self.env["account.move.line"].search([("move_id", "=", move.id)])
        self.assertEqual(move.line_ids, in_db)
        self.assertEqual(bill.receivable_line_ids, in_db.filtered(lambda x: x.property_bill_id == bill))
        self.assertEqual((bill.state, bill.amount_residual), ("open", 372.5))  # 89 × 2.5 + 150
        self.assertEqual((bill_high.state, bill_high.amount_residual), ("open", 400.0))
        # stored values equal what the ORM computes from scratch
        receivables = self.receivables(move)
        self.assert_recomputes_to_stored(
            receivables,
            [
                "debit",
                "credit",
                "amount_residual",
                "amount_residual_currency",
                "reconciled",
                "date",
                "parent_state",
                "journal_id",
                "company_id",
            ],
        )
        self.assert_recomputes_to_stored(move, ["amount_total", "amount_total_signed"])
        self.assert_recomputes_to_stored(bill | bill_high, ["amount_residual", "amount_paid", "state"])
        # the households' balances, their customer rank
        self.env.invalidate_all()
        self.assertAlmostEqual(self.owner.credit, 372.5)
        self.assertAlmostEqual(self.owner_high.credit, 400.0)
        self.assertEqual((self.owner.customer_rank, self.owner_high.customer_rank), (1, 1))
        # reconciliation per household: paying one leaves the other as it was
        self.pay(self.owner, 100.0, bill)
        self.assertEqual((bill.state, bill.amount_residual), ("partial", 272.5))
        self.assertEqual(bill.receivable_line_ids.amount_residual, 272.5)
        self.assertEqual((bill_high.state, bill_high.amount_residual), ("open", 400.0))
        self.env.invalidate_all()
        self.assertAlmostEqual(self.owner.credit, 272.5)
        self.assertAlmostEqual(self.owner_high.credit, 400.0)
        self.pay(self.owner_high, 400.0, bill_high)
        self.assertEqual(bill_high.state, "paid")
        self.assertTrue(bill_high.receivable_line_ids.reconciled)
        self.assert_recomputes_to_stored(receivables, ["amount_residual", "reconciled"])

    def assert_recomputes_to_stored(self, records, fnames):
        self.env.flush_all()
        self.env.invalidate_all()
        stored = {(record.id, fname): record[fname] for record in records for fname in fnames}
        for fname in fnames:
            self.env.add_to_compute(records._fields[fname], records)
        recomputed = {(record.id, fname): record[fname] for record in records for fname in fnames}
        self.assertEqual(recomputed, stored)
        self.env.flush_all()

    def test_each_household_on_its_receivable_account(self):
        """Households with different receivable accounts: each line is on its partner's."""
        other = self.env["account.account"].create(
            {
                "name": "应收物业费 (二期)",
                "code": "112299",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        self.owner_high.property_account_receivable_id = other
        self.journal.restrict_mode_hash_table = True
        move = self.run_month().chunk_ids.move_id
        receivables = self.receivables(move)
        self.assertEqual(len(receivables), 2)
        for line in receivables:
            self.assertEqual(line.account_id, line.partner_id.property_account_receivable_id)
            self.assertEqual(line.balance, line.property_bill_id.amount_total)
        self.assertEqual(
            self.receivables(move).filtered(lambda x: x.account_id == other).partner_id, self.owner_high
        )
        self.assertEqual(self.integrity(), {"verified"})

    def test_account_not_allowed_in_journal_is_refused(self):
        """Odoo's account/journal check applies to the lines written on the draft entry."""
        sales = self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company.id)], limit=1
        )
        other = self.env["account.account"].create(
            {
                "name": "应收 (仅限杂项)",
                "code": "112298",
                "account_type": "asset_receivable",
                "reconcile": True,
                "allowed_journal_ids": [Command.set(sales.ids)],
            }
        )
        self.owner_high.property_account_receivable_id = other
        run = self.make_run(date_due=date(2026, 3, 28))
        with self.assertRaises(UserError):
            run._run_now()
        self.assertFalse(self.env["account.move"].search([("ref", "=", run.name)]))

    def test_deprecated_receivable_account_is_refused(self):
        account = self.owner.property_account_receivable_id
        self.run_month()  # the account in use, then deprecated
        account.deprecated = True
        run = self.make_run(month=date(2026, 4, 1), date_due=date(2026, 4, 28))
        with self.assertRaises(UserError):
            run._run_now()
        self.assertFalse(self.env["account.move"].search([("ref", "=", run.name), ("state", "=", "posted")]))

    def test_lock_date_moves_the_entry_with_every_line(self):
        """A run into a locked period: Odoo posts the entry on the first open day, and every
        journal item, those written on the draft included, carries that date."""
        self.journal.restrict_mode_hash_table = True
        self.company.fiscalyear_lock_date = date(2026, 3, 31)
        move = self.run_month().chunk_ids.move_id
        self.assertEqual(move.state, "posted")
        self.assertGreater(move.date, date(2026, 3, 31))
        self.env.invalidate_all()
        self.env.cr.execute(SQL("SELECT DISTINCT date FROM account_move_line WHERE move_id = %s", move.id))
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], [move.date])
        self.assertEqual(len(self.receivables(move)), 2)
        self.assertEqual(self.integrity(), {"verified"})

    def test_household_of_another_company_is_refused(self):
        """Odoo does not check a journal item's partner against its company: the run does."""
        self.owner_high.company_id = self.env["res.company"].create({"name": "其他物业公司"})
        run = self.make_run(date_due=date(2026, 3, 28))
        with self.assertRaises(UserError):
            run._run_now()
        self.assertFalse(self.env["account.move"].search([("ref", "=", run.name)]))
