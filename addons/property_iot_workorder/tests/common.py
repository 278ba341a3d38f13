from odoo.addons.property_iot.tests.common import IotTestCommon


class IotWorkorderCommon(IotTestCommon):
    """The devices of property_iot's test data, with a smoke rule (critical), an over-temperature
    rule (high) and an elevator fault rule; work-order categories from property_workorder's data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["property.iot.rule"]
        cls.rule_smoke = Rule.create(
            {
                "name": "烟感报警",
                "rule_type": "event",
                "device_kind": "smoke_detector",
                "event_name": "smoke",
                "severity": "critical",
            }
        )
        cls.rule_hot = Rule.create(
            {
                "name": "配电房过热",
                "rule_type": "threshold",
                "device_kind": "temperature_sensor",
                "metric": "temperature",
                "operator": "above",
                "threshold": 40.0,
                "severity": "high",
                "is_request_resolving_alarm": True,
            }
        )
        cls.rule_elevator = Rule.create(
            {
                "name": "电梯故障",
                "rule_type": "event",
                "device_kind": "elevator_controller",
                "event_name": "fault",
                "severity": "medium",
            }
        )
        ref = cls.env.ref
        cls.category_other = ref("property_workorder.request_category_other")
        cls.category_electrical = ref("property_workorder.request_category_electrical")
        cls.category_elevator = ref("property_workorder.request_category_elevator")
        cls.category_plumbing = ref("property_workorder.request_category_plumbing")
        cls.category_fire_safety = ref("property_workorder.request_category_fire_safety")
        cls.category_doors_locks = ref("property_workorder.request_category_doors_locks")
        cls.Request = cls.env["property.request"]
        cls.Alarm = cls.env["property.iot.alarm"]

    def iot_requests(self):
        return self.Request.search([("source", "=", "iot")])
