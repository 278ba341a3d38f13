from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import BillingTestCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestBillingRun(BillingTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_area = cls.make_rule(price=2.5)
        cls.rule_fixed = cls.make_rule(
            name="停车费", kind="fixed", price=150.0, product_id=cls.fee_parking.id
        )
        # 张伟 owns a second unit: one bill for both
        cls.env["property.occupancy"].create(
            {
                "unit_id": cls.unit_a2.id,
                "partner_id": cls.owner.id,
                "role": "owner",
                "share": 100,
                "date_start": date(2021, 1, 1),
            }
        )

    def test_preview_writes_no_bill(self):
        run = self.make_run()
        run.action_preview()
        self.assertEqual(run.state, "previewed")
        self.assertFalse(self.env["property.bill"].search([("estate_id", "=", self.estate_a.id)]))
        preview = {p.product_id: p for p in run.preview_ids}
        self.assertEqual(preview[self.fee_property].line_count, 3)
        self.assertEqual(preview[self.fee_property].household_count, 2)
        # 89 + 120 + 100 m² × 2.5
        self.assertAlmostEqual(preview[self.fee_property].amount, 772.5)
        self.assertAlmostEqual(preview[self.fee_parking].amount, 450.0)

    def test_generate_with_jobs(self):
        run = self.make_run(chunk_size=1)
        run.action_preview()
        with trap_jobs() as trap:
            run.action_generate()
            self.assertEqual(run.state, "running")
            # households are kept together: 张伟's two units in one chunk
            self.assertEqual(len(run.chunk_ids), 2)
            trap.assert_jobs_count(2)
            self.assertEqual(run.progress, 0.0)
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual((run.unit_done, run.unit_total, run.progress), (3, 3, 100.0))
        bill = self.bill_of(self.owner)
        self.assertEqual(len(bill), 1)
        self.assertEqual(len(bill.line_ids), 4)
        self.assertEqual(bill.amount_total, 222.5 + 300.0 + 300.0)  # 89×2.5 + 120×2.5 + 2×150
        self.assertEqual((bill.state, bill.amount_residual), ("open", 822.5))
        self.assertEqual(self.bill_of(self.owner_high).amount_total, 400.0)
        self.assertEqual(run.bill_count, 2)
        names = run.bill_ids.mapped("name")
        self.assertEqual(len(set(names)), 2)
        self.assertTrue(all(name.startswith("BILL/2026/") for name in names))

    def test_receivable_per_household(self):
        run = self.make_run()
        run._run_now()
        move = run.chunk_ids.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.move_type, "entry")
        receivables = move.line_ids.filtered(lambda x: x.account_id.account_type == "asset_receivable")
        self.assertEqual(receivables.partner_id, self.owner | self.owner_high)
        self.assertEqual(len(receivables), 2)
        for line in receivables:
            self.assertEqual(line.property_bill_id.partner_id, line.partner_id)
            self.assertEqual(line.balance, line.property_bill_id.amount_total)
            self.assertEqual(line.date_maturity, date(2026, 3, 28))
        income = move.line_ids - receivables
        # income summed per account: both fee items share the category's income account
        self.assertEqual(len(income), len(income.account_id))
        self.assertAlmostEqual(-sum(income.mapped("balance")), 1222.5)

    def test_rerun_adds_nothing(self):
        first = self.make_run()
        first._run_now()
        lines = self.env["property.bill.line"].search([("estate_id", "=", self.estate_a.id)])
        self.assertEqual(len(lines), 6)
        again = self.make_run()
        again.action_preview()
        self.assertEqual(sum(again.preview_ids.mapped("new_count")), 0)
        again._run_now()
        self.assertEqual(again.state, "done")
        self.assertEqual(
            self.env["property.bill.line"].search_count([("estate_id", "=", self.estate_a.id)]), 6
        )
        self.assertFalse(again.chunk_ids)
        # processing a chunk twice adds nothing either (the first run's: the demo data may hold
        # other runs)
        first.chunk_ids.state = "pending"
        first.chunk_ids._process()
        self.assertEqual(
            self.env["property.bill.line"].search_count([("estate_id", "=", self.estate_a.id)]), 6
        )

    def test_resume_after_interruption(self):
        run = self.make_run(chunk_size=1)
        with trap_jobs() as trap:
            run.action_generate()
            trap.assert_jobs_count(2)
            # the worker dies after the first chunk
            run.chunk_ids[0]._process()
        self.assertEqual(run.state, "running")
        self.assertEqual(run.unit_done, run.chunk_ids[0].unit_count)
        with trap_jobs() as trap:
            run.action_resume()
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(self.env["property.bill"].search_count([("run_id", "=", run.id)]), 2)
        self.assertEqual(len(run.chunk_ids.move_id), 2)

    def test_failed_job_marks_run_failed(self):
        run = self.make_run()
        run.action_generate()  # not trapped: the job is stored
        job = self.env["queue.job"].search([("uuid", "=", run.chunk_ids.job_uuid)])
        self.assertEqual(job.state, "pending")
        job.write({"state": "failed", "exc_message": "could not serialize access"})
        run.action_refresh()
        self.assertEqual((run.state, run.error), ("failed", "could not serialize access"))
        with trap_jobs() as trap:
            run.action_resume()
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")

    def test_partial_scope_then_whole_estate(self):
        """A run finds its remaining work by what has no bill line yet."""
        building_2 = self.env["property.building"].create(
            {"estate_id": self.estate_a.id, "code": "5", "name": "5号楼", "floors_above": 6}
        )
        unit = self.env["property.unit"].create(
            {
                "building_id": building_2.id,
                "floor": 2,
                "number": "0201",
                "gross_area": 50.0,
                "inner_area": 40.0,
            }
        )
        owner = self.env["res.partner"].create({"name": "孙丽"})
        self.env["property.occupancy"].create(
            {
                "unit_id": unit.id,
                "partner_id": owner.id,
                "role": "owner",
                "share": 100,
                "date_start": date(2022, 1, 1),
            }
        )
        self.make_run(building_ids=[(6, 0, building_2.ids)])._run_now()
        self.assertEqual(self.bill_of(owner).amount_total, 275.0)  # 50 × 2.5 + 150
        run = self.make_run()
        self.assertEqual(run._get_remaining_units(), self.unit_a | self.unit_a2 | self.unit_high)
        run._run_now()
        self.assertEqual(len(self.bill_of(owner).line_ids), 2)
        self.assertEqual(len(self.bill_of(self.owner).line_ids), 4)

    def test_taxes_from_fee_item(self):
        tax = self.env["account.tax"].create(
            {
                "name": "增值税 6% (含税)",
                "amount": 6.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        self.fee_parking.taxes_id = tax
        self.make_run()._run_now()
        bill = self.bill_of(self.owner_high)
        parking = bill.line_ids.filtered(lambda x: x.product_id == self.fee_parking)
        # 150 tax included: 141.51 + 8.49
        self.assertEqual(
            (parking.amount_untaxed, parking.amount_tax, parking.amount_total), (141.51, 8.49, 150.0)
        )
        self.assertEqual(bill.amount_total, 400.0)
        move = bill.receivable_line_ids.move_id
        tax_lines = move.line_ids.filtered("tax_repartition_line_id")
        self.assertAlmostEqual(-sum(tax_lines.mapped("balance")), 8.49 * 3)  # 3 parking charges
        self.assertEqual(bill.receivable_line_ids.balance, 400.0)

    def test_charge_lines_stored_as_the_orm_would(self):
        """A run writes its charge lines in one INSERT: every stored value, the related ones
        and the taxes included, is what the ORM computes, and the bills' totals follow."""
        tax = self.env["account.tax"].create(
            {
                "name": "增值税 6%",
                "amount": 6.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_excluded",
            }
        )
        self.fee_parking.taxes_id = tax
        self.rule_area.vacancy_discount = 30
        self.unit_a2.status = "vacant"
        self.make_run()._run_now()
        bills = self.bill_of(self.owner) | self.bill_of(self.owner_high)
        lines = bills.line_ids
        self.assertEqual(len(lines), 6)
        self.assertEqual(lines.filtered(lambda x: x.product_id == self.fee_parking).tax_ids, tax)
        self.assertFalse(lines.filtered(lambda x: x.product_id == self.fee_property).tax_ids)
        parking = lines.filtered(lambda x: x.product_id == self.fee_parking)[:1]
        self.assertEqual(
            (parking.amount_untaxed, parking.amount_tax, parking.amount_total), (150.0, 9.0, 159.0)
        )
        vacant = lines.filtered(lambda x: x.unit_id == self.unit_a2 and x.product_id == self.fee_property)
        self.assertEqual((vacant.quantity, vacant.price_unit, vacant.proration), (120.0, 2.5, 1.0))
        self.assertEqual((vacant.discount, vacant.amount), (30.0, 210.0))  # 120 × 2.5 × 70 %
        self.assertEqual(vacant.create_uid, self.env.user)
        self.assertTrue(vacant.create_date)
        # the stored values, read back from the database, equal what the ORM recomputes
        related = ["partner_id", "estate_id", "company_id", "currency_id", "building_id", "fee_type"]
        self.env.flush_all()
        self.env.invalidate_all()
        stored = {(line.id, fname): line[fname] for line in lines for fname in related}
        bill_totals = {bill.id: (bill.amount_untaxed, bill.amount_tax, bill.amount_total) for bill in bills}
        for fname in related:
            self.env.add_to_compute(lines._fields[fname], lines)
        for fname in ("amount_untaxed", "amount_tax", "amount_total"):
            self.env.add_to_compute(bills._fields[fname], bills)
        self.assertEqual({(line.id, fname): line[fname] for line in lines for fname in related}, stored)
        self.assertEqual(
            {bill.id: (bill.amount_untaxed, bill.amount_tax, bill.amount_total) for bill in bills},
            bill_totals,
        )
        for bill in bills:
            self.assertAlmostEqual(bill.amount_total, sum(bill.line_ids.mapped("amount_total")))
            self.assertAlmostEqual(bill.amount_residual, bill.amount_total)

    def test_run_month_must_start_on_first(self):
        with self.assertRaises(ValidationError):
            self.make_run(month=date(2026, 3, 5))


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestBillingRunQueries(BillingTestCommon):
    """A chunk costs the same number of queries for 2 households as for 12."""

    def make_estate(self, code, size):
        estate = self.env["property.estate"].create({"name": f"小区{code}", "code": code})
        building = self.env["property.building"].create(
            {"estate_id": estate.id, "code": "1", "name": "1号楼", "floors_above": 20}
        )
        units = self.env["property.unit"].create(
            [
                {
                    "building_id": building.id,
                    "floor": 1 + i,
                    "number": f"{i + 1:02d}01",
                    "gross_area": 80.0 + i,
                    "inner_area": 70.0,
                    "status": "occupied",
                }
                for i in range(size)
            ]
        )
        self.make_owners(units, [f"业主{code}{i}" for i in range(size)])
        self.make_rule(estate_id=estate.id, price=2.5)
        self.make_rule(estate_id=estate.id, kind="fixed", price=150.0, product_id=self.fee_parking.id)
        run = self.make_run(estate=estate)
        run._prepare_chunks()
        run.state = "running"
        self.env.flush_all()
        return run

    def queries(self, run):
        before = self.env.cr.sql_log_count
        run.chunk_ids._process()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_households(self):
        self.queries(self.make_estate("W", 3))  # warm the caches
        small = self.queries(self.make_estate("X", 2))
        large = self.queries(self.make_estate("Y", 12))
        self.assertEqual(len(self.env["property.bill"].search([("estate_id.code", "=", "Y")])), 12)
        self.assertLessEqual(large, small + 3, f"{small} queries for 2 households, {large} for 12")
