"""Run the real thing for tests and benchmarks: a Mosquitto broker, the bridge as a process,
publishers. No Odoo import here: the end-to-end test and ``bench/iot_ingest.py`` share it.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent
REPO = ADDON.parent.parent
BROKER_CONF = REPO / "docker" / "mosquitto" / "mosquitto.conf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1 (openssl): (certfile, keyfile)."""
    cert, key = Path(directory) / "server.crt", Path(directory) / "server.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_config(conf_text, directory, port, tls_port):
    """The project's broker config (``docker/mosquitto/mosquitto.conf``) for a test: same
    queue limits, persistence and listeners, on free local ports, with the files in
    ``directory`` and no authentication (tests and benchmarks publish as anonymous clients)."""
    cert, key = make_certificate(directory)
    replacements = {
        "listener 1883": f"listener {port} 127.0.0.1",
        "listener 8883": f"listener {tls_port} 127.0.0.1",
        "persistence_location": f"persistence_location {directory}/",
        "certfile": f"certfile {cert}",
        "keyfile": f"keyfile {key}",
        "allow_anonymous": "allow_anonymous true",
        "password_file": None,
        "acl_file": None,
        "log_dest": "log_dest stderr",
    }
    lines = []
    for line in conf_text.splitlines():
        option = next((k for k in replacements if line == k or line.startswith(k + " ")), None)
        if option is None:
            lines.append(line)
        elif replacements[option] is not None:
            lines.append(replacements[option])
    if os.geteuid() == 0:
        lines.append("user root")  # else mosquitto drops to a "mosquitto" user that cannot write here
    return "\n".join(lines) + "\n"


class Broker:
    """``mosquitto -c <the project's config on free ports>``: plain MQTT on ``port``, TLS on
    ``tls_port`` (``cafile``: the self-signed certificate to trust)."""

    def __init__(self, conf=BROKER_CONF):
        self.port, self.tls_port = free_port(), free_port()
        self.dir = tempfile.mkdtemp(prefix="iot-broker-")
        self.conf = Path(self.dir) / "mosquitto.conf"
        self.conf.write_text(test_config(Path(conf).read_text(), self.dir, self.port, self.tls_port))
        self.cafile = str(Path(self.dir) / "server.crt")
        self.log_path = Path(self.dir) / "mosquitto.log"
        self.process = None
        self.start()

    def start(self):
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(["mosquitto", "-c", str(self.conf)], stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"mosquitto did not start: see {self.log_path}")

    def stop(self):
        """SIGTERM: mosquitto saves its persistence file and exits."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()

    def restart(self):
        self.stop()
        return self.start()


class BridgeProcess:
    """``odoo-bin --addons-path=… iot_bridge -c <conf> -d <db> …`` as a child process."""

    def __init__(
        self, odoo_bin, conf, db, *, port, client_id, addons_path, extra=(), log_path=None, python=None
    ):
        self.args = [
            python or sys.executable,
            str(odoo_bin),
            f"--addons-path={addons_path}",
            "iot_bridge",
            "-c",
            str(conf),
            "-d",
            db,
            "--mqtt-host",
            "127.0.0.1",
            "--mqtt-port",
            str(port),
            "--client-id",
            client_id,
            "--log-level=info",
            "--logfile=",
            *extra,
        ]
        self.log_path = log_path or tempfile.mktemp(prefix="iot-bridge-", suffix=".log")
        self.process = None

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(self.args, stdout=log, stderr=log, start_new_session=True)
        log.close()
        return self

    def kill(self):
        """SIGKILL the bridge and its workers: no cleanup, no last batch, no disconnect."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout=30):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def wait_subscribed(self, timeout=120, workers=1):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bridge exited: see {self.log_path}")
            text = Path(self.log_path).read_text(errors="replace")
            if (
                text.count("subscribed to") >= self.subscriptions_before + workers
                and "Registry loaded" in text
            ):
                return
            time.sleep(0.1)
        raise RuntimeError(f"bridge did not subscribe: see {self.log_path}")

    @property
    def subscriptions_before(self):
        return getattr(self, "_subscriptions_before", 0)

    def mark(self):
        """Remember how many subscriptions the log holds, before a restart."""
        path = Path(self.log_path)
        self._subscriptions_before = (
            path.read_text(errors="replace").count("subscribed to") if path.exists() else 0
        )
        return self


def publish(port, topic, payload, *, qos=1, timeout=10, cafile=None):
    """Publish one message and wait for the broker's acknowledgement (over TLS, trusting
    ``cafile``, when given)."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    if cafile:
        client.tls_set(ca_certs=cafile)
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        client.publish(topic, payload, qos=qos).wait_for_publish(timeout)
    finally:
        client.disconnect()
        client.loop_stop()


def iso_now():
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Publisher(threading.Thread):
    """Publishes ``count`` QoS1 telemetry messages round-robin over ``devices``
    [(estate_code, identifier)], at most ``rate`` a second (0: as fast as it can). The payload's
    ``ts`` is the publish time. ``acked`` counts the PUBACKs of the broker."""

    def __init__(
        self, port, devices, count, *, rate=0, metric="temperature", value=None, client_id=None, start_seq=0
    ):
        super().__init__(daemon=True)
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        self.devices, self.count, self.rate, self.metric = devices, count, rate, metric
        self.value = value or (lambda seq: 21.0 + (seq % 10) * 0.0001)
        self.start_seq = start_seq
        self.acked = 0
        self.published = 0
        self._lock = threading.Lock()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id or f"pub-{id(self)}", protocol=mqtt.MQTTv5
        )
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)
        self.client.on_publish = self._on_publish
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def _on_publish(self, client, userdata, mid, reason_code, properties):
        with self._lock:
            self.acked += 1

    def run(self):
        started = time.monotonic()
        n_devices = len(self.devices)
        for i in range(self.count):
            if self.rate:
                delay = started + i / self.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            estate, identifier = self.devices[i % n_devices]
            seq = self.start_seq + i // n_devices
            payload = '{"ts":"%s","seq":%d,"values":{"%s":%.4f}}' % (  # noqa: UP031 - hot loop
                iso_now(),
                seq,
                self.metric,
                self.value(seq),
            )
            self.client.publish(f"property/{estate}/{identifier}/telemetry", payload, qos=1)
            self.published += 1

    def wait_acked(self, timeout=120):
        deadline = time.monotonic() + timeout
        while self.acked < self.published and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.acked

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


def _remaining_length(n):
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


class RawPublisher(threading.Thread):
    """A load generator: MQTT 3.1.1 QoS1 PUBLISH packets written straight to a socket.

    paho's ``publish`` costs ~200 µs of Python per message, which caps one process far below
    the bridge's capacity on a small machine; the bridge under test still is paho. Same
    behaviour as :class:`Publisher`: ``ts`` is the publish time, ``acked`` counts PUBACKs."""

    WINDOW = 20000  # unacknowledged messages at most (packet ids are 16 bits)

    def __init__(
        self, port, devices, count, *, rate=0, metric="temperature", value=None, client_id=None, start_seq=0
    ):
        super().__init__(daemon=True)
        self.devices, self.count, self.rate, self.metric = devices, count, rate, metric
        self.value = value or (lambda seq: 21.0 + (seq % 10) * 0.0001)
        self.start_seq = start_seq
        self.published = self.acked = 0
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        cid = (client_id or f"raw-{id(self)}").encode()
        body = b"\x00\x04MQTT\x04\x02\x00\x00" + len(cid).to_bytes(2, "big") + cid
        self.sock.sendall(b"\x10" + _remaining_length(len(body)) + body)
        connack = self.sock.recv(4)
        if connack[:1] != b"\x20" or connack[3:4] != b"\x00":
            raise RuntimeError(f"CONNACK refused: {connack!r}")
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        buffer = b""
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            buffer += data
            i, n = 0, len(buffer)
            while n - i >= 4 and buffer[i] == 0x40:
                i += 4
            self.acked += i // 4
            buffer = buffer[i:]

    def run(self):
        started = time.monotonic()
        n_devices = len(self.devices)
        topics = [f"property/{e}/{d}/telemetry".encode() for e, d in self.devices]
        chunk = []
        for i in range(self.count):
            if self.rate and i % 50 == 0:
                delay = started + i / self.rate - time.monotonic()
                if delay > 0:
                    if chunk:
                        self.sock.sendall(b"".join(chunk))
                        chunk = []
                    time.sleep(delay)
            while self.published - self.acked >= self.WINDOW:
                time.sleep(0.001)
            topic = topics[i % n_devices]
            seq = self.start_seq + i // n_devices
            payload = b'{"ts":"%s","seq":%d,"values":{"%s":%.4f}}' % (
                iso_now().encode(),
                seq,
                self.metric.encode(),
                self.value(seq),
            )
            packet_id = (i % 65535) + 1
            variable = len(topic).to_bytes(2, "big") + topic + packet_id.to_bytes(2, "big")
            chunk.append(b"\x32" + _remaining_length(len(variable) + len(payload)) + variable + payload)
            self.published += 1
            if len(chunk) >= 50:
                self.sock.sendall(b"".join(chunk))
                chunk = []
        if chunk:
            self.sock.sendall(b"".join(chunk))

    def wait_acked(self, timeout=120):
        deadline = time.monotonic() + timeout
        while self.acked < self.published and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.acked

    def close(self):
        try:
            self.sock.sendall(b"\xe0\x00")  # DISCONNECT
        finally:
            self.sock.close()
