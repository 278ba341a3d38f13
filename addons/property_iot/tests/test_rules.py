from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from odoo.addons.property_iot.models.property_iot_alarm import PropertyIotAlarm
from odoo.addons.property_iot.models.property_iot_rule import anomaly_score

from .common import NOW, IotTestCommon


@tagged("post_install", "-at_install")
class TestRules(IotTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["property.iot.rule"]
        cls.rule_hot = Rule.create(
            {
                "name": "过热",
                "rule_type": "threshold",
                "device_kind": "temperature_sensor",
                "metric": "temperature",
                "operator": "above",
                "threshold": 45,
                "severity": "high",
            }
        )
        cls.rule_cold = Rule.create(
            {
                "name": "过冷",
                "rule_type": "threshold",
                "device_id": cls.temp.id,
                "metric": "temperature",
                "operator": "below",
                "threshold": 0,
                "auto_resolve": False,
            }
        )

    def alarms(self, rule, device=None):
        domain = [("rule_id", "=", rule.id)] + ([("device_id", "=", device.id)] if device else [])
        return self.env["property.iot.alarm"].search(domain, order="id")

    def series(self, device, metric, values, start=NOW, step=timedelta(minutes=1)):
        return self.ingest(
            *(self.telemetry(device, {metric: v}, ts=start + i * step) for i, v in enumerate(values))
        )

    def test_threshold_dedup_and_resolve(self):
        self.series(self.temp, "temperature", [30, 50, 52])
        alarm = self.alarms(self.rule_hot, self.temp)
        self.assertEqual(len(alarm), 1, "one alarm for the batch, not one per breaching value")
        self.assertEqual((alarm.state, alarm.value, alarm.severity), ("raised", 50.0, "high"))
        self.assertEqual(alarm.first_ts, NOW + timedelta(minutes=1))
        self.assertIn("temperature = 50.0", alarm.description)
        self.assertEqual((alarm.estate_id, alarm.building_id), (self.estate_a, self.building_a))
        # still too hot in the next batch: the open alarm counts it, no second alarm
        self.series(self.temp, "temperature", [56], start=NOW + timedelta(minutes=5))
        self.assertEqual(len(self.alarms(self.rule_hot, self.temp)), 1)
        self.assertEqual((alarm.occurrence_count, alarm.last_value), (2, 56.0))
        self.assertEqual(alarm.last_ts, NOW + timedelta(minutes=5))
        # back to normal: auto-resolved; a new breach raises a new alarm
        self.series(self.temp, "temperature", [25], start=NOW + timedelta(minutes=6))
        self.assertEqual(alarm.state, "resolved")
        self.assertTrue(alarm.resolved_at)
        self.series(self.temp, "temperature", [60], start=NOW + timedelta(minutes=7))
        self.assertEqual(len(self.alarms(self.rule_hot, self.temp)), 2)
        # the rule of the kind applies to the device of estate B too, the device rule does not
        self.series(self.temp_b, "temperature", [-5, 50])
        self.assertEqual(len(self.alarms(self.rule_hot, self.temp_b)), 1)
        self.assertFalse(self.alarms(self.rule_cold, self.temp_b))
        # "below" rule without auto-resolution
        self.series(self.temp, "temperature", [-3, 10], start=NOW + timedelta(minutes=10))
        self.assertEqual(self.alarms(self.rule_cold).state, "raised")

    def test_rate_of_change_uses_stored_history(self):
        rule = self.env["property.iot.rule"].create(
            {
                "name": "升温过快",
                "rule_type": "rate_of_change",
                "device_id": self.temp.id,
                "metric": "temperature",
                "threshold": 2.0,
            }
        )
        self.series(self.temp, "temperature", [20, 21, 22])  # 1 °C/min
        self.assertFalse(self.alarms(rule))
        # next batch: the previous value (22 at NOW+2min) comes from the table: +6 °C in 1 minute
        self.series(self.temp, "temperature", [28], start=NOW + timedelta(minutes=3))
        alarm = self.alarms(rule)
        self.assertEqual(len(alarm), 1)
        self.assertIn("changed by 6.0 per minute", alarm.description)
        # slow again: resolved
        self.series(self.temp, "temperature", [28.5], start=NOW + timedelta(minutes=4))
        self.assertEqual(alarm.state, "resolved")

    def test_anomaly_median_mad(self):
        self.assertIsNone(anomaly_score([1.0, 1.1], 5.0, min_samples=3))
        self.assertAlmostEqual(anomaly_score([1.0, 1.2, 0.8, 1.0, 1.1, 0.9], 1.0, 3), 0.0)
        self.assertGreater(anomaly_score([1.0, 1.2, 0.8, 1.0, 1.1, 0.9], 3.0, 3), 10)
        # a flat series: the floor keeps a tiny wobble from looking infinite
        self.assertAlmostEqual(anomaly_score([2.0] * 10, 2.05, 3, min_deviation=0.1), 0.5)
        rule = self.env["property.iot.rule"].create(
            {
                "name": "振动异常",
                "rule_type": "anomaly",
                "device_kind": "elevator_controller",
                "metric": "vibration",
                "anomaly_window": 30,
                "anomaly_k": 5,
                "anomaly_min_samples": 10,
                "anomaly_min_deviation": 0.05,
            }
        )
        normal = [0.70, 0.72, 0.69, 0.71, 0.73, 0.70, 0.68, 0.71, 0.72, 0.70, 0.69, 0.71]
        self.series(self.controller, "vibration", normal)
        # next batch: one spike among normal values; the baseline comes from the stored history
        self.series(self.controller, "vibration", [0.71, 1.9, 0.70], start=NOW + timedelta(minutes=20))
        alarm = self.alarms(rule)
        self.assertEqual(len(alarm), 1)
        self.assertEqual(alarm.value, 1.9)
        self.assertEqual(alarm.state, "resolved", "the last value is normal again: auto-resolved")
        self.assertIn("robust deviations from its median 0.7", alarm.description)

    def test_smoke_and_leak_events(self):
        Rule = self.env["property.iot.rule"]
        smoke = Rule.create(
            {
                "name": "烟雾",
                "rule_type": "event",
                "device_kind": "smoke_detector",
                "event_name": "smoke",
                "severity": "critical",
            }
        )
        leak = Rule.create(
            {"name": "漏水", "rule_type": "event", "device_kind": "leak_sensor", "event_name": "leak"}
        )
        self.ingest(
            self.message(self.smoke, "event", event="smoke", active=True),
            self.message(self.smoke, "event", event="smoke", active=True, ts=NOW + timedelta(seconds=5)),
            self.message(self.leak, "event", event="leak", active=True),
            self.message(self.leak, "event", event="tamper", active=True),
        )
        self.assertEqual(len(self.alarms(smoke)), 1)
        self.assertEqual(self.alarms(smoke).severity, "critical")
        self.assertEqual(len(self.alarms(leak)), 1)
        self.ingest(
            self.message(self.smoke, "event", event="smoke", active=False, ts=NOW + timedelta(minutes=1))
        )
        self.assertEqual(self.alarms(smoke).state, "resolved")
        self.assertEqual(self.alarms(leak).state, "raised")

    def test_offline_cron(self):
        rule = self.env["property.iot.rule"].create(
            {"name": "离线", "rule_type": "offline", "device_kind": "smoke_detector", "offline_minutes": 30}
        )
        self.ingest(self.message(self.smoke, "event", event="tamper", active=False))
        with freeze_time(NOW + timedelta(minutes=20)):
            self.env["property.iot.device"]._cron_check_offline()
        self.assertFalse(self.alarms(rule, self.smoke))
        with freeze_time(NOW + timedelta(minutes=45)):
            self.env["property.iot.device"]._cron_check_offline()
            self.env["property.iot.device"]._cron_check_offline()
        alarm = self.alarms(rule, self.smoke)
        self.assertEqual(len(alarm), 1, "deduplicated over cron runs")
        self.assertEqual(self.smoke.status, "offline")
        # the device talks again: online, alarm resolved
        self.ingest(
            self.message(self.smoke, "event", event="tamper", active=False, ts=NOW + timedelta(minutes=50))
        )
        self.assertEqual(self.smoke.status, "online")
        self.assertEqual(alarm.state, "resolved")

    def test_offline_cron_ignores_devices_that_never_reported(self):
        """Devices registered but never heard from are not connected yet: no offline alarm
        (and so no work order) for each of them, however long ago they were created."""
        rule = self.env["property.iot.rule"].create(
            {"name": "离线", "rule_type": "offline", "device_kind": "smoke_detector", "offline_minutes": 30}
        )
        self.assertFalse(self.smoke.last_seen)
        with freeze_time(self.smoke.create_date + timedelta(days=30)):
            self.env["property.iot.device"]._cron_check_offline()
        self.assertFalse(self.alarms(rule, self.smoke))
        # once it has reported, silence is an outage again
        self.ingest(self.message(self.smoke, "event", event="tamper", active=False))
        with freeze_time(NOW + timedelta(hours=1)):
            self.env["property.iot.device"]._cron_check_offline()
        self.assertEqual(len(self.alarms(rule, self.smoke)), 1)

    def test_night_consumption(self):
        rule = self.env["property.iot.rule"].create(
            {
                "name": "夜间用水",
                "rule_type": "night_consumption",
                "device_kind": "water_meter",
                "threshold": 0.05,
            }
        )
        # 2026-03-10 02:00-05:00 Asia/Shanghai = 2026-03-09 18:00-21:00 UTC
        start = NOW.replace(day=9, hour=17)
        self.series(
            self.water,
            "volume",
            [100.0, 100.0, 100.05, 100.1, 100.15, 100.2, 100.2],
            start=start,
            step=timedelta(hours=1),
        )
        self.env["property.iot.rule"]._evaluate_night_consumption(day=NOW.date())
        alarm = self.alarms(rule, self.water)
        self.assertEqual(len(alarm), 1)
        self.assertAlmostEqual(alarm.value, 0.15)  # read at 02:00, 03:00, 04:00 and 05:00
        self.assertIn("possible leak", alarm.description)

    def test_on_raised_hook_and_lifecycle(self):
        calls = []
        original = PropertyIotAlarm._on_raised

        def spy(alarms):
            calls.append(alarms)
            return original(alarms)

        with patch.object(PropertyIotAlarm, "_on_raised", spy):
            self.series(self.temp, "temperature", [50, 51])
            self.series(self.temp_b, "temperature", [52])
            self.series(self.temp, "temperature", [53], start=NOW + timedelta(minutes=5))  # deduplicated
        self.assertEqual([len(c) for c in calls], [1, 1], "once per batch, with the new alarms only")
        alarm = calls[0]
        self.assertEqual(alarm.device_id, self.temp)
        alarm.with_user(self.user_technician).action_acknowledge()
        self.assertEqual((alarm.state, alarm.acknowledged_by_id), ("acknowledged", self.user_technician))
        with self.assertRaises(UserError):
            alarm.action_acknowledge()
        alarm.with_user(self.user_technician).action_resolve()
        self.assertEqual((alarm.state, alarm.resolved_by_id), ("resolved", self.user_technician))
        with self.assertRaises(UserError):
            alarm.action_resolve()
