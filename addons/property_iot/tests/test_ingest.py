from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.property_iot.models.property_iot_reading import PropertyIotReading
from odoo.addons.property_iot.models.property_iot_usage_counter import PropertyIotUsageCounter
from odoo.addons.property_iot.services.bridge import Bridge
from odoo.addons.property_iot.services.ingest import Message

from .common import NOW, IotTestCommon


@tagged("post_install", "-at_install")
class TestIngest(IotTestCommon):
    def test_valid_payloads_stored(self):
        batch = self.ingest(
            self.telemetry(self.temp, {"temperature": 21.5, "humidity": 40}),
            self.message(self.smoke, "event", event="smoke", active=True),
        )
        self.assertEqual(batch.messages, 2)
        self.assertEqual(len(batch.rows), 3)
        readings = self.readings(self.temp)
        self.assertEqual(sorted(readings.mapped("metric")), ["humidity", "temperature"])
        self.assertEqual(readings.filtered(lambda r: r.metric == "temperature").value, 21.5)
        self.assertEqual(set(readings.mapped("ts")), {NOW})
        self.assertEqual(set(readings.mapped("batch_id")), {batch.batch_id})
        event = self.readings(self.smoke)
        self.assertEqual((event.msg_type, event.metric, event.value), ("event", "smoke", 1.0))
        self.assertEqual(self.temp.status, "online")
        self.assertEqual(self.temp.last_seen, NOW)

    def test_invalid_payloads_quarantined(self):
        Quarantine = self.env["property.iot.quarantine"]
        before = Quarantine.search_count([])
        good = self.telemetry(self.temp, {"temperature": 20.0})
        batch = self.ingest(
            Message("property/A/t-temp-1/telemetry", b"{garbage"),
            Message("property/A/no-such-device/telemetry", good.payload),
            Message("property/B/t-temp-1/telemetry", good.payload),
            Message(
                "property/A/t-temp-1/telemetry",
                b'{"ts": "2026-03-10T08:00:00Z", "seq": 1, "values": {"t": "x"}}',
            ),
            Message("weird/topic", b"{}"),
            good,
        )
        self.assertEqual((batch.messages, batch.quarantined, len(batch.rows)), (6, 5, 1))
        reasons = Quarantine.search([], order="id desc", limit=5).mapped("reason")
        self.assertEqual(Quarantine.search_count([]) - before, 5)
        for expected in (
            "payload is not valid JSON",
            "unknown device no-such-device",
            "device t-temp-1 does not belong to estate B",
            "value of t is not a number",
            "topic must be",
        ):
            self.assertTrue(any(expected in r for r in reasons), f"{expected} not in {reasons}")
        quarantined = Quarantine.search([("topic", "=", "property/A/t-temp-1/telemetry")], order="id")
        self.assertEqual(quarantined[0].payload, "{garbage")
        self.assertTrue(quarantined[0].received_at)

    def test_redelivery_is_stored_once(self):
        """A QoS1 message redelivered after a crash (same device, metric and ts) is a no-op:
        not stored twice, and rules do not see it twice."""
        rule = self.env["property.iot.rule"].create(
            {
                "name": "过热",
                "rule_type": "threshold",
                "device_id": self.temp.id,
                "metric": "temperature",
                "operator": "above",
                "threshold": 40,
            }
        )
        message = self.telemetry(self.temp, {"temperature": 55.0})
        first = self.ingest(message)
        again = self.ingest(Message(message.topic, message.payload))
        self.assertEqual(len(first.rows), 1)
        self.assertEqual(again.rows, [], "the redelivered message is not new")
        self.assertEqual(len(self.readings(self.temp)), 1)
        alarm = self.env["property.iot.alarm"].search([("rule_id", "=", rule.id)])
        self.assertEqual(alarm.occurrence_count, 1)

    def test_batching_constant_queries(self):
        """A batch costs the same number of queries for 10 or 400 messages: one insert, not one
        ORM call per message."""
        devices = self.env["property.iot.device"].create(
            [
                {
                    "name": f"传感器 {i}",
                    "identifier": f"t-bulk-{i}",
                    "kind": "temperature_sensor",
                    "estate_id": self.estate_a.id,
                }
                for i in range(40)
            ]
        )
        self.env.flush_all()

        def batch(n, start):
            return [
                self.telemetry(devices[i % 40], {"temperature": 20.0}, ts=start + timedelta(seconds=i))
                for i in range(n)
            ]

        self.ingest(*batch(5, NOW - timedelta(hours=2)))  # warm the device cache
        small, big = batch(10, NOW - timedelta(hours=1)), batch(400, NOW)
        with self.assertQueryCount(__system__=6):
            self.ingest(*small)
        with self.assertQueryCount(__system__=6):
            result = self.ingest(*big)
        self.assertEqual(len(result.rows), 400)
        self.env.cr.execute(
            "SELECT count(*), count(DISTINCT batch_id) FROM property_iot_reading WHERE device_id = ANY(%s)",
            [devices.ids],
        )
        self.assertEqual(self.env.cr.fetchone(), (415, 3))

    def test_status_messages(self):
        self.ingest(self.message(self.controller, "status", status="fault", detail="E31 door lock"))
        self.assertEqual(self.controller.status, "fault")
        fault = self.readings(self.controller, "fault")
        self.assertEqual((fault.msg_type, fault.value), ("event", 1.0))
        # an older message does not overwrite a newer status
        self.ingest(self.telemetry(self.controller, {"vibration": 0.7}, ts=NOW - timedelta(minutes=5)))
        self.assertEqual(self.controller.status, "fault")
        self.assertEqual(self.controller.last_seen, NOW)
        self.ingest(self.message(self.controller, "status", status="online", ts=NOW + timedelta(minutes=1)))
        self.assertEqual(self.controller.status, "online")

    def test_after_ingest_hook_once_per_batch(self):
        calls = []
        original = PropertyIotReading._after_ingest

        def spy(model, batch):
            calls.append(len(batch.rows))
            return original(model, batch)

        with patch.object(PropertyIotReading, "_after_ingest", spy):
            self.ingest(
                *(
                    self.telemetry(self.water, {"volume": 10 + i}, ts=NOW + timedelta(minutes=i))
                    for i in range(5)
                )
            )
        self.assertEqual(calls, [5])

    def test_usage_counters(self):
        calls = []
        original = PropertyIotUsageCounter._on_usage_updated

        def spy(counters):
            calls.append(counters.mapped("counter_type"))
            return original(counters)

        with patch.object(PropertyIotUsageCounter, "_on_usage_updated", spy):
            self.ingest(
                self.telemetry(self.controller, {"running_hours": 1200.5, "cycles": 350000}),
                self.telemetry(
                    self.controller,
                    {"running_hours": 1201.0, "cycles": 350120},
                    ts=NOW + timedelta(minutes=30),
                ),
            )
            self.ingest(self.telemetry(self.controller, {"cycles": 350300}, ts=NOW + timedelta(hours=1)))
        counters = self.env["property.iot.usage.counter"].search([("equipment_id", "=", self.elevator.id)])
        values = {c.counter_type: c.value for c in counters}
        self.assertEqual(values, {"running_hours": 1201.0, "cycles": 350300})
        self.assertEqual(sorted(calls[0]), ["cycles", "running_hours"])
        self.assertEqual(calls[1], ["cycles"])
        self.assertEqual(self.elevator.iot_usage_counter_ids, counters)

    def test_failing_message_quarantined_by_the_fallback(self):
        """When a batch fails as a whole, the bridge stores its messages one by one, each in a
        savepoint, and quarantines the one that still fails with the error as reason."""
        bridge = Bridge(self.env.cr.dbname)
        bridge.processor = self.processor
        good = self.telemetry(self.temp, {"temperature": 21.0})
        poison = self.telemetry(self.controller, {"cycles": 1.0})
        original = PropertyIotUsageCounter._update_from_batch

        def explode(model, batch):
            if any(row[3] == "cycles" for row in batch.rows):
                raise ValueError("counter backend down")
            return original(model, batch)

        with patch.object(PropertyIotUsageCounter, "_update_from_batch", explode):
            quarantined = bridge._store_one_by_one(self.env, [good, poison])
        self.assertEqual(quarantined, 1)
        self.assertEqual(len(self.readings(self.temp)), 1, "the good message is stored")
        self.assertFalse(self.readings(self.controller), "the failing message's rows are rolled back")
        entry = self.env["property.iot.quarantine"].search([("topic", "=", poison.topic)])
        self.assertEqual(entry.reason, "processing error: counter backend down")
