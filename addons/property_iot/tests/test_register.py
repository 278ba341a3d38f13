"""Meter register checks: a register grows, or rolls over at its size; a jump outside the
plausibility band, a rollback and a negative value are held for review and raise an alarm."""

import json
from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import NOW, IotTestCommon


@tagged("post_install", "-at_install")
class TestMeterRegister(IotTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env.ref("property_iot.rule_water_meter_register")
        cls.rule.active = True
        cls.Alarm = cls.env["property.iot.alarm"]

    def volume(self, value, hours=0.0):
        return self.telemetry(self.water, {"volume": value}, ts=NOW + timedelta(hours=hours))

    def ingest(self, *messages, now=None, **kw):
        """The bridge's clock is the time of the newest message: none is in the future."""
        if now is None:
            newest = max(json.loads(m.payload)["ts"] for m in messages)
            now = datetime.fromisoformat(newest.replace("Z", ""))
        return super().ingest(*messages, now=now, **kw)

    def reading(self, hours):
        return self.env["property.iot.reading"].search(
            [
                ("device_id", "=", self.water.id),
                ("metric", "=", "volume"),
                ("ts", "=", NOW + timedelta(hours=hours)),
            ]
        )

    def test_defaults_by_kind(self):
        self.assertEqual(self.water.max_hourly_consumption, 3.0)
        self.assertEqual(self.power.max_hourly_consumption, 30.0)
        self.assertEqual(self.temp.max_hourly_consumption, 0.0)

    def test_water_meter_jump_raises_an_alarm(self):
        """11 m³, then 123 m³ two hours later: 112 m³ where 6 m³ is plausible."""
        self.ingest(self.volume(11.0))
        batch = self.ingest(self.volume(123.0, hours=2))
        self.assertEqual(list(batch.held), [(self.water.id, NOW + timedelta(hours=2))])
        self.assertIn("jumped from 11 to 123", self.reading(2).held_reason)
        self.assertFalse(self.reading(0).held_reason)
        self.assertEqual((self.water.register_value, self.water.register_ts), (11.0, NOW), "not accepted")
        alarm = self.Alarm.search([("device_id", "=", self.water.id), ("rule_id", "=", self.rule.id)])
        self.assertEqual(len(alarm), 1)
        self.assertEqual(
            (alarm.value, alarm.severity, alarm.first_ts), (123.0, "high", NOW + timedelta(hours=2))
        )
        self.assertIn("jumped from 11 to 123", alarm.description)
        # the next values are checked against the accepted 11, not against the jump
        batch = self.ingest(self.volume(11.5, hours=3))
        self.assertFalse(batch.held)
        self.assertEqual(self.water.register_value, 11.5)

    def test_increase_within_band_and_rollover(self):
        self.water.register_size = 100000
        batch = self.ingest(
            self.volume(99998.0),
            self.volume(99999.5, hours=1),
            self.volume(0.7, hours=2),  # rolled over: 99999.5 → 100000 → 0.7 is 1.2 m³
            self.volume(2.0, hours=3),
        )
        self.assertFalse(batch.held)
        self.assertEqual(self.water.register_value, 2.0)
        self.assertFalse(self.Alarm.search([("device_id", "=", self.water.id)]))

    def test_rollback_and_negative_value_are_held(self):
        self.ingest(self.volume(500.0))
        batch = self.ingest(self.volume(480.0, hours=1), self.volume(-3.0, hours=2))
        self.assertEqual(len(batch.held), 2)
        self.assertIn("went back from 500 to 480", self.reading(1).held_reason)
        self.assertIn("Negative register value", self.reading(2).held_reason)
        self.assertEqual(self.water.register_value, 500.0)
        # without a register size, a drop to almost zero is a rollback, not a rollover
        batch = self.ingest(self.volume(0.2, hours=3))
        self.assertTrue(batch.held)
        alarm = self.Alarm.search([("device_id", "=", self.water.id)])
        self.assertEqual(alarm.occurrence_count, 2, "one open alarm counts the repeats")

    def test_rollover_too_large_is_a_rollback(self):
        self.water.register_size = 100000
        self.ingest(self.volume(50000.0))
        batch = self.ingest(self.volume(10.0, hours=1))
        self.assertTrue(batch.held, "wrapping would mean 50,010 m³ in an hour")

    def test_band_is_configurable(self):
        self.water.max_hourly_consumption = 60.0
        self.ingest(self.volume(11.0))
        self.assertFalse(self.ingest(self.volume(123.0, hours=2)).held)
        self.water.max_hourly_consumption = 0.0  # no upper limit
        self.assertFalse(self.ingest(self.volume(100000.0, hours=3)).held)

    def test_band_never_narrower_than_a_quarter_hour(self):
        self.ingest(self.volume(10.0))
        # 0.5 m³ in 10 seconds is plausible: 3 m³/h × 0.25 h = 0.75
        self.assertFalse(self.ingest(self.volume(10.5, hours=10 / 3600)).held)
        self.assertTrue(self.ingest(self.volume(11.5, hours=20 / 3600)).held)

    def test_late_and_repeated_values_are_not_judged(self):
        self.ingest(self.volume(10.0, hours=2))
        batch = self.ingest(self.volume(3.0, hours=1))
        self.assertFalse(batch.held)
        self.assertEqual(self.water.register_value, 10.0)

    def test_accept_register_after_a_meter_replacement(self):
        self.ingest(self.volume(800.0))
        self.ingest(self.volume(1.0, hours=1))
        self.assertEqual(self.water.register_value, 800.0)
        self.water.action_accept_register()
        self.assertEqual((self.water.register_value, self.water.register_ts), (1.0, NOW + timedelta(hours=1)))
        self.assertFalse(self.ingest(self.volume(1.5, hours=2)).held)

    def test_register_rules_only_for_meters(self):
        with self.assertRaises(Exception):  # noqa: B017 - ValidationError
            self.env["property.iot.rule"].create(
                {"name": "x", "rule_type": "register", "device_kind": "temperature_sensor"}
            )
