"""Benchmark of the property_iot MQTT bridge against a real Mosquitto broker.

Creates a fresh database with property_iot (no demo data) — and property_iot_workorder with
property_workorder when that bridge addon exists —, registers temperature sensors,
starts its own Mosquitto with the project's broker config (docker/mosquitto/mosquitto.conf on
free ports, without authentication: ``harness.Broker``), starts the bridge as the
production command does (``odoo-bin iot_bridge``) and an Odoo server whose queue_job runner
runs the alarms' side effects (the work orders), and publishes N QoS1 readings from several
publisher threads. Measured:

- ``per_second``: readings stored per second, sustained: stored readings / (last − first
  ``stored_at``), every reading counted once it is in the committed table;
- ``p99_ms``: 99th percentile of ``stored_at − ts`` (``ts`` in the payload is the publish time);
- ``lost``: readings acknowledged by the broker to the publishers and not in the table;
- ``alarm_to_workorder_ms``: from the publish of a reading above the "Temperature too high"
  threshold to the committed work order (``property.request`` of source IoT linked to the
  alarm), created by property_iot_workorder in the alarm's ``_on_raised`` hook, in the queue_job
  job the batch enqueued (run by the Odoo server's job runner after the batch's commit).
  Without that addon in the tree, the committed alarm is measured instead. The largest of 5
  samples under load;
- ``capacity_per_second``: then ``--capacity`` more readings published as fast as the
  publishers go (a burst): readings stored per second while the bridge works through the
  backlog, its capacity. With ``--rate 0`` the main run is the burst and gives it;
- ``naive_per_second``: the same readings written the naive way, one ORM ``create`` and one
  commit per message (as a bridge acknowledging each message after its commit must), on a
  sample of ``--naive`` messages.

    .venv/bin/python bench/iot_ingest.py [--messages 100000] [--publishers 4] [--workers 2] [--rate 10500] [--kill]

``--rate`` sets the total publish rate (default 10,500/s, a sustained load just above the goal;
0: as fast as the publishers go): a burst measures the
capacity, a rate below it the latency. ``--workers`` bridge processes share the load. ``--kill`` SIGKILLs
the bridge in the middle of the run and restarts it (then ``lost`` must still be 0).
Rates on a shared machine follow its load; the CPU cost per message does not: the run prints
the CPU µs per message of each part (bridge processes, PostgreSQL backends of the database,
broker, job runner, publishers) for the main run and the burst.
The last line is ``RESULT iot_ingest messages=<n> per_second=<r> p99_ms=<ms> lost=<n>
alarm_to_workorder_ms=<ms> naive_per_second=<r> capacity_per_second=<r> bridge_cpu_us=<µs>
load=<load average after the run>``.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench_common import create_database, odoo_setup  # noqa: E402

sys.path.insert(0, str(ROOT / "addons" / "property_iot" / "tools"))

import harness  # noqa: E402


def addons_path(conf):
    for line in Path(conf).read_text().splitlines():
        if line.startswith("addons_path"):
            return line.split("=", 1)[1].strip()
    raise RuntimeError("no addons_path")


WORKORDER_BRIDGE = ROOT / "addons" / "property_iot_workorder" / "__manifest__.py"


def bench_modules():
    """property_iot, and the work-order bridge (which pulls property_workorder) when it exists."""
    return "property_iot,property_iot_workorder" if WORKORDER_BRIDGE.exists() else "property_iot"


def has_workorder_bridge(conn):
    with conn.cursor() as cr:
        cr.execute(
            "SELECT 1 FROM ir_module_module WHERE name = 'property_iot_workorder' AND state = 'installed'"
        )
        return bool(cr.fetchone())


def setup_devices(registry, n_devices, n_alarm):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        estate = env["property.estate"].create({"name": "压测花园", "code": "BENCH"})
        building = env["property.building"].create(
            {"estate_id": estate.id, "code": "1", "name": "1号楼", "floors_above": 30}
        )
        devices = env["property.iot.device"].create(
            [
                {
                    "name": f"温湿度传感器 {i}",
                    "identifier": f"bench-t-{i:05d}",
                    "kind": "temperature_sensor",
                    "estate_id": estate.id,
                    "building_id": building.id,
                }
                for i in range(n_devices)
            ]
        )
        alarm_devices = env["property.iot.device"].create(
            [
                {
                    "name": f"告警传感器 {i}",
                    "identifier": f"bench-alarm-{i}",
                    "kind": "temperature_sensor",
                    "estate_id": estate.id,
                    "building_id": building.id,
                }
                for i in range(n_alarm)
            ]
        )
        naive = env["property.iot.device"].create(
            {
                "name": "朴素写入传感器",
                "identifier": "bench-naive",
                "kind": "temperature_sensor",
                "estate_id": estate.id,
                "building_id": building.id,
            }
        )
        return devices.ids, [(d.id, d.identifier) for d in alarm_devices], naive.id


def reuse_devices(registry, n_devices):
    """Empty the tables of a kept database and return its bench devices."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        cr.execute("TRUNCATE property_iot_reading, property_iot_quarantine")
        # work orders reference the alarms (property_iot_workorder): delete, not TRUNCATE
        cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'property_request' AND column_name = 'iot_alarm_id'"
        )
        if cr.fetchone():
            cr.execute("DELETE FROM property_request WHERE source = 'iot'")
        cr.execute("DELETE FROM property_iot_alarm")
        cr.execute("UPDATE property_iot_device SET last_seen = NULL")
        env = api.Environment(cr, SUPERUSER_ID, {})
        Device = env["property.iot.device"]
        devices = Device.search([("identifier", "=like", "bench-t-%")], order="identifier")[:n_devices]
        alarm = Device.search([("identifier", "=like", "bench-alarm-%")], order="identifier")
        naive = Device.search([("identifier", "=", "bench-naive")])
        return devices.ids, [(d.id, d.identifier) for d in alarm], naive.id


class JobRunner:
    """``odoo-bin -c <conf> -d <db> --http-port <free>``: an Odoo server whose queue_job runner
    (``server_wide_modules = base,web,queue_job`` in the config) runs the enqueued jobs."""

    def __init__(self, odoo_src, conf, db, log_path):
        self.port = harness.free_port()
        self.log_path = log_path
        self.args = [
            sys.executable,
            f"{odoo_src}/odoo-bin",
            "-c",
            str(conf),
            "-d",
            db,
            "--http-port",
            str(self.port),
            "--gevent-port",
            str(harness.free_port()),
            "--workers",
            "0",
            "--max-cron-threads",
            "0",
            "--log-level=info",
            "--logfile=",
        ]
        self.process = None

    def start(self, timeout=180):
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(self.args, stdout=log, stderr=log, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"job runner exited: see {self.log_path}")
            text = Path(self.log_path).read_text(errors="replace")
            if "Registry loaded" in text and "queue job runner ready for db" in text:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"job runner not ready: see {self.log_path}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def publish_burst(port, identifiers, count, publishers, start_seq):
    """``count`` readings as fast as ``publishers`` raw publishers go; returns the acknowledged."""
    threads = [
        harness.RawPublisher(
            port,
            [("BENCH", identifier) for identifier in identifiers[p::publishers]],
            count // publishers,
            client_id=f"bench-burst-{p}",
            start_seq=start_seq,
            value=lambda _seq: 21.0,
        )
        for p in range(publishers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    acked = sum(t.wait_acked() for t in threads)
    for thread in threads:
        thread.close()
    return acked


def capacity(conn, device_ids, since_id):
    """Readings stored per second (first to last ``stored_at``) among those of id > since_id."""
    with conn.cursor() as cr:
        cr.execute(
            """SELECT count(*), extract(epoch FROM max(stored_at) - min(stored_at))
                 FROM property_iot_reading WHERE device_id = ANY(%s) AND id > %s""",
            [device_ids, since_id],
        )
        stored, span = cr.fetchone()
    return stored, (stored / span if span else 0.0)


def _proc_cpu(pid):
    """CPU seconds (user + system) of one process, 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _process_tree(pid):
    """``pid`` and its descendants (the bridge's supervisor and its forked workers)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def cpu_snapshot(conn, db, bridge, broker, runner):
    """CPU seconds used so far by each part of the run: the bridge processes, PostgreSQL's
    backends of the database, the broker, the job runner, and this process (the publishers).
    On a shared machine the rates are noisy; the CPU cost per message is not."""
    with conn.cursor() as cr:
        cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [db])
        backends = [row[0] for row in cr.fetchall()]
    own = os.times()
    return {
        "bridge": sum(_proc_cpu(pid) for pid in _process_tree(bridge.process.pid)),
        "postgres": {pid: _proc_cpu(pid) for pid in backends},
        "broker": _proc_cpu(broker.process.pid),
        "runner": sum(_proc_cpu(pid) for pid in _process_tree(runner.process.pid)),
        "publishers": own.user + own.system,
    }


def cpu_per_message(before, after, messages):
    """µs of CPU per message for each part, between two snapshots."""
    result = {}
    for part in ("bridge", "broker", "runner", "publishers"):
        result[part] = (after[part] - before[part]) * 1e6 / messages
    postgres = sum(cpu - before["postgres"].get(pid, 0.0) for pid, cpu in after["postgres"].items())
    result["postgres"] = postgres * 1e6 / messages
    return result


def format_cpu(cost):
    return ", ".join(f"{part} {us:.0f}" for part, us in cost.items()) + f"; total {sum(cost.values()):.0f}"


def count_stored(conn, device_ids):
    with conn.cursor() as cr:
        cr.execute("SELECT count(*) FROM property_iot_reading WHERE device_id = ANY(%s)", [device_ids])
        return cr.fetchone()[0]


def measure_alarms(conn, port, alarm_devices, times, results, *, workorder=False):
    """Publish a reading above the threshold at the given times; poll for the committed work
    order created from the alarm (``workorder``), or for the committed alarm."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-alarm", protocol=mqtt.MQTTv5)
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        for at, (device_id, identifier) in zip(times, alarm_devices, strict=False):
            time.sleep(max(0.0, at - time.monotonic()))
            payload = json.dumps({"ts": harness.iso_now(), "seq": 1, "values": {"temperature": 80.0}})
            sent = time.perf_counter()
            client.publish(f"property/BENCH/{identifier}/telemetry", payload, qos=1)
            deadline = sent + 30
            while time.perf_counter() < deadline:
                with conn.cursor() as cr:
                    if workorder:
                        cr.execute(
                            """SELECT 1 FROM property_iot_alarm a
                                 JOIN property_request r ON r.id = a.request_id AND r.iot_alarm_id = a.id
                                WHERE a.device_id = %s AND r.source = 'iot'""",
                            [device_id],
                        )
                    else:
                        cr.execute("SELECT 1 FROM property_iot_alarm WHERE device_id = %s", [device_id])
                    if cr.fetchone():
                        results.append((time.perf_counter() - sent) * 1000)
                        break
                time.sleep(0.005)
            else:
                results.append(float("inf"))
    finally:
        client.disconnect()
        client.loop_stop()


def naive_path(registry, device_id, n):
    """One ORM create and one commit per message, as a naive bridge would do."""
    from odoo import SUPERUSER_ID, api

    from odoo.addons.property_iot.services import schema

    now = datetime.now(UTC)
    messages = [
        json.dumps(
            {
                "ts": now.replace(microsecond=i % 1000000).isoformat(),
                "seq": i,
                "values": {"temperature": 21.0},
            }
        )
        for i in range(n)
    ]
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Reading = env["property.iot.reading"]
        for i, payload in enumerate(messages):
            parsed = schema.parse("property/BENCH/bench-naive/telemetry", payload.encode())
            Reading.create(
                {
                    "device_id": device_id,
                    "ts": parsed.ts,
                    "seq": i,
                    "msg_type": "telemetry",
                    "metric": "temperature",
                    "value": parsed.values["temperature"],
                }
            )
            cr.commit()
    return n / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100000)
    parser.add_argument("--publishers", type=int, default=4)
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument(
        "--rate",
        type=int,
        default=10500,
        help="total publish rate, messages/s: sustained load above the goal (0: burst)",
    )
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--batch-ms", type=int, default=100)
    parser.add_argument("--naive", type=int, default=2000)
    parser.add_argument(
        "--capacity", type=int, default=60000, help="readings of the burst measuring the capacity (0: none)"
    )
    parser.add_argument("--workers", type=int, default=2, help="bridge processes (shared subscription)")
    parser.add_argument("--kill", action="store_true", help="SIGKILL and restart the bridge mid-run")
    parser.add_argument("--db", default="bench_iot")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a database kept by --keep")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-iot-")
    odoo_src, conf = odoo_setup(workdir)
    print(f"[bench] load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    started = time.perf_counter()
    reuse = (
        args.reuse
        and not subprocess.run(
            ["psql", "-d", args.db, "-c", "SELECT 1"], capture_output=True, check=False
        ).returncode
    )
    if not reuse:
        create_database(conf, args.db, odoo_src, bench_modules())
        print(f"[bench] database {args.db} created in {time.perf_counter() - started:.0f} s", flush=True)

    import psycopg2

    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(conf), "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    if reuse:
        device_ids, alarm_devices, naive_device = reuse_devices(registry, args.devices)
    else:
        device_ids, alarm_devices, naive_device = setup_devices(registry, args.devices, 5)
    identifiers = [f"bench-t-{i:05d}" for i in range(args.devices)]

    broker = harness.Broker()
    bridge = harness.BridgeProcess(
        f"{odoo_src}/odoo-bin",
        conf,
        args.db,
        port=broker.port,
        client_id="bench-bridge",
        addons_path=addons_path(conf),
        extra=[
            "--batch-size",
            str(args.batch_size),
            "--batch-ms",
            str(args.batch_ms),
            "--workers",
            str(args.workers),
        ],
        log_path=f"{workdir}/bridge.log",
    )
    runner = JobRunner(odoo_src, conf, args.db, f"{workdir}/odoo.log")
    conn = psycopg2.connect(dbname=args.db)
    conn.autocommit = True
    workorder = has_workorder_bridge(conn)
    print(
        f"[bench] alarm → {'work order (property_iot_workorder)' if workorder else 'alarm hook'}", flush=True
    )
    try:
        runner.start()
        bridge.start().wait_subscribed(workers=args.workers)
        print(
            f"[bench] broker on port {broker.port}, bridge subscribed (log {bridge.log_path}), "
            f"job runner on port {runner.port} (log {runner.log_path})",
            flush=True,
        )
        per_publisher = args.messages // args.publishers
        publishers = [
            harness.RawPublisher(
                broker.port,
                [("BENCH", identifier) for identifier in identifiers[p :: args.publishers]],
                per_publisher,
                rate=args.rate / args.publishers if args.rate else 0,
                client_id=f"bench-pub-{p}",
                value=lambda _seq: 21.0,  # a steady temperature: no rate-of-change alarm
            )
            for p in range(args.publishers)
        ]
        total = per_publisher * args.publishers
        expected = total / args.rate if args.rate else total / 20000
        t0 = time.monotonic()
        alarm_latencies = []
        alarm_thread = threading.Thread(
            target=measure_alarms,
            args=(
                psycopg2.connect(dbname=args.db),
                broker.port,
                alarm_devices,
                [t0 + expected * f for f in (0.1, 0.3, 0.5, 0.7, 0.9)],
                alarm_latencies,
            ),
            kwargs={"workorder": workorder},
            daemon=True,
        )
        alarm_thread.start()
        cpu_before = cpu_snapshot(conn, args.db, bridge, broker, runner)
        publish_started = time.perf_counter()
        for publisher in publishers:
            publisher.start()
        if args.kill:
            while count_stored(conn, device_ids) < total * 0.4:
                time.sleep(0.05)
            bridge.kill()
            print(
                f"[bench] bridge SIGKILLed at {count_stored(conn, device_ids)} stored; restarting", flush=True
            )
            bridge.mark().start().wait_subscribed(workers=args.workers)
        for publisher in publishers:
            publisher.join()
        acked = sum(p.wait_acked() for p in publishers)
        publish_seconds = time.perf_counter() - publish_started
        print(
            f"[bench] published {total} ({acked} acknowledged by the broker) in {publish_seconds:.1f} s "
            f"= {total / publish_seconds:.0f}/s",
            flush=True,
        )
        deadline = time.monotonic() + 300
        stored = 0
        while time.monotonic() < deadline:
            stored = count_stored(conn, device_ids)
            if stored >= acked:
                break
            time.sleep(0.2)
        cpu_main = cpu_per_message(cpu_before, cpu_snapshot(conn, args.db, bridge, broker, runner), total)
        alarm_thread.join(60)
        with conn.cursor() as cr:
            cr.execute(
                """SELECT count(*), count(DISTINCT batch_id),
                          extract(epoch FROM max(stored_at) - min(stored_at)),
                          percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - ts)),
                          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - ts))
                     FROM property_iot_reading WHERE device_id = ANY(%s)""",
                [device_ids],
            )
            stored, batches, span, p99, p50 = cr.fetchone()
            cr.execute("SELECT count(*) FROM property_iot_quarantine")
            quarantined = cr.fetchone()[0]
        for publisher in publishers:
            publisher.close()
        per_second = stored / span if span else 0.0
        lost = acked - stored
        capacity_per_second = per_second if not args.rate else float("nan")
        if args.rate and args.capacity:
            with conn.cursor() as cr:
                cr.execute("SELECT coalesce(max(id), 0) FROM property_iot_reading")
                since_id = cr.fetchone()[0]
            cpu_before = cpu_snapshot(conn, args.db, bridge, broker, runner)
            burst_started = time.perf_counter()
            burst_acked = publish_burst(
                broker.port, identifiers, args.capacity, args.publishers, start_seq=args.messages
            )
            print(
                f"[bench] burst: published {burst_acked} in {time.perf_counter() - burst_started:.1f} s",
                flush=True,
            )
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and capacity(conn, device_ids, since_id)[0] < burst_acked:
                time.sleep(0.2)
            burst_stored, capacity_per_second = capacity(conn, device_ids, since_id)
            cpu_burst = cpu_per_message(
                cpu_before, cpu_snapshot(conn, args.db, bridge, broker, runner), max(burst_stored, 1)
            )
            print(f"[bench] CPU µs per message, burst: {format_cpu(cpu_burst)}", flush=True)
            lost += burst_acked - burst_stored
            print(
                f"[bench] capacity (burst of {burst_acked}): {burst_stored} stored, {capacity_per_second:.0f}/s",
                flush=True,
            )
        bridge.stop()
        alarm_ms = max(alarm_latencies) if alarm_latencies else float("nan")
        print(
            f"[bench] stored {stored} readings in {batches} batches over {span:.1f} s; "
            f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms; quarantined {quarantined}",
            flush=True,
        )
        print(
            f"[bench] CPU µs per message, main run: {format_cpu(cpu_main)}"
            + (" (bridge figure not comparable: killed and restarted)" if args.kill else ""),
            flush=True,
        )
        print(
            f"[bench] alarm → {'work order' if workorder else '_on_raised'} committed (ms): "
            + ", ".join(f"{v:.0f}" for v in alarm_latencies),
            flush=True,
        )
        naive = naive_path(registry, naive_device, args.naive)
        print(
            f"[bench] naive path (one ORM create + commit per message): {naive:.0f}/s on {args.naive}",
            flush=True,
        )
        load = os.getloadavg()[0]
        print(f"[bench] load average after: {load:.2f}", flush=True)
    finally:
        bridge.stop()
        runner.stop()
        broker.stop()
        conn.close()
        if not args.keep:
            odoo.sql_db.close_db(args.db)
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    print(
        f"RESULT iot_ingest messages={total} per_second={per_second:.0f} p99_ms={p99 * 1000:.0f} "
        f"lost={lost} alarm_to_workorder_ms={alarm_ms:.0f} naive_per_second={naive:.0f} "
        f"capacity_per_second={capacity_per_second:.0f} bridge_cpu_us={cpu_main['bridge']:.0f} "
        f"load={load:.1f}"
    )


if __name__ == "__main__":
    main()
