"""Topic scheme and JSON payload schema of the devices' MQTT messages.

Pure Python, no Odoo: the bridge validates every message with :func:`parse` before it goes
near the database, and the simulator and the benchmark build their payloads the same way.

Topics::

    property/<estate_code>/<device_id>/telemetry   {"ts": ISO 8601, "seq": int, "values": {metric: number}}
    property/<estate_code>/<device_id>/event       {"ts": ..., "seq": int, "event": name, "active": bool}
    property/<estate_code>/<device_id>/status      {"ts": ..., "status": "online"|"offline"|"fault",
                                                    "detail": str (optional)}

``ts`` must carry a time zone (``Z`` or ``+08:00``); it is stored in UTC. ``seq`` is the
device's message counter (0 ≤ seq < 2**31). A message is identified by (device, metric, ts):
a QoS1 redelivery of the same message is stored once.
"""

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

TOPIC_ROOT = "property"
CHANNELS = ("telemetry", "event", "status")
STATUSES = ("online", "offline", "fault")
EVENTS = (
    "smoke",
    "leak",
    "door_open",
    "door_forced",
    "access_granted",
    "access_denied",
    "fault",
    "tamper",
)
# used with fullmatch: ``$`` would accept a trailing newline ("temperature\n"), which then
# broke the text COPY of the whole batch
SEGMENT_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
METRIC_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
# control characters (NUL included: PostgreSQL text refuses it) in a free-text field
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_VALUES = 32
MAX_PAYLOAD = 16384
MAX_SEQ = 2**31 - 1
# a device clock may be wrong, but not by more than this into the future
MAX_FUTURE = timedelta(hours=1)
# readings older than this are refused: a device replaying a whole year is a fault, not data
MAX_AGE = timedelta(days=400)
ALLOWED_KEYS = {
    "telemetry": {"ts", "seq", "values"},
    "event": {"ts", "seq", "event", "active", "detail"},
    "status": {"ts", "seq", "status", "detail"},
}


class SchemaError(ValueError):
    """A message that does not follow the topic scheme or the payload schema."""


@dataclass
class ParsedMessage:
    estate_code: str
    identifier: str
    channel: str
    ts: datetime  # naive UTC, as Odoo stores datetimes
    seq: int | None = None
    values: dict = field(default_factory=dict)
    event: str | None = None
    active: bool = True
    status: str | None = None
    detail: str = ""


def build_topic(estate_code, identifier, channel="telemetry"):
    return f"{TOPIC_ROOT}/{estate_code}/{identifier}/{channel}"


def parse_topic(topic):
    parts = topic.split("/")
    if len(parts) != 4 or parts[0] != TOPIC_ROOT:
        raise SchemaError("topic must be property/<estate_code>/<device_id>/<telemetry|event|status>")
    _root, estate_code, identifier, channel = parts
    if channel not in CHANNELS:
        raise SchemaError(f"unknown channel {printable(channel[:32])!r}")
    if not SEGMENT_RE.fullmatch(estate_code) or not SEGMENT_RE.fullmatch(identifier):
        raise SchemaError("invalid estate code or device id in topic")
    return estate_code, identifier, channel


def parse_ts(value, now=None):
    if not isinstance(value, str):
        raise SchemaError("ts must be an ISO 8601 string")
    try:
        ts = datetime.fromisoformat(value)  # Python ≥ 3.11 reads "Z" too
    except ValueError as e:
        raise SchemaError("ts is not ISO 8601") from e
    if ts.tzinfo is None:
        raise SchemaError("ts must carry a time zone")
    ts = ts.astimezone(UTC).replace(tzinfo=None)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    if ts > now + MAX_FUTURE:
        raise SchemaError("ts is in the future")
    if ts < now - MAX_AGE:
        raise SchemaError("ts is too old")
    return ts


def _number(metric, value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SchemaError(f"value of {metric} is not a number")
    value = float(value)
    if not math.isfinite(value):
        raise SchemaError(f"value of {metric} is not finite")
    return value


def printable(text):
    """``text`` without what PostgreSQL or a log line cannot hold: NUL and other control
    characters are escaped (``\\x00``), so that any payload can be quarantined as text."""
    return CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def payload_text(payload, limit=MAX_PAYLOAD):
    """The payload as storable text: invalid UTF-8 and control characters escaped."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8", "surrogateescape")
    return printable(payload[:limit].decode("utf-8", "backslashreplace"))


def parse(topic, payload, now=None):
    """Validate one message; return a :class:`ParsedMessage` or raise :class:`SchemaError`.

    Any byte sequence gives one or the other: an unexpected error of the checks (a deeply
    nested document making the JSON decoder recurse, a type nobody thought of) is a
    :class:`SchemaError` too, so that the bridge refuses the message alone, never its batch."""
    try:
        return _parse(topic, payload, now)
    except SchemaError:
        raise
    except RecursionError as e:
        raise SchemaError("payload is nested too deeply") from e
    except Exception as e:  # any payload must end stored or quarantined
        raise SchemaError(f"invalid payload ({type(e).__name__})") from e


def _parse(topic, payload, now=None):
    estate_code, identifier, channel = parse_topic(topic)
    if len(payload) > MAX_PAYLOAD:
        raise SchemaError("payload too large")
    try:
        # a UTF-8 object decoded here spares json the guess of the encoding (UTF-16/32 with or
        # without BOM, which json.loads also reads)
        data = json.loads(payload.decode() if payload[:1] == b"{" else payload)
    except RecursionError as e:
        raise SchemaError("payload is nested too deeply") from e
    except (ValueError, UnicodeDecodeError) as e:
        raise SchemaError("payload is not valid JSON") from e
    if not isinstance(data, dict):
        raise SchemaError("payload must be a JSON object")
    unknown = set(data) - ALLOWED_KEYS[channel]
    if unknown:
        raise SchemaError(f"unknown keys: {printable(', '.join(sorted(unknown))[:100])}")
    if "ts" not in data:
        raise SchemaError("ts is required")
    message = ParsedMessage(estate_code, identifier, channel, parse_ts(data["ts"], now))
    seq = data.get("seq")
    if seq is not None:
        if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
            raise SchemaError("seq must be an integer between 0 and 2**31-1")
        message.seq = seq
    elif channel != "status":
        raise SchemaError("seq is required")
    detail = data.get("detail", "")
    if not isinstance(detail, str):
        raise SchemaError("detail must be a string")
    if CONTROL_RE.search(detail):
        raise SchemaError("detail contains control characters")
    message.detail = detail[:256]
    if channel == "telemetry":
        values = data.get("values")
        if not isinstance(values, dict) or not values:
            raise SchemaError("values must be a non-empty object")
        if len(values) > MAX_VALUES:
            raise SchemaError("too many values")
        for metric, value in values.items():
            if not METRIC_RE.fullmatch(metric):
                raise SchemaError(f"invalid metric name {printable(metric[:32])!r}")
            message.values[metric] = _number(metric, value)
    elif channel == "event":
        event = data.get("event")
        if event not in EVENTS:
            raise SchemaError(f"unknown event {printable(str(event)[:32])!r}")
        active = data.get("active", True)
        if not isinstance(active, bool):
            raise SchemaError("active must be true or false")
        message.event, message.active = event, active
    else:
        status = data.get("status")
        if status not in STATUSES:
            raise SchemaError(f"unknown status {printable(str(status)[:32])!r}")
        message.status = status
    return message


def telemetry_payload(ts, seq, values):
    """The JSON of a telemetry message (used by the simulator and the benchmark)."""
    return json.dumps({"ts": ts.isoformat(), "seq": seq, "values": values}, separators=(",", ":"))
