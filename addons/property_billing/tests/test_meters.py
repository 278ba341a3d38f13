import base64
import io
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import BillingTestCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-04-02")
class TestMeters(BillingTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meter = cls.env["property.meter"].create(
            {"name": "W-0502", "unit_id": cls.unit_a.id, "meter_type": "water", "rollover_value": 10000.0}
        )
        cls.Reading = cls.env["property.meter.reading"]

    def add_reading(self, day, value, meter=None, **vals):
        return self.Reading.create(
            {"meter_id": (meter or self.meter).id, "date": day, "value": value, **vals}
        )

    def test_consumption_and_multiplier(self):
        first = self.add_reading(date(2026, 1, 31), 500.0)
        second = self.add_reading(date(2026, 2, 28), 512.5)
        self.assertEqual((first.consumption, first.state), (0.0, "valid"))
        self.assertEqual((second.previous_value, second.consumption, second.state), (500.0, 12.5, "valid"))
        electricity = self.env["property.meter"].create(
            {"name": "E-0502", "unit_id": self.unit_a.id, "meter_type": "electricity", "multiplier": 40.0}
        )
        self.add_reading(date(2026, 1, 31), 10.0, electricity)
        self.assertEqual(self.add_reading(date(2026, 2, 28), 12.5, electricity).consumption, 100.0)

    def test_rollover(self):
        self.add_reading(date(2026, 1, 31), 9990.0)
        wrapped = self.add_reading(date(2026, 2, 28), 15.0)
        self.assertEqual(wrapped.consumption, 25.0)
        self.assertTrue(wrapped.is_rollover)
        self.assertEqual(wrapped.state, "valid")

    def test_negative_is_reviewed_not_billed(self):
        self.add_reading(date(2026, 1, 31), 500.0)
        wrong = self.add_reading(date(2026, 2, 28), 480.0)
        self.assertEqual((wrong.consumption, wrong.state), (-20.0, "to_review"))
        with self.assertRaises(UserError):
            wrong.action_approve()

    def test_implausible_consumption_needs_approval(self):
        self.make_rule(
            kind="metered",
            meter_type="water",
            product_id=self.fee_water.id,
            tier_ids=[Command.create({"up_to": 0, "price": 3.0})],
        )
        value = 100.0
        for month in range(1, 6):
            value += 10.0
            self.add_reading(date(2025, month, 28), value)
        huge = self.add_reading(date(2026, 2, 28), value + 150.0)
        self.assertEqual(huge.state, "to_review")
        self.assertIn("150", huge.review_reason)
        # earlier readings are billed, the reviewed one is not
        run = self.make_run(date(2026, 2, 1))
        run._run_now()
        line = self.bill_of(self.owner, date(2026, 2, 1)).line_ids.filtered(
            lambda x: x.product_id == self.fee_water
        )
        self.assertEqual(line.quantity, 40.0)  # 4 × 10 after the first (baseline) reading
        self.assertFalse(huge.bill_line_id)
        # approved, it is billed in the next run
        huge.action_approve()
        self.make_run(date(2026, 3, 1))._run_now()
        line = self.bill_of(self.owner, date(2026, 3, 1)).line_ids.filtered(
            lambda x: x.product_id == self.fee_water
        )
        self.assertEqual((line.quantity, line.amount), (150.0, 450.0))
        self.assertEqual(huge.bill_line_id, line)
        with self.assertRaises(UserError):
            huge.value = 1.0

    def test_meter_replacement(self):
        self.add_reading(date(2026, 1, 31), 800.0)
        new_meter = self.meter.action_replace(date(2026, 2, 15), 806.0, "W-0502-B", start_value=3.0)
        final = self.Reading.search([("meter_id", "=", self.meter.id), ("is_final", "=", True)])
        self.assertEqual(final.consumption, 6.0)
        self.assertFalse(self.meter.active)
        self.assertEqual(self.meter.replaced_by_id, new_meter)
        start = new_meter.reading_ids
        self.assertEqual((start.is_replacement_start, start.consumption), (True, 0.0))
        self.assertEqual(self.add_reading(date(2026, 2, 28), 9.0, new_meter).consumption, 6.0)

    def test_import_readings_is_idempotent(self):
        vals = [
            {"meter_name": "W-0502", "date": "2026-01-31", "value": 10, "source": "iot"},
            {"meter_name": "W-0502", "date": "2026-02-28", "value": 25, "source": "iot"},
        ]
        readings = self.Reading._import_readings(vals)
        self.assertEqual(len(readings), 2)
        self.assertEqual(readings.sorted("date")[-1].consumption, 15.0)
        self.assertEqual(set(readings.mapped("source")), {"iot"})
        self.assertFalse(self.Reading._import_readings(vals))
        with self.assertRaises(UserError):
            self.Reading._import_readings([{"meter_name": "NOPE", "date": "2026-02-28", "value": 1}])

    def test_excel_import_wizard(self):
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["表号", "日期", "读数"])
        sheet.append(["W-0502", date(2026, 1, 31), 100])
        sheet.append(["W-0502", date(2026, 2, 28), 112])
        buffer = io.BytesIO()
        book.save(buffer)
        wizard = self.env["property.meter.import.wizard"].create(
            {"file": base64.b64encode(buffer.getvalue())}
        )
        wizard.action_import()
        self.assertEqual(wizard.reading_count, 2)
        self.assertEqual(self.meter.reading_ids.sorted("date").mapped("consumption"), [0.0, 12.0])
