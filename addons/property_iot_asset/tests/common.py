from odoo.addons.property_iot.tests.common import IotTestCommon


class IotAssetCommon(IotTestCommon):
    """property_iot's elevator and its controller, with a usage plan every 500 running hours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kind_usage = cls.env["maintenance.kind"].create({"name": "运行小时保养 test"})
        cls.plan = cls.env["maintenance.plan"].create(
            {
                "name": "电梯 500 小时保养",
                "equipment_id": cls.elevator.id,
                "maintenance_kind_id": cls.kind_usage.id,
                "trigger_type": "usage",
                "counter_type": "running_hours",
                "usage_interval": 500.0,
                "lead_days": 0,
            }
        )
        cls.CounterReading = cls.env["property.equipment.counter.reading"]

    def plan_requests(self):
        return self.env["maintenance.request"].search([("maintenance_plan_id", "=", self.plan.id)])

    def counter_readings(self, counter_type="running_hours"):
        return self.CounterReading.search(
            [("equipment_id", "=", self.elevator.id), ("counter_type", "=", counter_type)], order="date"
        )
