"""The long-running MQTT → PostgreSQL bridge.

One paho-mqtt 2.2 client (MQTT 5, QoS1, ``manual_ack=True``, persistent session with
``clean_start=False`` and a SessionExpiryInterval) receives messages on its network thread
and appends them to a deque. The main thread takes them in batches (up to ``batch_size``
messages or ``batch_ms`` after the first one), stores a batch in one transaction of its own
cursor (``Registry(db).cursor()``), commits, and only then acknowledges (PUBACK) the
messages of that batch. Killed at any point, the bridge loses nothing: the broker redelivers
every unacknowledged message to the persistent session, and the unique index on readings
makes a redelivered message a no-op.

Bad messages are refused one by one inside their batch (``schema.parse`` turns any byte
sequence into a message or a reason) and quarantined with their reason. A batch that fails
as a whole anyway (a bug, a constraint) is retried message by message, each in a savepoint; a
message that still fails is quarantined with the error as reason and acknowledged. Quarantining
cannot fail the worker either (:meth:`IngestProcessor.quarantine_safely`). A database that is
down is retried forever without acknowledging anything.

Redelivery parking: a worker can still die on a message (killed, out of memory, a bug in a
C library); the persistent session then redelivers it with the DUP flag, forever. The bridge
counts the redeliveries of DUP messages by a hash of topic and payload in
``property_iot_delivery``, committed before the message is processed:

- a message redelivered once (a normal restart) is stored with its batch;
- a message redelivered again is processed alone, counted just before, and acknowledged just
  after: the messages around it get through, and only the message that kills the worker
  keeps counting;
- a message delivered ``park_after`` times is parked: quarantined unprocessed, flagged as
  parked, and acknowledged.

Side effects of alarms (work orders, safety incidents, notifications) are queue_job jobs the
batch's transaction enqueues: they run after its commit, and the acknowledgement never waits
for them.
"""

import collections
import contextlib
import gc
import hashlib
import logging
import threading
import time

import psycopg2
import psycopg2.errors
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

from .ingest import IngestBatch, IngestProcessor, Message
from .mqtt_client import BulkClient

_logger = logging.getLogger(__name__)

try:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties
    from paho.mqtt.subscribeoptions import SubscribeOptions
except ImportError:  # pragma: no cover - declared in external_dependencies
    mqtt = None

DEFAULT_TOPIC = "property/#"
MAX_CONFLICTS = 5
PARK_AFTER = 5  # deliveries of one message without acknowledgement before it is parked


class Bridge:
    def __init__(
        self,
        dbname,
        *,
        host="localhost",
        port=1883,
        username=None,
        password=None,
        client_id="odoo-iot-bridge",
        topic=DEFAULT_TOPIC,
        share_group=None,
        batch_size=2000,
        batch_ms=200,
        session_expiry=86400,
        keepalive=30,
        park_after=PARK_AFTER,
    ):
        self.dbname = dbname
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.client_id = client_id
        self.topic = f"$share/{share_group}/{topic}" if share_group else topic
        self.batch_size = batch_size
        self.batch_ms = batch_ms
        self.session_expiry = session_expiry
        self.keepalive = keepalive
        self.park_after = max(2, park_after)
        self.inbox = collections.deque()  # appended by paho's network thread
        self.arrived = threading.Event()
        self.stop_event = threading.Event()
        self.subscribed = threading.Event()
        self.processor = IngestProcessor()
        self.client = None
        # a packet id is valid only on the connection that delivered it: acknowledge a message
        # only on that connection (after a reconnection the broker redelivers the others)
        self.connection = 0
        self.stats = {
            "messages": 0,
            "batches": 0,
            "quarantined": 0,
            "parked": 0,
            "readings": 0,
            "store_s": 0.0,
        }

    # MQTT ---------------------------------------------------------------------------------
    def _make_client(self):
        client = BulkClient(
            CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        if self.username:
            client.username_pw_set(self.username, self.password)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        return client

    def _connect_properties(self):
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.session_expiry
        # let the broker send a few batches ahead of the acknowledgements
        properties.ReceiveMaximum = min(65535, max(1000, self.batch_size * 4))
        return properties

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            _logger.error("MQTT connection refused: %s", reason_code)
            return
        _logger.info(
            "connected to %s:%s as %s (session present: %s)",
            self.host,
            self.port,
            self.client_id,
            flags.session_present,
        )
        self.connection += 1
        client.subscribe(self.topic, options=SubscribeOptions(qos=1))

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        _logger.info("subscribed to %s: %s", self.topic, [str(c) for c in reason_codes])
        self.subscribed.set()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self.subscribed.clear()
        if not self.stop_event.is_set():
            _logger.info("disconnected from the broker (%s), reconnecting", reason_code)

    def _on_message(self, client, userdata, msg):
        # the raw topic: ``msg.topic`` raises on invalid UTF-8, in paho's network thread
        topic = msg._topic.decode("utf-8", "backslashreplace")
        inbox = self.inbox
        inbox.append(Message(topic, msg.payload, msg.mid, msg.qos, connection=self.connection, dup=msg.dup))
        if len(inbox) == 1 or len(inbox) >= self.batch_size:
            self.arrived.set()  # wake the main thread: a first message, or a full batch

    # batches ------------------------------------------------------------------------------
    def _next_batch(self):
        """Up to ``batch_size`` messages, waiting at most ``batch_ms`` after the first one.

        The network thread appends to a deque and wakes this thread only for a first message
        or a full batch (a ``queue.Queue`` took a lock and a condition per message, both ways)."""
        inbox, arrived = self.inbox, self.arrived
        if not inbox:
            arrived.clear()  # a wake-up for messages already taken must not spin this loop
            if not inbox:
                arrived.wait(0.5)
            if not inbox:
                return []
        deadline = time.monotonic() + self.batch_ms / 1000.0
        while len(inbox) < self.batch_size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            arrived.clear()
            if len(inbox) >= self.batch_size:
                break
            arrived.wait(remaining)
        arrived.clear()
        return [inbox.popleft() for _ in range(min(len(inbox), self.batch_size))]

    def handle(self, messages):
        """Store and acknowledge one batch: park the messages delivered too often, store the
        others (redelivered ones alone, see the module's docstring), acknowledge each message
        once its transaction is committed. Never raises but for a database that is down."""
        batch, isolated, parked = self.sort_redeliveries(messages)
        if parked:
            self.park(parked)
            self.ack(parked)
        if batch:
            self._store_or_quarantine(batch)
            self.ack(batch)
        for message in isolated:
            self.count_redeliveries([message])
            self._store_or_quarantine([message])
            self.ack([message])

    def _store_or_quarantine(self, messages):
        try:
            self.store(messages)
        except psycopg2.OperationalError:
            raise
        except Exception as e:  # the last line of defence of the worker
            _logger.exception("storing a batch of %s messages failed", len(messages))
            self.park(messages, reason=f"bridge error: {e}", parked=False)

    # redeliveries -------------------------------------------------------------------------
    @staticmethod
    def delivery_key(message):
        return hashlib.sha256(
            message.topic.encode("utf-8", "backslashreplace") + b"\0" + bytes(message.payload)
        ).digest()

    def _cursor(self):
        return Registry(self.dbname).cursor()

    def sort_redeliveries(self, messages, cr=None):
        """Split a batch into (to store in batch, to store one by one, to park) by the number
        of times the broker delivered each DUP message (``property_iot_delivery``). The
        redeliveries of the batch's share are counted, in a transaction committed at once."""
        dups = [m for m in messages if m.dup]
        if not dups:
            return messages, [], []
        keys = {id(m): self.delivery_key(m) for m in dups}
        with contextlib.nullcontext(cr) if cr else self._cursor() as cursor:
            cursor.execute(
                SQL(
                    "SELECT key, redeliveries FROM property_iot_delivery WHERE key = ANY(%s)",
                    [psycopg2.Binary(k) for k in set(keys.values())],
                )
            )
            counted = {bytes(key): count for key, count in cursor.fetchall()}
            batch, isolated, parked, bulk = [], [], [], []
            for message in messages:
                if not message.dup:
                    batch.append(message)
                    continue
                redeliveries = counted.get(keys[id(message)], 0) + 1
                message.deliveries = redeliveries + 1
                if message.deliveries >= self.park_after:
                    parked.append(message)
                elif redeliveries == 1:
                    batch.append(message)
                    bulk.append(message)
                else:
                    isolated.append(message)
            self.count_redeliveries(bulk + parked, cursor)
            if not cr:
                cursor.commit()
        return batch, isolated, parked

    def count_redeliveries(self, messages, cr=None):
        """One more redelivery of each message, committed (unless ``cr`` is given)."""
        if not messages:
            return
        keys = [psycopg2.Binary(self.delivery_key(m)) for m in messages]
        with contextlib.nullcontext(cr) if cr else self._cursor() as cursor:
            cursor.execute(
                SQL(
                    """INSERT INTO property_iot_delivery AS d (key, redeliveries)
                       SELECT k, count(*) FROM unnest(%s::bytea[]) AS k GROUP BY k
                       ON CONFLICT (key) DO UPDATE
                          SET redeliveries = d.redeliveries + EXCLUDED.redeliveries,
                              last_seen = now() at time zone 'UTC'""",
                    keys,
                )
            )
            if not cr:
                cursor.commit()

    def park(self, messages, reason=None, parked=True, cr=None):
        """Quarantine ``messages`` unprocessed (parked: delivered too many times), each in a
        savepoint, in one committed transaction."""
        with contextlib.nullcontext(cr) if cr else self._cursor() as cursor:
            env = api.Environment(cursor, SUPERUSER_ID, {"tracking_disable": True})
            for message in messages:
                self.processor.quarantine_safely(
                    env,
                    message,
                    reason or f"parked after {message.deliveries} deliveries without acknowledgement",
                    parked=parked,
                )
            if not cr:
                cursor.commit()
        self.stats["parked" if parked else "quarantined"] += len(messages)
        if parked:
            _logger.warning("parked %s messages delivered %s times or more", len(messages), self.park_after)

    def store(self, messages):
        """Store one batch in its own committed transaction. Returns when committed.

        The bridge's transactions are READ COMMITTED (Odoo's default is REPEATABLE READ): with
        several workers, two batches touching the same device or alarm then wait for each
        other instead of failing. A conflict that still happens (a deadlock, two workers
        raising the same alarm) is retried a few times, then the batch goes one by one."""
        delay, conflicts = 1.0, 0
        while True:
            try:
                registry = Registry(self.dbname).check_signaling()
                with registry.cursor() as cr:
                    cr._cnx.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
                    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
                    try:
                        with cr.savepoint():
                            result = self.processor.process(env, messages)
                    except psycopg2.OperationalError:
                        raise
                    except psycopg2.errors.UniqueViolation:
                        if conflicts < MAX_CONFLICTS:
                            raise
                        result = self._fallback(env, messages)
                    except Exception:
                        result = self._fallback(env, messages)
                self.stats["batches"] += 1
                self.stats["messages"] += len(messages)
                self.stats["quarantined"] += result.quarantined
                self.stats["readings"] += len(result.rows)
                return
            except (psycopg2.extensions.TransactionRollbackError, psycopg2.errors.UniqueViolation) as e:
                conflicts += 1
                _logger.info("batch conflicted with another worker (%s), retrying", type(e).__name__)
                time.sleep(0.05 * conflicts)
            except psycopg2.OperationalError:
                if self.stop_event.is_set():
                    raise
                _logger.exception("database unavailable, retrying in %.0f s", delay)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)

    def _fallback(self, env, messages):
        _logger.exception("batch of %s messages failed, storing them one by one", len(messages))
        self.processor.invalidate()
        result = IngestBatch(batch_id=0, messages=len(messages))
        result.quarantined = self._store_one_by_one(env, messages)
        return result

    def _store_one_by_one(self, env, messages):
        quarantined = 0
        for message in messages:
            try:
                with env.cr.savepoint():
                    self.processor.process(env, [message])
            except psycopg2.OperationalError:
                raise
            except Exception as e:  # refused alone, quarantined with the reason
                quarantined += 1
                self.processor.quarantine_safely(env, message, f"processing error: {e}")
        return quarantined

    def ack(self, messages):
        """Acknowledge the messages delivered on the current connection: the QoS1 ones in one
        write (:meth:`BulkClient.ack_many`)."""
        connection = self.connection
        mids = []
        for message in messages:
            if message.connection != connection:
                continue
            if message.qos == 1:
                mids.append(message.mid)
            elif message.qos:
                self.client.ack(message.mid, message.qos)
        self.client.ack_many(mids)

    # lifecycle ----------------------------------------------------------------------------
    def start(self):
        self.client = self._make_client()
        self.client.connect_async(
            self.host,
            self.port,
            keepalive=self.keepalive,
            clean_start=False,
            properties=self._connect_properties(),
        )
        self.client.loop_start()

    def run(self):
        """Run until :meth:`stop` is called (or SIGTERM/SIGINT through the CLI command)."""
        Registry(self.dbname)  # load the registry before the first message arrives
        # the registry's objects live as long as the process: out of the garbage collector's
        # sight, its full collections (triggered by the batches' short-lived objects) no longer
        # walk them (a third of the bridge's CPU per message)
        gc.freeze()
        self.start()
        last_report, reported = time.monotonic(), 0
        try:
            while not self.stop_event.is_set():
                messages = self._next_batch()
                if messages:
                    started = time.perf_counter()
                    self.handle(messages)
                    self.stats["store_s"] += time.perf_counter() - started
                now = time.monotonic()
                if now - last_report >= 10 and self.stats["messages"] != reported:
                    _logger.info(
                        "%(messages)s messages in %(batches)s batches, %(readings)s readings, "
                        "%(quarantined)s quarantined, %(parked)s parked; %(store_s).1f s storing",
                        self.stats,
                    )
                    last_report, reported = now, self.stats["messages"]
            # drain what was received before stopping: stored and acknowledged, or redelivered
            while self.inbox:
                messages = self._next_batch()
                if messages:
                    self.handle(messages)
        finally:
            self.client.disconnect()
            self.client.loop_stop()

    def stop(self, *_args):
        self.stop_event.set()
