from odoo.addons.property_iot.tests.common import IotTestCommon


class IotSecurityCommon(IotTestCommon):
    """property_iot's test devices plus an access reader, with event rules for smoke, leak and
    forced doors, and an over-temperature rule (no security alarm)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.door = cls.env["property.iot.device"].create(
            {
                "name": "3号楼单元门禁",
                "identifier": "t-door-1",
                "kind": "access_reader",
                "estate_id": cls.estate_a.id,
                "building_id": cls.building_a.id,
            }
        )
        Rule = cls.env["property.iot.rule"]
        event = {"rule_type": "event", "severity": "critical"}
        cls.rule_smoke = Rule.create(
            {**event, "name": "烟感报警", "device_kind": "smoke_detector", "event_name": "smoke"}
        )
        cls.rule_leak = Rule.create(
            {**event, "name": "漏水", "device_kind": "leak_sensor", "event_name": "leak"}
        )
        cls.rule_forced = Rule.create(
            {**event, "name": "门被强行打开", "device_kind": "access_reader", "event_name": "door_forced"}
        )
        cls.rule_hot = Rule.create(
            {
                "name": "配电房过热",
                "rule_type": "threshold",
                "device_kind": "temperature_sensor",
                "metric": "temperature",
                "threshold": 40.0,
            }
        )
        cls.IotAlarm = cls.env["property.iot.alarm"]
        cls.SecurityAlarm = cls.env["property.security.alarm"]

    def security_alarms(self):
        return self.SecurityAlarm.search([("source", "=", "device")])
