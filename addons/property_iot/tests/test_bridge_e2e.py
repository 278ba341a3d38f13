"""The bridge as it runs in production: ``odoo-bin iot_bridge`` as a process, a real Mosquitto
with the project's broker config (``docker/mosquitto/mosquitto.conf`` on free ports: queue
limits, persistence, TLS listener), QoS1 publishers; killed with SIGKILL under load.

The bridge process sees only committed data, so this test cannot live in a rolled-back test
transaction: it commits its own estate and devices through a separate connection, uses its own
topics, and deletes everything it committed at the end."""

import json
import time
import uuid
from pathlib import Path

from psycopg2 import sql as psql

import odoo
from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import config

from odoo.addons.property_iot.tools import harness


def _purge(cr, table, ids, seen=None):
    """Delete rows ``ids`` of ``table`` and, first, every row that references them through a
    foreign key that PostgreSQL would not cascade or null itself (depth first)."""
    seen = seen if seen is not None else set()
    if not ids or (table, tuple(sorted(ids))) in seen:
        return
    seen.add((table, tuple(sorted(ids))))
    cr.execute(
        """
        SELECT cl.relname, att.attname
          FROM pg_constraint con
          JOIN pg_class cl ON cl.oid = con.conrelid
          JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
         WHERE con.contype = 'f' AND con.confrelid = %s::regclass AND con.confdeltype NOT IN ('c', 'n')
        """,
        [table],
    )
    for child, column in cr.fetchall():
        cr.execute(
            psql.SQL("SELECT id FROM {} WHERE {} = ANY(%s)").format(
                psql.Identifier(child), psql.Identifier(column)
            ),
            [list(ids)],
        )
        child_ids = [row[0] for row in cr.fetchall()]
        if child_ids:
            for fname in ("mail_followers", "mail_message"):
                cr.execute(
                    psql.SQL("DELETE FROM {} WHERE {} = %s AND res_id = ANY(%s)").format(
                        psql.Identifier(fname),
                        psql.Identifier("res_model" if fname == "mail_followers" else "model"),
                    ),
                    [child.replace("_", "."), child_ids],
                )
            _purge(cr, child, child_ids, seen)
    cr.execute(psql.SQL("DELETE FROM {} WHERE id = ANY(%s)").format(psql.Identifier(table)), [list(ids)])


@tagged("post_install", "-at_install")
class TestBridgeEndToEnd(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = get_db_name()
        cls.code = "E2E" + uuid.uuid4().hex[:6].upper()
        with cls.cursor() as cr:
            env = api.Environment(
                cr,
                SUPERUSER_ID,
                {"tracking_disable": True, "mail_create_nosubscribe": True, "mail_create_nolog": True},
            )
            estate = env["property.estate"].create({"name": "端到端测试小区", "code": cls.code})
            cls.estate_id = estate.id
            cls.device_ids = (
                env["property.iot.device"]
                .create(
                    [
                        {
                            "name": f"端到端传感器 {i}",
                            "identifier": f"{cls.code.lower()}-t{i}",
                            "kind": "temperature_sensor",
                            "estate_id": estate.id,
                        }
                        for i in range(28)
                    ]
                )
                .ids
            )
            cls.identifiers = [f"{cls.code.lower()}-t{i}" for i in range(28)]
        cls.addClassCleanup(cls._cleanup)
        cls.broker = harness.Broker()
        cls.addClassCleanup(cls.broker.stop)
        odoo_bin = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
        cls.bridge = harness.BridgeProcess(
            odoo_bin,
            config.rcfile,
            cls.dbname,
            port=cls.broker.port,
            client_id=f"test-bridge-{cls.code}",
            addons_path=config["addons_path"],
            extra=["--batch-size", "500", "--batch-ms", "100", "--topic", f"property/{cls.code}/#"],
        )
        cls.addClassCleanup(cls.bridge.stop)
        cls.bridge.start().wait_subscribed()

    @classmethod
    def cursor(cls):
        return db_connect(get_db_name()).cursor()

    @classmethod
    def _cleanup(cls):
        """Remove the committed test data, and whatever other installed addons derived from it
        (a bridge addon may have turned the alarms into work orders or incidents)."""
        with cls.cursor() as cr:
            cr.execute("DELETE FROM property_iot_quarantine WHERE topic LIKE %s", [f"property/{cls.code}/%"])
            for model, ids in (("property.iot.device", cls.device_ids), ("property.estate", [cls.estate_id])):
                cr.execute(
                    "DELETE FROM mail_followers WHERE res_model = %s AND res_id = ANY(%s)", [model, ids]
                )
                cr.execute("DELETE FROM mail_message WHERE model = %s AND res_id = ANY(%s)", [model, ids])
            _purge(cr, "property_estate", [cls.estate_id])

    def query(self, sql, params):
        with self.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchone()

    def wait_for(self, sql, params, expected, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.query(sql, params)
            if value == expected:
                return value
            time.sleep(0.2)
        return value

    def test_payloads_and_quarantine_through_the_broker(self):
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"test-pub-{self.code}", protocol=mqtt.MQTTv5
        )
        client.connect("127.0.0.1", self.broker.port)
        client.loop_start()
        try:
            topic = f"property/{self.code}/{self.identifiers[0]}"
            bad = [
                (f"{topic}/telemetry", b"not json at all"),
                (f"{topic}/telemetry", json.dumps({"ts": harness.iso_now(), "values": {"t": 1}}).encode()),
                (
                    f"property/{self.code}/ghost/telemetry",
                    json.dumps({"ts": harness.iso_now(), "seq": 1, "values": {"t": 1}}).encode(),
                ),
            ]
            for bad_topic, payload in bad:
                client.publish(bad_topic, payload, qos=1).wait_for_publish(10)
            good = json.dumps(
                {"ts": harness.iso_now(), "seq": 1, "values": {"temperature": 22.5, "humidity": 51}}
            )
            client.publish(f"{topic}/telemetry", good, qos=1).wait_for_publish(10)
        finally:
            client.disconnect()
            client.loop_stop()
        self.assertEqual(
            self.wait_for(
                "SELECT count(*) FROM property_iot_reading WHERE device_id = %s", [self.device_ids[0]], (2,)
            ),
            (2,),
            "the valid message is stored after the bad ones: they did not stop the bridge",
        )
        reasons = self.wait_for(
            "SELECT count(*) FROM property_iot_quarantine WHERE topic LIKE %s",
            [f"property/{self.code}/%"],
            (3,),
        )
        self.assertEqual(reasons, (3,))
        with self.cursor() as cr:
            cr.execute(
                "SELECT reason FROM property_iot_quarantine WHERE topic LIKE %s ORDER BY id",
                [f"property/{self.code}/%"],
            )
            self.assertEqual(
                [r[0] for r in cr.fetchall()],
                ["payload is not valid JSON", "seq is required", "unknown device ghost"],
            )

    def test_sigkill_under_load_loses_nothing(self):
        """5,000 QoS1 messages; the bridge is SIGKILLed while storing them and restarted:
        every message is stored exactly once, in batches."""
        devices = [(self.code, identifier) for identifier in self.identifiers[1:20]]
        publisher = harness.Publisher(
            self.broker.port, devices, 5000, rate=2500, client_id=f"test-load-{self.code}"
        )
        ids = self.device_ids[1:20]
        count_sql = "SELECT count(*) FROM property_iot_reading WHERE device_id = ANY(%s)"
        publisher.start()
        deadline = time.monotonic() + 60
        while self.query(count_sql, [ids])[0] < 1000 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.bridge.kill()
        stored_at_kill = self.query(count_sql, [ids])[0]
        self.assertGreaterEqual(stored_at_kill, 1000)
        self.assertLess(stored_at_kill, 5000, "killed under load, not after the work was done")
        self.bridge.mark().start().wait_subscribed()
        publisher.join(60)
        self.assertEqual(publisher.wait_acked(), 5000, "the broker acknowledged every publish")
        publisher.close()
        self.assertEqual(self.wait_for(count_sql, [ids], (5000,), timeout=120), (5000,))
        time.sleep(1)  # anything redelivered late would show up now
        count, distinct, batches = self.query(
            """SELECT count(*), count(DISTINCT (device_id, seq)), count(DISTINCT batch_id)
                 FROM property_iot_reading WHERE device_id = ANY(%s)""",
            [ids],
        )
        self.assertEqual((count, distinct), (5000, 5000), "nothing lost, nothing duplicated")
        self.assertLess(batches, 500, "stored in batches, not message by message")

    def test_poison_payloads_through_the_broker(self):
        """NUL bytes, a metric with a trailing newline, nesting deep enough to make the JSON
        decoder recurse out of the stack, invalid UTF-8: each is quarantined with its reason
        and acknowledged by the running bridge, inside its batch (no whole-batch fallback), and
        the valid message published after them is stored; the worker never dies."""
        topic = f"property/{self.code}/{self.identifiers[20]}/telemetry"
        head = f'{{"ts": "{harness.iso_now()}", "seq": 1, '
        poison = [
            (head + '"values": {"temperature": 1}}').encode() + b"\x00",
            (head + '"values": {"temperature\\n": 21.5}}').encode(),
            (head + '"values": {"temp\\u0000": 1}}').encode(),
            b"[" * 8000 + b"]" * 8000,
            b"\xff\xfe\x00garbage",
        ]
        pid = self.bridge.process.pid
        for payload in poison:
            harness.publish(self.broker.port, topic, payload)
        good = json.dumps({"ts": harness.iso_now(), "seq": 2, "values": {"temperature": 23.5}})
        harness.publish(self.broker.port, topic, good.encode())
        self.assertEqual(
            self.wait_for(
                "SELECT count(*) FROM property_iot_reading WHERE device_id = %s", [self.device_ids[20]], (1,)
            ),
            (1,),
        )
        self.assertEqual(
            self.wait_for(
                "SELECT count(*) FROM property_iot_quarantine WHERE topic = %s", [topic], (len(poison),)
            ),
            (len(poison),),
        )
        with self.cursor() as cr:
            cr.execute(
                "SELECT reason, payload FROM property_iot_quarantine WHERE topic = %s ORDER BY id", [topic]
            )
            rows = cr.fetchall()
        self.assertEqual(
            [reason for reason, _payload in rows],
            [
                "payload is not valid JSON",
                "invalid metric name 'temperature\\n'",
                "invalid metric name 'temp\\\\x00'",
                "payload is nested too deeply",
                "payload is not valid JSON",
            ],
        )
        self.assertTrue(rows[0][1].endswith("\\x00"))
        self.assertIsNone(self.bridge.process.poll(), "the bridge is alive")
        self.assertEqual(self.bridge.process.pid, pid)
        log = Path(self.bridge.log_path).read_text(errors="replace")
        self.assertNotIn("storing them one by one", log, "no whole-batch fallback")
        self.assertNotIn("exited", log)

    def test_tls_listener(self):
        """The project's broker config has a TLS listener: a device publishing over TLS is
        stored by the bridge."""
        topic = f"property/{self.code}/{self.identifiers[21]}/telemetry"
        payload = json.dumps({"ts": harness.iso_now(), "seq": 1, "values": {"temperature": 19.0}})
        harness.publish(self.broker.tls_port, topic, payload.encode(), cafile=self.broker.cafile)
        self.assertEqual(
            self.wait_for(
                "SELECT count(*) FROM property_iot_reading WHERE device_id = %s", [self.device_ids[21]], (1,)
            ),
            (1,),
        )

    def test_zz_broker_restart_keeps_queued_messages(self):
        """The bridge is down; 3,000 QoS1 messages (three times Mosquitto's default queue of
        1,000) wait in its persistent session; the broker restarts in the meantime (persistence).
        The bridge comes back and stores every one of them."""
        ids = self.device_ids[22:28]
        devices = [(self.code, identifier) for identifier in self.identifiers[22:28]]
        count_sql = "SELECT count(*) FROM property_iot_reading WHERE device_id = ANY(%s)"
        self.bridge.stop()
        publisher = harness.Publisher(self.broker.port, devices, 3000, client_id=f"test-queue-{self.code}")
        publisher.start()
        publisher.join(60)
        self.assertEqual(publisher.wait_acked(), 3000)
        publisher.close()
        self.assertEqual(self.query(count_sql, [ids]), (0,))
        self.broker.restart()
        self.bridge.mark().start().wait_subscribed()
        self.assertEqual(self.wait_for(count_sql, [ids], (3000,), timeout=120), (3000,))
