"""Poisoned payloads, a failing quarantine and redelivered messages: the bridge refuses the bad
message alone, inside its batch, and never dies of it."""

import json
import time
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.property_iot.models.property_iot_quarantine import PropertyIotQuarantine
from odoo.addons.property_iot.services.bridge import Bridge
from odoo.addons.property_iot.services.ingest import Message
from odoo.addons.property_iot.tools import harness

from .common import NOW, IotTestCommon, iso


class FakeClient:
    """Records the acknowledgements the bridge sends."""

    def __init__(self):
        self.acked = []

    def ack(self, mid, qos):
        self.acked.append(mid)

    def ack_many(self, mids):
        self.acked.extend(mids)


def next_message(bridge, timeout=10):
    """The next message the bridge's network thread received (IndexError after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while not bridge.inbox and time.monotonic() < deadline:
        bridge.arrived.wait(0.1)
        bridge.arrived.clear()
    return bridge.inbox.popleft()


@tagged("post_install", "-at_install")
class TestPoisonPayloads(IotTestCommon):
    def poison(self):
        topic = "property/A/t-temp-1/telemetry"
        head = f'{{"ts": "{iso(NOW)}", "seq": 1, '
        return [
            # a NUL byte in the payload: not JSON, and PostgreSQL text refuses it
            (Message(topic, head.encode() + b'"values": {"temperature": 1}}\x00'), "not valid JSON"),
            # a NUL escaped in a JSON string: valid JSON, a str holding NUL
            (Message(topic, (head + '"values": {"temp\\u0000": 1}}').encode()), "invalid metric name"),
            (
                Message(
                    "property/A/t-elev-1/status",
                    (head + '"status": "fault", "detail": "E31\\u0000"}').encode(),
                ),
                "control characters",
            ),
            # a metric name with a trailing newline: ``$`` accepted it and broke the batch's COPY
            (Message(topic, (head + '"values": {"temperature\\n": 21}}').encode()), "invalid metric name"),
            (Message("property/A/t-temp-1\n/telemetry", (head + '"values": {"t": 1}}').encode()), "invalid"),
            # nesting deep enough to make the JSON decoder recurse out of the stack
            (Message(topic, b"[" * 8000 + b"]" * 8000), "nested too deeply"),
            (Message(topic, (head + '"values": ' + '{"a":' * 2000 + "1" + "}" * 2001).encode()), "nested"),
            (Message(topic, b"\xff\xfe\x00\x01"), "not valid JSON"),
            (Message(f"property/A/t-temp-1/{'x' * 5000}\x00", b"{}"), "unknown channel"),
        ]

    def test_poison_refused_one_by_one_inside_the_batch(self):
        """NUL bytes, newlines and deep nesting are each quarantined with their reason; the
        valid messages of the same batch are stored by the batch itself, not by a fallback."""
        poison = self.poison()
        good = [
            self.telemetry(self.temp, {"temperature": 20.0 + i}, ts=NOW.replace(second=i)) for i in range(3)
        ]
        messages = [good[0], *[m for m, _r in poison[:5]], good[1], *[m for m, _r in poison[5:]], good[2]]
        batch = self.ingest(*messages)
        self.assertEqual(batch.quarantined, len(poison))
        self.assertEqual(len(batch.rows), 3, "the valid messages are stored by the batch")
        self.assertEqual(len(self.readings(self.temp)), 3)
        entries = self.env["property.iot.quarantine"].search([], order="id desc", limit=len(poison))
        self.assertEqual(len(entries), len(poison))
        for entry, (_message, reason) in zip(entries.sorted("id"), poison, strict=True):
            self.assertIn(reason, entry.reason)
            self.assertNotIn("\x00", entry.payload + entry.topic + entry.reason)
        nul = entries.sorted("id")[0]
        self.assertTrue(nul.payload.endswith("}}\\x00"), "the NUL byte is kept, escaped")
        self.assertIn("\\xff\\xfe\\x00\\x01", entries.sorted("id")[7].payload)

    def test_quarantine_failure_does_not_fail_the_batch(self):
        """The quarantine's create fails (say, a text PostgreSQL refuses): the batch still
        stores its valid rows, and each refused message is quarantined on its own."""
        original = PropertyIotQuarantine.create
        calls = []

        def flaky(model, vals_list):
            calls.append(len(vals_list))
            if len(calls) == 1:
                raise ValueError("A string literal cannot contain NUL (0x00) characters.")
            return original(model, vals_list)

        bad = [Message("property/A/t-temp-1/telemetry", b"{bad\x00"), Message("weird", b"\x00")]
        good = self.telemetry(self.temp, {"temperature": 22.0})
        with (
            patch.object(PropertyIotQuarantine, "create", flaky),
            self.assertLogs("odoo.addons.property_iot.services.ingest", "ERROR"),
        ):
            batch = self.ingest(bad[0], good, bad[1])
        self.assertEqual(calls, [2, 1, 1], "one create for the batch, then one per message")
        self.assertEqual(len(batch.rows), 1)
        self.assertEqual(len(self.readings(self.temp)), 1)
        self.assertEqual(self.env["property.iot.quarantine"].search_count([("topic", "=", "weird")]), 1)

    def test_quarantine_of_text_failing_falls_back_to_hexadecimal(self):
        original = PropertyIotQuarantine.create

        def refuses_text(model, vals_list):
            if any("\\x00" in vals["payload"] for vals in vals_list):
                raise ValueError("refused")
            return original(model, vals_list)

        message = Message("property/A/t-temp-1/telemetry", b"{\x00}")
        with (
            patch.object(PropertyIotQuarantine, "create", refuses_text),
            self.assertLogs("odoo.addons.property_iot.services.ingest", "ERROR"),
        ):
            self.ingest(message)
        entry = self.env["property.iot.quarantine"].search([], order="id desc", limit=1)
        self.assertEqual(entry.payload, "7b007d", "the payload in hexadecimal")
        self.assertIn("stored in hexadecimal", entry.reason)

    def test_quarantine_failing_entirely_never_raises(self):
        """Nothing can be stored: the message is logged, the worker goes on."""
        message = Message("property/A/t-temp-1/telemetry", b"{\x00}")
        with (
            patch.object(PropertyIotQuarantine, "create", side_effect=ValueError("disk on fire")),
            self.assertLogs("odoo.addons.property_iot.services.ingest", "ERROR") as logs,
        ):
            self.assertFalse(self.processor.quarantine_safely(self.env, message, "test"))
            batch = self.ingest(message, self.telemetry(self.temp, {"temperature": 23.0}))
        self.assertIn("7b007d", "\n".join(logs.output), "the payload is in the log, at least")
        self.assertEqual(len(batch.rows), 1)

    def test_fallback_with_quarantine_failing_never_raises(self):
        """The one-by-one fallback quarantines a failing message safely."""
        bridge = Bridge(self.env.cr.dbname)
        bridge.processor = self.processor
        good = self.telemetry(self.temp, {"temperature": 21.0})
        with (
            patch.object(PropertyIotQuarantine, "create", side_effect=ValueError("quarantine down")),
            self.assertLogs("odoo.addons.property_iot.services.ingest", "ERROR"),
        ):
            quarantined = bridge._store_one_by_one(self.env, [good, Message("weird", b"x")])
        self.assertEqual(quarantined, 0, "the bad message was refused by its batch, not raised")
        self.assertEqual(len(self.readings(self.temp)), 1)


@tagged("post_install", "-at_install")
class TestRedeliveryParking(IotTestCommon):
    def bridge(self, park_after=4):
        bridge = Bridge(self.env.cr.dbname, park_after=park_after)
        bridge.processor = self.processor
        bridge.client = FakeClient()
        return bridge

    def redeliver(self, message):
        return Message(message.topic, message.payload, mid=message.mid + 1, dup=True)

    def test_redeliveries_counted_then_isolated_then_parked(self):
        bridge = self.bridge(park_after=4)
        cr = self.env.cr
        poison = Message("property/A/t-temp-1/telemetry", b"kills the worker", mid=1)
        other = self.telemetry(self.temp, {"temperature": 20.0})
        self.assertEqual(bridge.sort_redeliveries([poison, other], cr=cr), ([poison, other], [], []))
        # second delivery (a restart): stored with its batch, counted
        second = self.redeliver(poison)
        batch, isolated, parked = bridge.sort_redeliveries([second, other], cr=cr)
        self.assertEqual((batch, isolated, parked), ([second, other], [], []))
        self.assertEqual(second.deliveries, 2)
        # third: processed alone, counted just before (by the caller)
        third = self.redeliver(second)
        batch, isolated, parked = bridge.sort_redeliveries([other, third], cr=cr)
        self.assertEqual((batch, isolated, parked), ([other], [third], []))
        self.assertEqual(third.deliveries, 3)
        bridge.count_redeliveries(isolated, cr=cr)
        # fourth: parked, not processed
        fourth = self.redeliver(third)
        batch, isolated, parked = bridge.sort_redeliveries([fourth, other], cr=cr)
        self.assertEqual((batch, isolated, parked), ([other], [], [fourth]))
        with self.assertLogs("odoo.addons.property_iot.services.bridge", "WARNING"):
            bridge.park(parked, cr=cr)
        bridge.ack(parked)
        self.assertEqual(bridge.client.acked, [fourth.mid])
        entry = self.env["property.iot.quarantine"].search([("is_parked", "=", True)])
        self.assertEqual(len(entry), 1)
        self.assertEqual((entry.payload, entry.delivery_count), ("kills the worker", 4))
        self.assertEqual(entry.reason, "parked after 4 deliveries without acknowledgement")

    def test_innocent_messages_of_a_crashing_batch_are_not_parked(self):
        """Messages processed alone are counted one at a time: those after the poison in a
        crashed round are not counted again, so only the poison reaches the parking limit."""
        bridge = self.bridge(park_after=4)
        cr = self.env.cr
        poison = Message("property/A/t-temp-1/telemetry", b"poison", mid=1, dup=True)
        after = Message("property/A/t-temp-1/telemetry", b"innocent", mid=2, dup=True)
        for _round in range(4):
            _batch, isolated, parked = bridge.sort_redeliveries([poison, after], cr=cr)
            if parked:
                break
            if isolated:
                # the worker counts the poison, then dies on it: ``after`` is never reached
                bridge.count_redeliveries(isolated[:1], cr=cr)
        self.assertEqual(parked, [poison])
        self.assertEqual(isolated, [after])
        self.assertLess(after.deliveries, 4)

    def test_parked_message_with_nul_bytes(self):
        bridge = self.bridge()
        message = Message("property/A/t-temp-1/telemetry", b"\x00" * 10, mid=7, dup=True, deliveries=5)
        with self.assertLogs("odoo.addons.property_iot.services.bridge", "WARNING"):
            bridge.park([message], cr=self.env.cr)
        entry = self.env["property.iot.quarantine"].search([("is_parked", "=", True)])
        self.assertEqual(entry.payload, "\\x00" * 10)

    def test_redelivery_by_the_real_broker(self):
        """Mosquitto redelivers an unacknowledged message to the persistent session with the
        DUP flag: the bridge counts it and, at the limit, parks and acknowledges it."""
        broker = harness.Broker()
        self.addCleanup(broker.stop)
        topic = "property/A/t-temp-1/telemetry"
        payload = json.dumps({"ts": iso(NOW), "seq": 1, "values": {"temperature": 20.0}}).encode()
        park_after = 3
        received = []

        def connect():
            bridge = Bridge(
                self.env.cr.dbname, port=broker.port, client_id="test-parking", park_after=park_after
            )
            bridge.processor = self.processor
            bridge.start()
            self.assertTrue(bridge.subscribed.wait(10))
            return bridge

        bridge = connect()
        harness.publish(broker.port, topic, payload)
        deliveries = 0
        for _delivery in range(park_after):
            message = next_message(bridge)
            deliveries += 1
            received.append(message.dup)
            _batch, isolated, parked = bridge.sort_redeliveries([message], cr=self.env.cr)
            if parked:
                with self.assertLogs("odoo.addons.property_iot.services.bridge", "WARNING"):
                    bridge.park(parked, cr=self.env.cr)
                bridge.ack(parked)
                break
            bridge.count_redeliveries(isolated, cr=self.env.cr)
            # the worker "dies" on the message: no acknowledgement, the connection drops
            bridge.client.disconnect()
            bridge.client.loop_stop()
            bridge = connect()
        self.assertEqual(received, [False, True, True])
        self.assertEqual(deliveries, park_after)
        time.sleep(0.5)
        bridge.client.disconnect()
        bridge.client.loop_stop()
        bridge = connect()
        time.sleep(1)
        self.assertFalse(bridge.inbox, "the parked message was acknowledged: not redelivered")
        bridge.client.disconnect()
        bridge.client.loop_stop()
        entry = self.env["property.iot.quarantine"].search([("is_parked", "=", True)])
        self.assertEqual(entry.delivery_count, park_after)
