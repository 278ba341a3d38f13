from datetime import timedelta

from odoo import fields
from odoo.tests import freeze_time, tagged

from odoo.addons.property_iot.tests.common import NOW

from .common import IotAssetCommon


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestUsagePlans(IotAssetCommon):
    def hours(self, value, minutes_ago):
        return self.ingest(
            self.telemetry(self.controller, {"running_hours": value}, ts=NOW - timedelta(minutes=minutes_ago))
        )

    def test_usage_counter_generates_plan_request_once(self):
        self.hours(100.0, 180)
        readings = self.counter_readings()
        self.assertEqual(readings.mapped("value"), [100.0])
        self.assertEqual(readings.source, "iot")
        self.assertEqual(readings.date, NOW - timedelta(minutes=180))
        self.assertEqual(self.elevator.running_hours, 100.0)
        # ten minutes later, below the next threshold: not worth a reading yet
        self.hours(130.0, 170)
        self.assertEqual(len(self.counter_readings()), 1)
        self.assertFalse(self.plan_requests())
        # the threshold of 500 h is crossed: recorded at once, and the plan's request is created
        self.hours(520.0, 160)
        self.assertEqual(self.counter_readings().mapped("value"), [100.0, 520.0])
        request = self.plan_requests()
        self.assertEqual(len(request), 1)
        self.assertEqual(request.plan_due_usage, 500.0)
        self.assertEqual(request.plan_due_date, fields.Date.to_date(NOW))
        self.assertEqual(request.equipment_id, self.elevator)
        # further values, inside and after the interval, make no second request for 500 h
        self.hours(530.0, 150)
        self.hours(610.0, 30)
        self.assertEqual(self.counter_readings().mapped("value"), [100.0, 520.0, 610.0])
        counter = self.env["property.iot.usage.counter"].search([("device_id", "=", self.controller.id)])
        counter.filtered(lambda c: c.counter_type == "running_hours")._on_usage_updated()
        self.assertEqual(len(self.counter_readings()), 3, "replaying the hook records nothing new")
        self.assertEqual(len(self.plan_requests()), 1)
        self.assertEqual(self.elevator.running_hours, 610.0)

    def test_cycles_and_controller_reset(self):
        self.ingest(
            self.telemetry(
                self.controller, {"cycles": 12000.0, "running_hours": 40.0}, ts=NOW - timedelta(hours=3)
            )
        )
        self.assertEqual(self.counter_readings("cycles").mapped("value"), [12000.0])
        self.assertEqual(self.elevator.cycle_count, 12000.0)
        # a controller reset reports a lower value: the equipment's counter never goes back
        self.ingest(self.telemetry(self.controller, {"cycles": 5.0}, ts=NOW - timedelta(hours=1)))
        self.assertEqual(self.counter_readings("cycles").mapped("value"), [12000.0])
        self.assertEqual(self.elevator.cycle_count, 12000.0)
        self.assertFalse(self.plan_requests())
