from datetime import timedelta

from odoo.tests import freeze_time, tagged

from odoo.addons.property_iot.tests.common import NOW
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import IotSecurityCommon


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestSecurityAlarms(IotSecurityCommon):
    def test_smoke_event_raises_security_alarm_and_incident(self):
        self.ingest(self.message(self.smoke, "event", event="smoke", active=True))
        iot_alarm = self.IotAlarm.search([("device_id", "=", self.smoke.id)])
        alarm = self.security_alarms()
        self.assertEqual(len(alarm), 1)
        self.assertEqual(iot_alarm.security_alarm_id, alarm)
        self.assertEqual(alarm.source, "device")
        self.assertEqual(alarm.alarm_type, "fire")
        self.assertEqual(alarm.device_kind, "smoke")
        self.assertEqual(alarm.device_ref, self.smoke.identifier)
        self.assertEqual(alarm.estate_id, self.estate_a)
        self.assertEqual(alarm.building_id, self.building_a)
        self.assertEqual(alarm.area, self.smoke.name)
        self.assertEqual(alarm.date_raised, NOW)
        self.assertEqual(alarm.state, "raised")
        incident = alarm.incident_id
        self.assertTrue(incident, "property_security opens an incident with every alarm")
        self.assertEqual(iot_alarm.security_incident_id, incident)
        self.assertEqual(incident.alarm_type, "fire")
        self.assertEqual(incident.estate_id, self.estate_a)

    def test_repeated_smoke_is_deduplicated(self):
        self.ingest(self.message(self.smoke, "event", event="smoke", active=True))
        self.ingest(
            self.message(self.smoke, "event", event="smoke", active=True, ts=NOW + timedelta(seconds=30))
        )
        self.assertEqual(len(self.security_alarms()), 1)
        self.assertEqual(self.IotAlarm.search([("device_id", "=", self.smoke.id)]).occurrence_count, 2)
        # the smoke clears (the IoT alarm resolves) and comes back while the guards still handle
        # the first security alarm: a new IoT alarm, but the same security alarm and incident
        self.ingest(
            self.message(self.smoke, "event", event="smoke", active=False, ts=NOW + timedelta(minutes=1))
        )
        self.ingest(
            self.message(self.smoke, "event", event="smoke", active=True, ts=NOW + timedelta(minutes=2))
        )
        iot_alarms = self.IotAlarm.search([("device_id", "=", self.smoke.id)])
        self.assertEqual(len(iot_alarms), 2)
        alarm = self.security_alarms()
        self.assertEqual(len(alarm), 1)
        self.assertEqual(iot_alarms.security_alarm_id, alarm)
        self.assertEqual(
            self.env["property.security.incident"].search_count([("estate_id", "=", self.estate_a.id)]), 1
        )

    def test_leak_forced_door_and_other_alarms(self):
        self.ingest(
            self.message(self.leak, "event", event="leak", active=True),
            self.message(self.door, "event", event="door_forced", active=True),
            self.telemetry(self.temp, {"temperature": 55.0}),
        )
        self.assertEqual(len(self.IotAlarm.search([])), 3)
        alarms = self.security_alarms()
        by_ref = {alarm.device_ref: alarm for alarm in alarms}
        self.assertEqual(set(by_ref), {self.leak.identifier, self.door.identifier})
        self.assertEqual(by_ref[self.leak.identifier].alarm_type, "leak")
        self.assertEqual(by_ref[self.door.identifier].alarm_type, "intrusion")
        self.assertEqual(by_ref[self.door.identifier].device_kind, "forced_door")
        self.assertTrue(all(alarms.mapped("incident_id")))

    def test_incident_is_opened_by_the_job_after_the_batch(self):
        with trap_jobs() as trap:
            self.ingest(self.message(self.leak, "event", event="leak", active=True), run_jobs=False)
            iot_alarm = self.IotAlarm.search([("device_id", "=", self.leak.id)])
            self.assertTrue(iot_alarm)
            self.assertFalse(self.security_alarms(), "no safety incident inside the batch")
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        self.assertEqual(iot_alarm.security_alarm_id, self.security_alarms())
        self.assertTrue(iot_alarm.security_incident_id)

    def test_security_alarm_note_in_the_company_language(self):
        """The bridge writes with no language: the guards read the note in the company's."""
        self.use_chinese(self.env["res.users"], ["property_iot", "property_iot_security"])
        self.assertFalse(self.env.context.get("lang"))
        self.env.company.partner_id.lang = "zh_CN"
        self.ingest(self.message(self.smoke, "event", event="smoke", active=True))
        note = self.security_alarms().note
        self.assertIn("物联网告警", note)
        self.assertNotIn("IoT alarm", note)
        self.env.company.partner_id.lang = "en_US"
        self.ingest(self.message(self.leak, "event", event="leak", active=True))
        note = self.security_alarms().filtered(lambda a: a.device_ref == self.leak.identifier).note
        self.assertIn("IoT alarm", note)
