import json
from datetime import datetime

from odoo.tests import BaseCase, tagged

from odoo.addons.property_iot.models.property_iot_rule import EVENT_LABELS
from odoo.addons.property_iot.services import schema

NOW = datetime(2026, 3, 10, 8, 0, 0)
TOPIC = "property/A/t-temp-1/telemetry"


def payload(**kw):
    return json.dumps({"ts": "2026-03-10T16:00:00+08:00", "seq": 7, **kw}).encode()


@tagged("post_install", "-at_install")
class TestSchema(BaseCase):
    def test_valid_messages(self):
        msg = schema.parse(TOPIC, payload(values={"temperature": 21.5, "humidity": 40}), now=NOW)
        self.assertEqual((msg.estate_code, msg.identifier, msg.channel), ("A", "t-temp-1", "telemetry"))
        self.assertEqual(msg.ts, datetime(2026, 3, 10, 8, 0, 0), "converted to naive UTC")
        self.assertEqual(msg.values, {"temperature": 21.5, "humidity": 40.0})
        self.assertEqual(msg.seq, 7)
        event = schema.parse("property/A/t-smoke-1/event", payload(event="smoke", active=False), now=NOW)
        self.assertEqual((event.event, event.active), ("smoke", False))
        status = schema.parse(
            "property/A/t-elev-1/status",
            json.dumps({"ts": "2026-03-10T08:00:00Z", "status": "fault", "detail": "E31"}).encode(),
            now=NOW,
        )
        self.assertEqual((status.status, status.detail, status.seq), ("fault", "E31", None))

    def test_invalid_messages(self):
        cases = [
            ("property/A/t-temp-1", payload(values={"t": 1}), "topic must be"),
            ("other/A/t-temp-1/telemetry", payload(values={"t": 1}), "topic must be"),
            ("property/A/t-temp-1/config", payload(values={"t": 1}), "unknown channel"),
            ("property/A/t temp/telemetry", payload(values={"t": 1}), "invalid estate code or device id"),
            (TOPIC, b"not json", "not valid JSON"),
            (TOPIC, b"\xff\xfe", "not valid JSON"),
            (TOPIC, b"[1, 2]", "must be a JSON object"),
            (TOPIC, json.dumps({"seq": 1, "values": {"t": 1}}).encode(), "ts is required"),
            (TOPIC, payload(values={"t": 1}, extra=1), "unknown keys: extra"),
            (
                TOPIC,
                json.dumps({"ts": "2026-03-10T08:00:00", "seq": 1, "values": {"t": 1}}).encode(),
                "time zone",
            ),
            (TOPIC, json.dumps({"ts": "yesterday", "seq": 1, "values": {"t": 1}}).encode(), "not ISO 8601"),
            (
                TOPIC,
                json.dumps({"ts": "2026-03-11T08:00:00Z", "seq": 1, "values": {"t": 1}}).encode(),
                "future",
            ),
            (
                TOPIC,
                json.dumps({"ts": "2024-01-01T08:00:00Z", "seq": 1, "values": {"t": 1}}).encode(),
                "too old",
            ),
            (
                TOPIC,
                json.dumps({"ts": "2026-03-10T08:00:00Z", "values": {"t": 1}}).encode(),
                "seq is required",
            ),
            (TOPIC, payload(seq=-1, values={"t": 1}), "seq must be"),
            (TOPIC, payload(values={}), "non-empty object"),
            (TOPIC, payload(values={"Temp": 1}), "invalid metric name"),
            (TOPIC, payload(values={"t": "21"}), "not a number"),
            (TOPIC, payload(values={"t": True}), "not a number"),
            (TOPIC, b'{"ts": "2026-03-10T08:00:00Z", "seq": 1, "values": {"t": NaN}}', "not finite"),
            ("property/A/t-smoke-1/event", payload(event="fire"), "unknown event"),
            ("property/A/t-smoke-1/event", payload(event="smoke", active="yes"), "active must be"),
            ("property/A/t-elev-1/status", payload(status="sleepy"), "unknown status"),
            (TOPIC, b"{" + b" " * schema.MAX_PAYLOAD + b"}", "too large"),
        ]
        for topic, body, reason in cases:
            with (
                self.subTest(reason=reason, body=body[:60]),
                self.assertRaisesRegex(schema.SchemaError, reason),
            ):
                schema.parse(topic, body, now=NOW)

    def test_rule_events_are_the_schema_events(self):
        self.assertEqual(tuple(key for key, _label in EVENT_LABELS), schema.EVENTS)
