"""paho-mqtt's client with bulk reads and bulk acknowledgements, for the bridge.

Why: on a 2-core machine the bridge's paho network thread cost as much CPU per message as the
whole ingest (validation, COPY, rules). paho 2.2 reads one packet per ``select()`` when no
QoS2 message is in flight, with three ``recv`` calls per packet (command byte, length bytes,
body), and sends each PUBACK with two system calls (a wake-up byte for its loop, then the
4-byte packet). This subclass:

- reads the socket 64 KiB at a time into a buffer and serves paho's small reads from it;
- reads every packet already received in one ``loop_read`` (up to a bounded number of socket
  reads, so that the acknowledgements get written between floods), and never leaves bytes in
  the buffer when it returns (``select()`` would not see them);
- acknowledges a list of QoS1 messages with one queued write (:meth:`ack_many`);
- decodes a QoS0/QoS1 PUBLISH without its MQTT 5 properties (paho builds a ``Properties``
  object for each message; the bridge reads none) and hands it straight to ``on_message`` (the
  bridge registers no per-topic callback; paho decodes each topic and walks its empty filter
  tree first). QoS2 and MQTT 3 messages go through paho's own code.

It overrides private methods of paho, whose version is pinned (``paho-mqtt==2.2.0`` in
requirements.txt); ``tests/test_bridge_e2e.py`` runs it against a real broker. Everything
else (connection, session, keepalive, TLS, reconnection) is paho's.
"""

import struct
import time

try:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import MQTTErrorCode
    from paho.mqtt.exception import MalformedPacket
except ImportError:  # pragma: no cover - declared in external_dependencies
    mqtt = None

READ_SIZE = 65536
# socket reads per loop_read at most (~10,000 small messages): then paho writes the queued
# acknowledgements and comes back to read
READS_PER_LOOP = 16
PUBACK = 0x40


if mqtt is not None:

    class BulkClient(mqtt.Client):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._read_sock = None
            self._read_buffer = b""
            self._read_pos = 0
            self._read_budget = 0

        def _buffered(self):
            return self._read_sock is self._sock and self._read_pos < len(self._read_buffer)

        def _sock_recv(self, bufsize):
            if self._read_sock is not self._sock:
                # another connection (or none): nothing buffered belongs to it
                self._read_sock, self._read_buffer, self._read_pos = self._sock, b"", 0
            buffer, pos = self._read_buffer, self._read_pos
            if pos >= len(buffer):
                if self._read_budget <= 0:
                    raise BlockingIOError()  # paho keeps the partial packet for the next read
                self._read_budget -= 1
                buffer = super()._sock_recv(max(bufsize, READ_SIZE))
                if not buffer:
                    return buffer  # connection closed by the broker
                self._read_buffer, pos = buffer, 0
            chunk = buffer[pos : pos + bufsize]
            self._read_pos = pos + len(chunk)
            return chunk

        def loop_read(self, max_packets=1):
            if self._sock is None:
                return MQTTErrorCode.MQTT_ERR_NO_CONN
            self._read_budget = READS_PER_LOOP
            try:
                while True:
                    if self._sock is None:
                        return MQTTErrorCode.MQTT_ERR_NO_CONN
                    rc = self._packet_read()
                    if rc > 0:
                        return self._loop_rc_handle(rc)
                    if rc == MQTTErrorCode.MQTT_ERR_AGAIN and not self._buffered():
                        return MQTTErrorCode.MQTT_ERR_SUCCESS
            finally:
                self._read_budget = 0

        def _handle_publish(self):
            header = self._in_packet["command"]
            qos = (header & 0x06) >> 1
            if qos > 1 or self._protocol != mqtt.MQTTv5:
                return super()._handle_publish()
            packet = self._in_packet["packet"]
            try:
                pos = 2 + ((packet[0] << 8) | packet[1])
                topic = bytes(packet[2:pos])
                mid = 0
                if qos:
                    mid = (packet[pos] << 8) | packet[pos + 1]
                    pos += 2
                # the properties: their length (a variable byte integer), then skipped
                length, shift = 0, 0
                while True:
                    byte = packet[pos]
                    pos += 1
                    length |= (byte & 0x7F) << shift
                    if not byte & 0x80:
                        break
                    shift += 7
                    if shift > 21:
                        raise MalformedPacket("malformed property length")
                pos += length
                if pos > len(packet):
                    raise MalformedPacket("properties longer than the packet")
            except IndexError as e:
                raise MalformedPacket("truncated PUBLISH") from e
            message = mqtt.MQTTMessage(mid, topic)
            message.dup = bool(header & 0x08)
            message.qos = qos
            message.retain = bool(header & 0x01)
            message.properties = None
            message.payload = bytes(packet[pos:])
            message.timestamp = time.monotonic()
            self._handle_on_message(message)
            if qos and not self._manual_ack:
                return self._send_puback(mid)
            return MQTTErrorCode.MQTT_ERR_SUCCESS

        def _handle_on_message(self, message):
            on_message = self.on_message
            if on_message is None:
                return
            with self._in_callback_mutex:
                try:
                    on_message(self, self._userdata, message)
                except Exception as err:
                    self._easy_log(mqtt.MQTT_LOG_ERR, "Caught exception in on_message: %s", err)
                    if not self.suppress_exceptions:
                        raise

        def ack_many(self, mids):
            """Acknowledge (PUBACK) these QoS1 packet ids in one write."""
            if not mids:
                return MQTTErrorCode.MQTT_ERR_SUCCESS
            packet = b"".join(struct.pack("!BBH", PUBACK, 2, mid) for mid in mids)
            return self._packet_queue(PUBACK, packet, 0, 0)

else:  # pragma: no cover
    BulkClient = None
