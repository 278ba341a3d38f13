"""The bridge's paho client with bulk reads and acknowledgements (``services/mqtt_client.py``),
against a real Mosquitto with the project's config: every message arrives whole and once,
whatever the packets' sizes and the MQTT 5 properties the broker forwards, and the bulk
acknowledgement is taken by the broker (a new connection of the session gets nothing again)."""

import threading
import time

from odoo.tests import BaseCase, tagged

from odoo.addons.property_iot.services import mqtt_client
from odoo.addons.property_iot.services.mqtt_client import BulkClient
from odoo.addons.property_iot.tools import harness

try:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties
    from paho.mqtt.subscribeoptions import SubscribeOptions
except ImportError:  # pragma: no cover
    mqtt = None


class Receiver:
    """A BulkClient subscribed with a persistent session and manual acknowledgement."""

    def __init__(self, port, client_id, topic):
        self.messages = []
        self.lock = threading.Lock()
        self.subscribed = threading.Event()
        self.client = BulkClient(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        self.client.on_connect = lambda c, u, f, rc, p: c.subscribe(topic, options=SubscribeOptions(qos=1))
        self.client.on_subscribe = lambda *_args: self.subscribed.set()
        self.client.on_message = self._on_message
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = 300
        properties.ReceiveMaximum = 65535  # as the bridge: else the broker's 100 in flight
        self.client.connect("127.0.0.1", port, clean_start=False, properties=properties)
        self.client.loop_start()

    def _on_message(self, client, userdata, msg):
        with self.lock:
            self.messages.append(msg)

    def wait(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


@tagged("post_install", "-at_install")
class TestBulkClient(BaseCase):
    def setUp(self):
        super().setUp()
        self.broker = harness.Broker()
        self.addCleanup(self.broker.stop)

    def receiver(self, client_id="test-bulk", topic="property/#"):
        receiver = Receiver(self.broker.port, client_id, topic)
        self.addCleanup(receiver.close)
        self.assertTrue(receiver.subscribed.wait(10))
        return receiver

    def test_flood_of_small_and_large_messages(self):
        """Thousands of messages arrive in 64 KiB reads (several per read, one over two reads,
        packets cut anywhere), in order, whole; one acknowledgement write takes them all."""
        receiver = self.receiver()
        count = 5000
        publisher = harness.RawPublisher(self.broker.port, [("A", f"d{i}") for i in range(7)], count)
        publisher.start()
        publisher.join()
        self.assertEqual(publisher.wait_acked(), count)
        big = b"x" * 60000  # more than one read of the bulk client
        harness.publish(self.broker.port, "property/A/big/telemetry", big)
        messages = receiver.wait(count + 1)
        self.assertEqual(len(messages), count + 1)
        self.assertEqual(messages[-1].payload, big)
        self.assertEqual(messages[-1].topic, "property/A/big/telemetry")
        seqs = [int(m.payload.split(b'"seq":')[1].split(b",")[0]) for m in messages[:count]]
        self.assertEqual(seqs, [i // 7 for i in range(count)], "every message once, in order")
        self.assertEqual(messages[8].topic, "property/A/d1/telemetry")
        self.assertEqual({m.qos for m in messages}, {1})
        self.assertEqual(len({m.mid for m in messages[:1000]}), 1000)
        receiver.client.ack_many([m.mid for m in messages])
        time.sleep(0.5)
        receiver.close()
        again = self.receiver()
        time.sleep(1)
        self.assertEqual(again.messages, [], "acknowledged in bulk: nothing redelivered to the session")

    def test_unacknowledged_messages_come_back_with_dup(self):
        receiver = self.receiver()
        for i in range(3):
            harness.publish(self.broker.port, f"property/A/d{i}/telemetry", b"{}")
        first = receiver.wait(3)
        receiver.client.ack_many([first[0].mid])
        time.sleep(0.3)
        receiver.close()
        again = self.receiver()
        messages = again.wait(2)
        self.assertEqual([m.topic for m in messages], ["property/A/d1/telemetry", "property/A/d2/telemetry"])
        self.assertEqual([m.dup for m in messages], [True, True])

    def test_mqtt5_properties_are_skipped(self):
        """The broker forwards the publisher's MQTT 5 properties (user properties, content type,
        expiry): the bulk client skips them and reads topic and payload right."""
        receiver = self.receiver()
        client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        client.connect("127.0.0.1", self.broker.port)
        client.loop_start()
        self.addCleanup(client.loop_stop)
        self.addCleanup(client.disconnect)
        properties = Properties(PacketTypes.PUBLISH)
        properties.UserProperty = [("device", "é" * 200), ("k", "v")] * 20  # a 2-byte length
        properties.ContentType = "application/json"
        properties.MessageExpiryInterval = 600
        payload = b'{"ts": "2026-12-07T10:00:00Z"}'
        client.publish("property/A/p1/telemetry", payload, qos=1, properties=properties).wait_for_publish(10)
        client.publish("property/A/p2/telemetry", b"", qos=0).wait_for_publish(10)
        messages = receiver.wait(2)
        self.assertEqual([(m.topic, m.payload) for m in messages], [
            ("property/A/p1/telemetry", payload),
            ("property/A/p2/telemetry", b""),
        ])  # fmt: skip
        self.assertEqual([m.qos for m in messages], [1, 0])

    def test_bounded_reads_per_loop(self):
        """A flood never keeps the network thread reading: after READS_PER_LOOP socket reads it
        returns (the acknowledgements get written) with the partial packet kept for later."""
        receiver = self.receiver()
        reads = []
        original = mqtt.Client._sock_recv

        def counting(client, bufsize):
            reads.append(bufsize)
            return original(client, bufsize)

        self.patch(mqtt.Client, "_sock_recv", counting)
        per_loop = []
        original_loop_read = BulkClient.loop_read

        def loop_read(client, max_packets=1):
            before = len(reads)
            try:
                return original_loop_read(client, max_packets)
            finally:
                per_loop.append(len(reads) - before)

        self.patch(BulkClient, "loop_read", loop_read)
        self.patch(mqtt_client, "READS_PER_LOOP", 2)
        self.patch(mqtt_client, "READ_SIZE", 1000)
        count = 3000
        publisher = harness.RawPublisher(self.broker.port, [("A", "d")], count)
        publisher.start()
        publisher.join()
        messages = receiver.wait(count)
        self.assertEqual(len(messages), count)
        self.assertEqual(
            [int(m.payload.split(b'"seq":')[1].split(b",")[0]) for m in messages], list(range(count))
        )
        self.assertEqual(max(reads), 1000, "paho's small reads are served from the buffer")
        self.assertLessEqual(max(per_loop), 2)
        self.assertGreater(len(per_loop), 50)
