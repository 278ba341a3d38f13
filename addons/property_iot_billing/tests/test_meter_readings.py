from datetime import date, timedelta
from types import SimpleNamespace

from odoo.tests import freeze_time, tagged

from odoo.addons.property_iot.services.ingest import IngestBatch
from odoo.addons.property_iot.tests.common import NOW

from .common import DAY, IotBillingCommon


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestMeterReadings(IotBillingCommon):
    def test_register_value_becomes_daily_billing_reading(self):
        self.ingest(
            self.telemetry(self.water, {"volume": 100.0, "flow": 0.2}, ts=DAY + timedelta(hours=1)),
            self.telemetry(self.water, {"volume": 100.5}, ts=DAY + timedelta(hours=6)),
        )
        reading = self.billing_readings(self.water_meter)
        self.assertEqual(len(reading), 1)
        self.assertEqual(reading.value, 100.5, "the last value of the day")
        self.assertEqual(reading.date, date(2026, 3, 5))
        self.assertEqual(reading.source, "iot")
        self.assertEqual(reading.iot_ts, DAY + timedelta(hours=6))
        self.assertEqual(self.water.billing_meter_id, self.water_meter)
        # later the same local day (23:00 in Shanghai): the day's reading takes the later value
        self.ingest(self.telemetry(self.water, {"volume": 100.8}, ts=DAY + timedelta(hours=15)))
        # an older value arriving late does not replace it
        self.ingest(self.telemetry(self.water, {"volume": 100.7}, ts=DAY + timedelta(hours=14)))
        self.assertEqual(reading.value, 100.8)
        # 01:00 in Shanghai is the next day
        self.ingest(self.telemetry(self.water, {"volume": 101.0}, ts=DAY + timedelta(hours=17)))
        readings = self.billing_readings(self.water_meter)
        self.assertEqual(readings.mapped("date"), [date(2026, 3, 5), date(2026, 3, 6)])
        self.assertEqual(readings.mapped("value"), [100.8, 101.0])
        self.assertAlmostEqual(readings[1].consumption, 0.2)

    def test_reingest_creates_no_duplicate(self):
        messages = [
            self.telemetry(self.water, {"volume": 50.0}, ts=DAY + timedelta(hours=2)),
            self.telemetry(self.water, {"volume": 51.0}, ts=DAY + timedelta(days=1, hours=2)),
        ]
        batch = self.ingest(*messages)
        self.assertEqual(len(self.billing_readings(self.water_meter)), 2)
        # a QoS1 redelivery: the readings are already stored, the batch has no new rows
        self.ingest(*messages)
        # the hook replayed on the same rows changes nothing either
        self.env["property.iot.reading"]._after_ingest(IngestBatch(batch_id=0, rows=list(batch.rows)))
        readings = self.billing_readings(self.water_meter)
        self.assertEqual(readings.mapped("value"), [50.0, 51.0])
        self.assertEqual(self.Reading.search_count([("source", "=", "iot")]), 2)

    def test_implausible_reading_is_flagged_by_billing_rules(self):
        values = [10.0, 11.0, 12.0, 13.0, 14.0, 60.0]
        self.ingest(
            *[
                self.telemetry(self.water, {"volume": value}, ts=DAY + timedelta(days=i - 5, hours=4))
                for i, value in enumerate(values)
            ]
        )
        readings = self.billing_readings(self.water_meter)
        self.assertEqual(readings.mapped("value"), values)
        self.assertEqual(readings[:-1].mapped("state"), ["valid"] * 5)
        self.assertEqual(readings[-1].state, "to_review")
        self.assertAlmostEqual(readings[-1].consumption, 46.0)
        self.assertTrue(readings[-1].review_reason)

    def test_manual_reading_of_the_day_wins(self):
        self.Reading.create({"meter_id": self.water_meter.id, "date": date(2026, 3, 5), "value": 99.0})
        self.ingest(self.telemetry(self.water, {"volume": 100.0}, ts=DAY + timedelta(hours=3)))
        reading = self.billing_readings(self.water_meter)
        self.assertEqual((reading.value, reading.source), (99.0, "manual"))

    def test_meter_link_only_when_unambiguous(self):
        self.ingest(self.telemetry(self.power, {"energy": 1200.0}, ts=DAY + timedelta(hours=3)))
        self.assertFalse(self.power.billing_meter_id, "two electricity meters on the unit: no guess")
        self.assertFalse(self.Reading.search([("meter_id", "in", self.power_meters.ids)]))
        # one of them replaced and archived: the remaining one is linked at the next batch
        self.power_meters[1].active = False
        self.ingest(self.telemetry(self.power, {"energy": 1210.0}, ts=DAY + timedelta(hours=4)))
        self.assertEqual(self.power.billing_meter_id, self.power_meters[0])
        reading = self.billing_readings(self.power_meters[0])
        self.assertEqual((reading.value, reading.source), (1210.0, "iot"))
        # a device created on a unit with a single meter is linked at once
        device = self.env["property.iot.device"].create(
            {
                "name": "0503 水表",
                "identifier": "t-wm-2",
                "kind": "water_meter",
                "estate_id": self.estate_a.id,
                "unit_id": self.unit_a2.id,
            }
        )
        self.assertFalse(device.billing_meter_id)
        meter = self.env["property.meter"].create(
            {"name": "SB-0503", "unit_id": self.unit_a2.id, "meter_type": "water"}
        )
        other = self.env["property.iot.device"].create(
            {
                "name": "0503 水表 2",
                "identifier": "t-wm-3",
                "kind": "water_meter",
                "estate_id": self.estate_a.id,
                "unit_id": self.unit_a2.id,
            }
        )
        self.assertEqual(other.billing_meter_id, meter)

    def test_held_register_values_are_never_billed(self):
        """A device sets the day's reading to 99,999 and then to 0.25: both are held for
        review, the day's reading waits for review, is not billed, and is not the base of the
        next day's consumption."""
        unit_rules = {self.unit_a.id: [(SimpleNamespace(kind="metered", meter_type="water"), None)]}
        Rule = self.env["property.billing.rule"]
        # the day before (20:00 in Shanghai)
        self.ingest(self.telemetry(self.water, {"volume": 1234.0}, ts=DAY - timedelta(hours=12)))
        batch = self.ingest(
            self.telemetry(self.water, {"volume": 99999.0}, ts=DAY + timedelta(hours=2)),
            self.telemetry(self.water, {"volume": 0.25}, ts=DAY + timedelta(hours=3)),
        )
        self.assertEqual(len(batch.held), 2)
        first, day = self.billing_readings(self.water_meter)
        self.assertEqual((first.state, first.value), ("valid", 1234.0))
        self.assertEqual(day.value, 0.25, "the day's latest value, held")
        self.assertEqual(day.state, "to_review")
        self.assertIn("went back from 1234 to 0.25", day.review_reason)
        self.assertEqual(day.iot_hold_reason, day.review_reason)
        consumption = Rule._get_metered_consumption(self.unit_a, unit_rules, date(2026, 3, 31))
        self.assertEqual(consumption[(self.unit_a.id, "water")]["reading_ids"], first.ids, "never billed")
        # the next day: compared with the accepted 1234, not with the held 0.25
        self.ingest(self.telemetry(self.water, {"volume": 1235.5}, ts=DAY + timedelta(days=1, hours=2)))
        nxt = self.billing_readings(self.water_meter)[-1]
        self.assertEqual((nxt.state, nxt.consumption, nxt.previous_value), ("valid", 1.5, 1234.0))
        consumption = Rule._get_metered_consumption(self.unit_a, unit_rules, date(2026, 3, 31))
        self.assertEqual(consumption[(self.unit_a.id, "water")]["consumption"], 1.5)

    def test_accepted_value_of_the_day_replaces_a_held_one(self):
        self.ingest(self.telemetry(self.water, {"volume": 100.0}, ts=DAY - timedelta(hours=12)))
        self.ingest(self.telemetry(self.water, {"volume": 5000.0}, ts=DAY + timedelta(hours=1)))
        reading = self.billing_readings(self.water_meter)[-1]
        self.assertEqual((reading.value, reading.state), (5000.0, "to_review"))
        self.ingest(self.telemetry(self.water, {"volume": 101.0}, ts=DAY + timedelta(hours=5)))
        self.assertEqual((reading.value, reading.state, reading.iot_hold_reason), (101.0, "valid", False))
        # and a held value never replaces an accepted one
        self.ingest(self.telemetry(self.water, {"volume": 9000.0}, ts=DAY + timedelta(hours=6)))
        self.assertEqual((reading.value, reading.state), (101.0, "valid"))

    def test_approving_a_held_reading_accepts_the_register(self):
        self.ingest(self.telemetry(self.water, {"volume": 100.0}, ts=DAY - timedelta(hours=12)))
        self.ingest(self.telemetry(self.water, {"volume": 180.0}, ts=DAY + timedelta(hours=1)))
        reading = self.billing_readings(self.water_meter)[-1]
        self.assertEqual(reading.state, "to_review")
        reading.action_approve()
        self.assertEqual((reading.state, reading.iot_hold_reason), ("valid", False))
        self.assertEqual(self.water.register_value, 180.0, "the meter's register moved to the approved value")
        self.ingest(self.telemetry(self.water, {"volume": 180.5}, ts=DAY + timedelta(hours=2)))
        self.assertEqual((reading.value, reading.state), (180.5, "valid"))
