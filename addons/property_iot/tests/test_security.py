from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.property_base.tests.common import AttackerMixin

from .common import IotTestCommon


@tagged("post_install", "-at_install")
class TestIotSecurity(AttackerMixin, IotTestCommon):
    def test_estate_scoping(self):
        self.ingest(
            self.telemetry(self.temp, {"temperature": 20.0}),
            self.telemetry(self.temp_b, {"temperature": 20.0}),
        )
        Device = self.env["property.iot.device"]
        mine = Device.with_user(self.user_technician).search([("identifier", "in", ("t-temp-1", "t-temp-b"))])
        self.assertEqual(mine, self.temp)
        readings = (
            self.env["property.iot.reading"]
            .with_user(self.user_technician)
            .search([("device_id", "in", (self.temp | self.temp_b).ids)])
        )
        self.assertEqual(readings.device_id, self.temp)
        both = Device.with_user(self.user_manager).search([("identifier", "in", ("t-temp-1", "t-temp-b"))])
        self.assertEqual(both, self.temp | self.temp_b)
        with self.assertRaises(AccessError):
            self.temp_b.with_user(self.user_technician).read(["name"])
        with self.assertRaises(AccessError):
            Device.with_user(self.user_internal).search([])

    def test_rule_configuration_rights(self):
        vals = {
            "name": "过热",
            "rule_type": "threshold",
            "device_kind": "temperature_sensor",
            "metric": "temperature",
            "threshold": 40,
        }
        with self.assertRaises(AccessError):
            self.env["property.iot.rule"].with_user(self.user_technician).create(vals)
        rule = self.env["property.iot.rule"].with_user(self.user_manager).create(vals)
        self.assertEqual(rule.company_id, self.env.company)
        with self.assertRaises(AccessError):
            self.env["property.iot.quarantine"].with_user(self.user_technician).search([])
        with self.assertRaises(AccessError):
            self.env["property.iot.device"].with_user(self.user_technician).create(
                {"name": "x", "identifier": "t-x", "kind": "leak_sensor", "estate_id": self.estate_a.id}
            )

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "另一物业公司"})
        estate = self.env["property.estate"].create({"name": "远方花园", "code": "Z", "company_id": other.id})
        device = self.env["property.iot.device"].create(
            {"name": "远方烟感", "identifier": "t-z-smoke", "kind": "smoke_detector", "estate_id": estate.id}
        )
        self.assertEqual(device.company_id, other)
        found = (
            self.env["property.iot.device"]
            .with_user(self.user_manager)
            .search([("identifier", "=", "t-z-smoke")])
        )
        self.assertFalse(found, "the manager's company does not include the other company")

    def test_rules_of_other_estates(self):
        Rule = self.env["property.iot.rule"]
        vals = {"rule_type": "threshold", "metric": "temperature", "threshold": 40}
        rule_a = Rule.create({**vals, "name": "翠湖过热", "device_id": self.temp.id})
        rule_b = Rule.create({**vals, "name": "锦悦府过热", "device_id": self.temp_b.id})
        company_wide = Rule.create({**vals, "name": "过热", "device_kind": "temperature_sensor"})
        self.assertEqual(
            (rule_a.estate_id, rule_b.estate_id, company_wide.estate_id.id),
            (self.estate_a, self.estate_b, False),
        )
        staff = self.user_frontdesk | self.user_technician | self.user_accountant | self.user_guard
        for user in staff:
            with self.subTest(user=user.login):
                visible = Rule.with_user(user).search([("id", "in", (rule_a | rule_b | company_wide).ids)])
                self.assertEqual(visible, rule_a | company_wide)
                with self.assertRaises(AccessError):
                    rule_b.with_user(user).read(["threshold"])
        self.assertEqual(
            Rule.with_user(self.user_manager).search([("id", "in", (rule_a | rule_b).ids)]), rule_a | rule_b
        )
        self.ingest(self.telemetry(self.temp_b, {"temperature": 20.0}))
        checked = self.assert_estate_isolated(staff, self.estate_b)
        self.assertLessEqual({"property.iot.device", "property.iot.rule"}, checked)
