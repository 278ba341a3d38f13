import json
from datetime import datetime, timedelta

from odoo.addons.property_base.tests.common import PropertyTestCommon
from odoo.addons.property_iot.services.ingest import IngestProcessor, Message
from odoo.addons.queue_job.tests.common import trap_jobs

# tests never depend on the clock: messages are dated around NOW and parsed against it
NOW = datetime(2026, 3, 10, 8, 0, 0)


def iso(ts):
    return ts.isoformat() + "Z"


class IotTestCommon(PropertyTestCommon):
    """Devices of every kind in estates A and B, and an in-process ingest processor that
    stores batches in the test transaction (the bridge does the same, then commits)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Device = cls.env["property.iot.device"]
        cls.elevator = cls.env["maintenance.equipment"].create({"name": "3号楼1号电梯"})
        common = {"estate_id": cls.estate_a.id, "building_id": cls.building_a.id}
        cls.temp = Device.create(
            {**common, "name": "配电房温湿度", "identifier": "t-temp-1", "kind": "temperature_sensor"}
        )
        cls.smoke = Device.create(
            {**common, "name": "大堂烟感", "identifier": "t-smoke-1", "kind": "smoke_detector"}
        )
        cls.leak = Device.create(
            {**common, "name": "水泵房漏水", "identifier": "t-leak-1", "kind": "leak_sensor"}
        )
        cls.controller = Device.create(
            {
                **common,
                "name": "1号电梯控制器",
                "identifier": "t-elev-1",
                "kind": "elevator_controller",
                "equipment_id": cls.elevator.id,
            }
        )
        cls.water = Device.create(
            {
                "name": "0502 水表",
                "identifier": "t-wm-1",
                "kind": "water_meter",
                "estate_id": cls.estate_a.id,
                "unit_id": cls.unit_a.id,
            }
        )
        cls.power = Device.create(
            {
                "name": "0502 电表",
                "identifier": "t-em-1",
                "kind": "electricity_meter",
                "estate_id": cls.estate_a.id,
                "unit_id": cls.unit_a.id,
            }
        )
        cls.temp_b = Device.create(
            {
                "name": "锦悦府温湿度",
                "identifier": "t-temp-b",
                "kind": "temperature_sensor",
                "estate_id": cls.estate_b.id,
                "building_id": cls.building_b.id,
            }
        )
        # the default rules of the data file apply to these kinds too; tests use their own
        cls.env["property.iot.rule"].search([]).active = False

    def setUp(self):
        super().setUp()
        self.processor = IngestProcessor()
        self.seq = 0

    def message(self, device, channel="telemetry", ts=None, estate_code=None, **payload):
        """A Message as the bridge receives it. ``payload`` keys: values, event, active, status."""
        self.seq += 1
        body = {"ts": iso(ts or NOW), "seq": self.seq, **payload}
        topic = f"property/{estate_code or device.estate_id.code}/{device.identifier}/{channel}"
        return Message(topic, json.dumps(body).encode())

    def telemetry(self, device, values, ts=None):
        return self.message(device, values=values, ts=ts)

    def ingest(self, *messages, now=NOW, run_jobs=True):
        """Store a batch as the bridge does; then, as the job runner does after the batch's
        commit, run the jobs it enqueued (the side effects of the alarms it raised)."""
        if not run_jobs:  # the caller traps the jobs
            return self.processor.process(self.env, list(messages), now=now + timedelta(minutes=30))
        with trap_jobs() as trap:
            batch = self.processor.process(self.env, list(messages), now=now + timedelta(minutes=30))
            trap.perform_enqueued_jobs()
        return batch

    def readings(self, device, metric=None):
        domain = [("device_id", "=", device.id)] + ([("metric", "=", metric)] if metric else [])
        return self.env["property.iot.reading"].search(domain, order="ts")
