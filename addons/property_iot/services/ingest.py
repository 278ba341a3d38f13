"""The ingest core of the bridge: a batch of MQTT messages in, rows in PostgreSQL out.

:class:`IngestProcessor` never commits: the caller (the bridge, or a test with its own
transaction) owns the transaction, commits it, and only then acknowledges the messages.

Per batch it runs a constant number of queries, whatever the number of messages:

1. validate every message against the topic scheme and payload schema (``schema.parse``);
2. resolve the device from an in-memory cache of ``identifier -> device`` (refreshed on a
   miss, at most every few seconds);
3. insert the readings with one ``INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING
   RETURNING``: the unique index on (device, metric, ts) makes a QoS1
   redelivery after a crash a no-op, and RETURNING gives only the rows that are new, so rules
   never see a redelivered value twice;
4. quarantine the bad messages with one ORM ``create`` of a list;
5. update ``last_seen``/``status`` of the devices with one ``UPDATE … FROM unnest(…)``;
   ``last_seen`` moves by steps of 30 seconds at least (a device sending 10 messages a second
   does not rewrite its row 10 times a second), a status change is written at once;
6. call ``property.iot.reading._after_ingest(batch)``: rule evaluation, usage counters and
   whatever the bridge addons add (billing meter readings).
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg2

from odoo.tools import SQL

from . import schema

_logger = logging.getLogger(__name__)

DEVICE_CACHE_SECONDS = 60.0
DEVICE_MISS_REFRESH_SECONDS = 5.0


# Array literals for ``unnest(%s::type[])``: a batch's columns passed as one text parameter
# each. psycopg2 adapts a Python list item by item (a timestamp cast per item, that the server
# then parses one by one: 3 µs more per reading in the bridge and in PostgreSQL); the text
# form costs the same as a COPY. Each value is still a parameter: no SQL is built from data.
def _array(items):
    return "{" + ",".join(items) + "}"


def int_array(values):
    return _array(["NULL" if v is None else str(int(v)) for v in values])


def float_array(values):
    return _array([repr(float(v)) for v in values])


def timestamp_array(values):
    return _array([v.isoformat() for v in values])


def text_array(values):
    return _array(['"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values])


@dataclass
class Message:
    """One MQTT message as received by the bridge."""

    topic: str
    payload: bytes
    mid: int = 0
    qos: int = 1
    received_at: float = field(default_factory=time.time)
    connection: int = 0
    dup: bool = False  # the broker's DUP flag: a redelivery of a message sent before
    deliveries: int = 1  # how many times the broker delivered it (counted for redeliveries)


@dataclass
class Device:
    id: int
    identifier: str
    estate_code: str
    kind: str


@dataclass
class IngestBatch:
    """What one batch stored, passed to ``property.iot.reading._after_ingest``.

    ``rows``: the readings that are new in the database (a redelivered message is absent),
    as tuples ``(device_id, ts, msg_type, metric, value)``; events are rows with
    ``msg_type == "event"``, ``metric`` the event name and ``value`` 1.0 (active) or 0.0
    (cleared). ``statuses``: ``{device_id: (ts, status, detail)}`` from status messages.
    """

    batch_id: int
    rows: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)
    device_ids: set = field(default_factory=set)
    quarantined: int = 0
    messages: int = 0
    held: dict = field(default_factory=dict)  # register values held: {(device_id, ts): (value, reason)}

    def rows_for(self, device_ids=None, msg_type=None, metrics=None):
        for row in self.rows:
            if device_ids is not None and row[0] not in device_ids:
                continue
            if msg_type and row[2] != msg_type:
                continue
            if metrics is not None and row[3] not in metrics:
                continue
            yield row


class IngestProcessor:
    """Validates and stores batches of messages. Keeps a device cache between batches."""

    def __init__(self):
        self._devices = {}
        self._loaded_at = 0.0
        self._miss_refresh_at = 0.0

    # devices -----------------------------------------------------------------------------
    def _load_devices(self, env):
        env["property.iot.device"].flush_model(["identifier", "estate_id", "kind", "active"])
        env["property.estate"].flush_model(["code"])
        cr = env.cr
        cr.execute(
            SQL(
                """SELECT d.id, d.identifier, e.code, d.kind
                     FROM property_iot_device d
                     JOIN property_estate e ON e.id = d.estate_id
                    WHERE d.active"""
            )
        )
        self._devices = {row[1]: Device(*row) for row in cr.fetchall()}
        self._loaded_at = time.monotonic()

    def _device(self, env, identifier):
        now = time.monotonic()
        if now - self._loaded_at > DEVICE_CACHE_SECONDS:
            self._load_devices(env)
        device = self._devices.get(identifier)
        if device is None and now - self._miss_refresh_at > DEVICE_MISS_REFRESH_SECONDS:
            self._miss_refresh_at = now
            self._load_devices(env)
            device = self._devices.get(identifier)
        return device

    def invalidate(self):
        self._loaded_at = 0.0
        self._miss_refresh_at = 0.0

    # processing --------------------------------------------------------------------------
    def process(self, env, messages, now=None):
        """Store ``messages`` in ``env.cr``'s transaction; return the :class:`IngestBatch`.

        Never commits. Raises only on database errors: a bad message is quarantined."""
        cr = env.cr
        cr.execute(SQL("SELECT nextval('property_iot_batch_seq')"))
        batch = IngestBatch(batch_id=cr.fetchone()[0], messages=len(messages))
        now = now or datetime.now(UTC).replace(tzinfo=None)  # one clock for the batch's checks
        rows, quarantine, seen = [], [], {}
        for message in messages:
            try:
                parsed = schema.parse(message.topic, message.payload, now=now)
            except schema.SchemaError as e:
                quarantine.append((message, str(e)))
                continue
            device = self._device(env, parsed.identifier)
            if device is None:
                quarantine.append((message, f"unknown device {parsed.identifier}"))
                continue
            if device.estate_code != parsed.estate_code:
                quarantine.append(
                    (message, f"device {parsed.identifier} does not belong to estate {parsed.estate_code}")
                )
                continue
            self._collect(batch, rows, parsed, device, message)
            last = seen.get(device.id)
            if last is None or parsed.ts > last:
                seen[device.id] = parsed.ts
        if rows:
            inserted = self._insert_readings(cr, rows, batch.batch_id)
            batch.rows = sorted(inserted, key=lambda r: r[1])
        if quarantine:
            batch.quarantined = len(quarantine)
            self._quarantine_batch(env, quarantine)
        if seen:
            self._update_devices(env, seen, batch.statuses)
        batch.device_ids = set(seen)
        env["property.iot.reading"]._after_ingest(batch)
        return batch

    def _insert_readings(self, cr, rows, batch_id):
        """Insert the rows with one ``INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO
        NOTHING RETURNING``; return the rows that were new.

        One statement, each column one array parameter: the batch needs no staging table
        (created, filled by COPY and truncated every batch before)."""
        device_ids, tss, seqs, msg_types, metrics, values = zip(*rows, strict=True)
        cr.execute(
            SQL(
                """INSERT INTO property_iot_reading
                       (device_id, ts, seq, msg_type, metric, value, batch_id, stored_at)
                   SELECT device_id, ts, seq, msg_type, metric, value, %s, clock_timestamp()
                     FROM unnest(%s::int4[], %s::timestamp[], %s::int4[], %s::varchar[], %s::varchar[],
                                 %s::float8[]) AS r(device_id, ts, seq, msg_type, metric, value)
                   ON CONFLICT (device_id, metric, ts) DO NOTHING
                   RETURNING device_id, ts, msg_type, metric, value""",
                batch_id,
                int_array(device_ids),
                timestamp_array(tss),
                int_array(seqs),
                text_array(msg_types),
                text_array(metrics),
                float_array(values),
            )
        )
        return cr.fetchall()

    def _collect(self, batch, rows, parsed, device, message):
        seq = parsed.seq
        if parsed.channel == "telemetry":
            rows.extend(
                (device.id, parsed.ts, seq, "telemetry", metric, value)
                for metric, value in parsed.values.items()
            )
        elif parsed.channel == "event":
            rows.append((device.id, parsed.ts, seq, "event", parsed.event, 1.0 if parsed.active else 0.0))
        else:
            previous = batch.statuses.get(device.id)
            if previous is None or parsed.ts >= previous[0]:
                batch.statuses[device.id] = (parsed.ts, parsed.status, parsed.detail)
            if parsed.status == "fault":
                # a fault reported by the device is also an event that rules can alarm on
                rows.append((device.id, parsed.ts, seq, "event", "fault", 1.0))

    def quarantine(self, env, message, reason, parked=False):
        """Quarantine one message (used by the bridge when a batch fails as a whole, and to
        park a message delivered too many times)."""
        self._quarantine(env, [(message, reason)], parked=parked)

    def _quarantine_batch(self, env, items):
        """Quarantine the refused messages of a batch in one ``create``; should that fail,
        each one on its own (:meth:`quarantine_safely`): never the whole batch to the slow path."""
        try:
            with env.cr.savepoint():
                self._quarantine(env, items)
        except psycopg2.OperationalError:
            raise
        except Exception:
            _logger.exception("quarantine of %s messages failed, storing them one by one", len(items))
            for message, reason in items:
                self.quarantine_safely(env, message, reason)

    def quarantine_safely(self, env, message, reason, parked=False):
        """Quarantine one message, whatever it holds; never raises but for a database that is
        down. If the escaped text still cannot be stored, the payload is stored in hexadecimal;
        if even that fails, it is logged. Returns whether the message is in the quarantine."""
        try:
            with env.cr.savepoint():
                self.quarantine(env, message, reason, parked=parked)
            return True
        except psycopg2.OperationalError:
            raise
        except Exception as e:  # quarantining must never kill the worker
            error = e
        try:
            with env.cr.savepoint():
                raw = Message(
                    message.topic.encode("utf-8", "backslashreplace").hex()[:500],
                    message.payload[: schema.MAX_PAYLOAD // 2].hex().encode(),
                    received_at=message.received_at,
                    deliveries=message.deliveries,
                )
                self.quarantine(
                    env, raw, f"{reason} (stored in hexadecimal: {type(error).__name__})", parked=parked
                )
            return True
        except psycopg2.OperationalError:
            raise
        except Exception:
            _logger.exception(
                "could not quarantine a message (%s); topic %r, payload %s",
                reason,
                message.topic[:200],
                message.payload[:2000].hex(),
            )
            return False

    def _quarantine(self, env, items, parked=False):
        """Store refused messages with their reason. Every text is made storable first (NUL
        bytes and other control characters escaped, invalid UTF-8 kept as ``\\xff``):
        PostgreSQL refuses NUL in text, and a quarantine that fails must not take the batch, or
        the worker, with it."""
        env["property.iot.quarantine"].sudo().create(
            [
                {
                    "topic": schema.printable(message.topic)[:512] or "?",
                    "payload": schema.payload_text(message.payload),
                    "reason": schema.printable(reason)[:512] or "?",
                    "received_at": datetime.fromtimestamp(int(message.received_at), UTC).replace(tzinfo=None),
                    "is_parked": parked,
                    "delivery_count": message.deliveries,
                }
                for message, reason in items
            ]
        )

    def _update_devices(self, env, seen, statuses):
        ids = list(seen)
        env["property.iot.device"].flush_model(["last_seen", "status"])
        env.cr.execute(
            SQL(
                """UPDATE property_iot_device d
                      SET last_seen = GREATEST(d.last_seen, v.ts),
                          status = CASE WHEN d.last_seen IS NULL OR v.ts >= d.last_seen
                                        THEN v.status ELSE d.status END
                     FROM unnest(%s::int4[], %s::timestamp[], %s::varchar[]) AS v(id, ts, status)
                    WHERE d.id = v.id
                      AND (d.last_seen IS NULL OR v.ts > d.last_seen + interval '30 seconds'
                           OR (v.ts >= d.last_seen AND d.status IS DISTINCT FROM v.status))""",
                int_array(ids),
                timestamp_array([seen[i] for i in ids]),
                text_array([statuses[i][1] if i in statuses else "online" for i in ids]),
            )
        )
        env["property.iot.device"].invalidate_model(["last_seen", "status"])
