"""Device simulator: realistic MQTT streams for the devices registered in a database.

    .venv/bin/python addons/property_iot/tools/simulator.py -d property_demo \\
        [--host localhost --port 1883 --username u --password p] [--speed 60] [--duration 600] \\
        [--fault-rate 0.01] [--garbage-rate 0.005] [--silence-rate 0.002] [--seed 7]

It reads the active devices (identifier, kind, estate code) from the database and publishes,
per device and simulated minute (``--speed`` simulated seconds per real second):

- meters: their cumulative register (``volume`` m³ or ``energy`` kWh) every 15 minutes, with a
  day/night profile; a few water meters leak at night (constant flow);
- temperature & humidity sensors: a daily sine plus noise every minute; a fault makes the
  temperature climb fast (threshold and rate-of-change rules);
- elevator controllers: ``cycles`` and ``running_hours`` counters, ``vibration`` and
  ``motor_temp``; a fault first raises the vibration, then publishes a ``fault`` status;
- smoke and leak detectors: a heartbeat status every 10 minutes, rare ``smoke``/``leak`` events
  cleared a few minutes later;
- access readers: ``access_granted``/``access_denied`` events, rarely ``door_forced``;
- silences: a device stops publishing for a while (offline rules);
- garbage: invalid JSON, unknown devices, wrong estates, out-of-range values (quarantine).

All QoS1. Deterministic for a given ``--seed``.
"""

import argparse
import json
import math
import random
import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg2

METER_REGISTER = {"water_meter": "volume", "electricity_meter": "energy", "gas_meter": "volume"}


class SimDevice:
    def __init__(self, identifier, kind, estate, rng):
        self.identifier, self.kind, self.estate, self.rng = identifier, kind, estate, rng
        self.seq = 0
        self.register = rng.uniform(100, 5000)
        self.cycles = rng.randint(100000, 900000)
        self.hours = self.cycles / 60.0
        self.fault_minutes = 0
        self.silent_minutes = 0
        self.leaking = kind == "water_meter" and rng.random() < 0.1
        self.event_active = None

    def topic(self, channel):
        return f"property/{self.estate}/{self.identifier}/{channel}"

    def payload(self, ts, **body):
        self.seq += 1
        return json.dumps({"ts": ts.isoformat(), "seq": self.seq, **body})

    def step(self, ts, minute, args):
        """The messages of one simulated minute: [(topic, payload)]."""
        rng = self.rng
        if self.silent_minutes:
            self.silent_minutes -= 1
            return []
        if rng.random() < args.silence_rate:
            self.silent_minutes = rng.randint(20, 120)
            return []
        if not self.fault_minutes and rng.random() < args.fault_rate / 60:
            self.fault_minutes = rng.randint(5, 30)
        faulty = self.fault_minutes > 0
        self.fault_minutes = max(0, self.fault_minutes - 1)
        local_hour = (ts.hour + 8) % 24 + ts.minute / 60
        out = []
        if self.kind in METER_REGISTER and minute % 15 == 0:
            day = 0.3 + 0.7 * max(0.0, math.sin((local_hour - 6) / 24 * 2 * math.pi))
            rate = {"water_meter": 0.02, "electricity_meter": 0.5, "gas_meter": 0.03}[self.kind]
            self.register += rate * day * rng.uniform(0.5, 1.5) / 4
            if self.leaking and 1 <= local_hour < 6:
                self.register += 0.01
            values = {METER_REGISTER[self.kind]: round(self.register, 3)}
            out.append((self.topic("telemetry"), self.payload(ts, values=values)))
        elif self.kind == "temperature_sensor":
            temperature = 22 + 4 * math.sin((local_hour - 9) / 24 * 2 * math.pi) + rng.gauss(0, 0.2)
            if faulty:
                temperature += 8 * (30 - self.fault_minutes) / 10
            humidity = 55 + rng.gauss(0, 2)
            values = {"temperature": round(temperature, 2), "humidity": round(humidity, 1)}
            out.append((self.topic("telemetry"), self.payload(ts, values=values)))
        elif self.kind == "elevator_controller":
            busy = 1.0 if 7 <= local_hour < 22 else 0.2
            self.cycles += int(rng.uniform(0, 12) * busy)
            self.hours += busy / 60
            vibration = 0.7 + rng.gauss(0, 0.03) + (1.5 if faulty else 0.0)
            values = {
                "cycles": self.cycles,
                "running_hours": round(self.hours, 2),
                "vibration": round(vibration, 3),
                "motor_temp": round(45 + 5 * busy + rng.gauss(0, 0.5), 1),
            }
            out.append((self.topic("telemetry"), self.payload(ts, values=values)))
            if faulty and self.fault_minutes == 0:
                out.append(
                    (self.topic("status"), self.payload(ts, status="fault", detail="E31 门锁回路故障"))
                )
        elif self.kind in ("smoke_detector", "leak_sensor"):
            event = "smoke" if self.kind == "smoke_detector" else "leak"
            if self.event_active and minute >= self.event_active:
                out.append((self.topic("event"), self.payload(ts, event=event, active=False)))
                self.event_active = None
            elif faulty and not self.event_active and rng.random() < 0.05:
                out.append((self.topic("event"), self.payload(ts, event=event, active=True)))
                self.event_active = minute + rng.randint(2, 10)
            if minute % 10 == 0:
                out.append((self.topic("status"), self.payload(ts, status="online")))
        elif self.kind == "access_reader" and rng.random() < (0.3 if 7 <= local_hour < 23 else 0.02):
            event = (
                "door_forced"
                if faulty and rng.random() < 0.1
                else rng.choice(["access_granted"] * 9 + ["access_denied"])
            )
            out.append((self.topic("event"), self.payload(ts, event=event)))
        return out


def garbage(rng, devices, ts):
    device = rng.choice(devices)
    choice = rng.randrange(5)
    if choice == 0:
        return device.topic("telemetry"), "{not json"
    if choice == 1:
        return f"property/{device.estate}/unknown-{rng.randint(1, 99)}/telemetry", device.payload(
            ts, values={"t": 1}
        )
    if choice == 2:
        return f"property/NOPE/{device.identifier}/telemetry", device.payload(ts, values={"t": 1})
    if choice == 3:
        return device.topic("telemetry"), json.dumps({"ts": ts.isoformat(), "seq": 1, "values": {"t": "hot"}})
    return device.topic("event"), json.dumps({"ts": ts.isoformat(), "seq": 1, "event": "alien"})


def load_devices(dbname, rng):
    with psycopg2.connect(dbname=dbname) as conn, conn.cursor() as cr:
        cr.execute(
            """SELECT d.identifier, d.kind, e.code FROM property_iot_device d
                 JOIN property_estate e ON e.id = d.estate_id WHERE d.active ORDER BY d.id"""
        )
        return [SimDevice(identifier, kind, code, rng) for identifier, kind, code in cr.fetchall()]


def main():
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=1883)
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--speed", type=float, default=60.0, help="simulated seconds per real second")
    parser.add_argument("--duration", type=float, default=600.0, help="real seconds to run")
    parser.add_argument("--fault-rate", type=float, default=0.01, help="faults per device and simulated hour")
    parser.add_argument("--garbage-rate", type=float, default=0.005, help="garbage messages per real message")
    parser.add_argument("--silence-rate", type=float, default=0.002, help="silences per device and minute")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    devices = load_devices(args.database, rng)
    if not devices:
        raise SystemExit("no devices in this database")
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2, client_id=f"simulator-{args.seed}", protocol=mqtt.MQTTv5
    )
    if args.username:
        client.username_pw_set(args.username, args.password)
    client.connect(args.host, args.port)
    client.loop_start()
    # the simulated period ends now: a device's readings may not come from the future
    sim_now = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(
        seconds=args.duration * args.speed
    )
    started, minute, sent, info = time.monotonic(), 0, 0, None
    try:
        while time.monotonic() - started < args.duration:
            for device in devices:
                for topic, payload in device.step(sim_now, minute, args):
                    info = client.publish(topic, payload, qos=1)
                    sent += 1
                    if rng.random() < args.garbage_rate:
                        client.publish(*garbage(rng, devices, sim_now), qos=1)
                        sent += 1
            minute += 1
            sim_now += timedelta(minutes=1)
            time.sleep(max(0.0, started + minute * 60 / args.speed - time.monotonic()))
    finally:
        if info is not None:
            info.wait_for_publish(30)
        client.disconnect()
        client.loop_stop()
    sys.stdout.write(f"{sent} messages for {len(devices)} devices over {minute} simulated minutes\n")


if __name__ == "__main__":
    main()
