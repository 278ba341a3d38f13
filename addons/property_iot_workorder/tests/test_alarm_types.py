from datetime import timedelta

from odoo import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.property_iot.tests.common import NOW
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import IotWorkorderCommon


@tagged("post_install", "-at_install")
class TestAlarmTypes(IotWorkorderCommon):
    """Device alarms become work orders of the category of their alarm type (data), and are
    dispatched on creation when a team covers that category in the device's estate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["property.iot.rule"]
        cls.rule_leak = Rule.create(
            {
                "name": "漏水报警",
                "rule_type": "event",
                "device_kind": "leak_sensor",
                "event_name": "leak",
                "severity": "high",
            }
        )
        cls.rule_smoke_tamper = Rule.create(
            {
                "name": "烟感被拆",
                "rule_type": "event",
                "device_id": cls.smoke.id,
                "event_name": "tamper",
                "severity": "medium",
            }
        )

    def request_of(self, device):
        return self.Alarm.search([("device_id", "=", device.id)]).request_id

    def test_alarm_types_map_to_categories(self):
        self.ingest(
            self.message(self.smoke, "event", event="smoke", active=True),
            self.message(self.leak, "event", event="leak", active=True),
            self.message(self.controller, "event", event="fault", active=True),
            self.telemetry(self.temp, {"temperature": 48.0}),
        )
        self.assertEqual(self.request_of(self.smoke).category_id, self.category_fire_safety)
        self.assertEqual(self.request_of(self.leak).category_id, self.category_plumbing)
        self.assertEqual(self.request_of(self.controller).category_id, self.category_elevator)
        self.assertEqual(self.request_of(self.temp).category_id, self.category_electrical)
        # a tampered smoke detector is an intrusion, not a fire
        alarm = self.Alarm.search([("rule_id", "=", self.rule_smoke_tamper.id)])
        self.assertFalse(alarm)
        self.ingest(
            self.message(self.smoke, "event", event="tamper", active=True, ts=NOW + timedelta(seconds=5))
        )
        alarm = self.Alarm.search([("rule_id", "=", self.rule_smoke_tamper.id)])
        self.assertEqual(alarm._get_alarm_type_code(), "intrusion")
        self.assertEqual(alarm.request_id.category_id, self.category_doors_locks)
        self.assertNotIn(self.category_other, self.iot_requests().category_id, "no alarm is 'other'")

    def test_every_alarm_type_has_a_category(self):
        types = self.env["property.iot.alarm.type"].search([])
        expected = {
            "smoke",
            "fire",
            "gas",
            "water_leak",
            "elevator_trapped",
            "intrusion",
            "door",
            "power",
            "offline",
        }
        self.assertLessEqual(expected, set(types.mapped("code")))
        self.assertTrue(all(types.mapped("category_id")))
        self.assertNotIn(self.category_other, types.category_id)
        fire = types.filtered(lambda t: t.code in ("smoke", "fire")).category_id
        self.assertEqual(fire, self.category_fire_safety)
        self.assertEqual(self.category_fire_safety.with_context(lang="en_US").name, "Fire Safety")

    def test_mapping_is_data(self):
        self.env.ref("property_iot_workorder.alarm_type_smoke").category_id = self.category_electrical
        self.ingest(self.message(self.smoke, "event", event="smoke", active=True))
        self.assertEqual(self.request_of(self.smoke).category_id, self.category_electrical)

    def test_covered_alarm_is_dispatched_on_creation(self):
        team = self.env["property.service.team"].create(
            {
                "name": "翠湖花园消防组",
                "estate_id": self.estate_a.id,
                "category_ids": [Command.set(self.category_fire_safety.ids)],
            }
        )
        fireman = self.env["hr.employee"].create(
            {
                "name": "消防员老孙",
                "is_property_technician": True,
                "property_team_id": team.id,
                "property_category_ids": [Command.set(self.category_fire_safety.ids)],
            }
        )
        self.ingest(
            self.message(self.smoke, "event", event="smoke", active=True),
            self.message(self.leak, "event", event="leak", active=True),
        )
        smoke = self.request_of(self.smoke)
        self.assertEqual(
            (smoke.state, smoke.technician_id, smoke.dispatch_mode), ("assigned", fireman, "auto")
        )
        # nobody covers plumbing in estate A: the leak waits for triage, assigned to nobody
        leak = self.request_of(self.leak)
        self.assertEqual((leak.state, leak.technician_id.id, leak.needs_triage), ("new", False, True))

    def test_never_reported_devices_do_not_go_offline(self):
        rule = self.env["property.iot.rule"].create(
            {"name": "离线", "rule_type": "offline", "device_kind": "smoke_detector", "offline_minutes": 30}
        )
        leak_offline = self.env["property.iot.rule"].create(
            {"name": "漏水离线", "rule_type": "offline", "device_kind": "leak_sensor", "offline_minutes": 30}
        )
        self.ingest(self.message(self.smoke, "event", event="tamper", active=False))
        with freeze_time(NOW + timedelta(days=2)), trap_jobs() as trap:
            self.env["property.iot.device"]._cron_check_offline()
            trap.perform_enqueued_jobs()
        self.assertFalse(
            self.Alarm.search([("rule_id", "=", leak_offline.id)]), "the leak sensor never reported"
        )
        self.assertNotEqual(self.leak.status, "online")
        alarm = self.Alarm.search([("rule_id", "=", rule.id)])
        self.assertEqual(alarm.device_id, self.smoke, "the smoke detector reported, then went silent")
        self.assertEqual(alarm._get_alarm_type_code(), "offline")
        self.assertEqual(alarm.request_id.category_id, self.category_electrical)
