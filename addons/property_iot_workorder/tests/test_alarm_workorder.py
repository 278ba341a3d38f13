from datetime import timedelta

from odoo.tests import new_test_user, tagged

from odoo.addons.property_iot.tests.common import NOW
from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import IotWorkorderCommon


@tagged("post_install", "-at_install")
class TestAlarmWorkorder(IotWorkorderCommon):
    def test_smoke_alarm_creates_one_work_order(self):
        self.ingest(self.message(self.smoke, "event", event="smoke", active=True))
        alarm = self.Alarm.search([("device_id", "=", self.smoke.id)])
        self.assertEqual(len(alarm), 1)
        request = self.iot_requests()
        self.assertEqual(len(request), 1)
        self.assertEqual(alarm.request_id, request)
        self.assertEqual(request.iot_alarm_id, alarm)
        self.assertEqual(request.source, "iot")
        self.assertEqual(request.origin, alarm.name)
        # a smoke alarm is a fire-safety (消防) work order, never "other" (issue #15)
        self.assertEqual(request.category_id, self.category_fire_safety)
        self.assertNotEqual(request.category_id, self.category_other)
        self.assertEqual(request.priority, "3", "a critical alarm is an urgent work order")
        self.assertEqual(request.estate_id, self.estate_a)
        self.assertEqual(request.building_id, self.building_a)
        self.assertFalse(request.unit_id)
        self.assertEqual(request.common_area, self.smoke.name)
        self.assertEqual(request.company_id, self.smoke.company_id)
        self.assertEqual(request.state, "new")
        self.assertIn(self.smoke.identifier, request.description)

    def test_repeated_raise_of_open_alarm_is_deduplicated(self):
        self.ingest(self.message(self.smoke, "event", event="smoke", active=True))
        self.ingest(
            self.message(self.smoke, "event", event="smoke", active=True, ts=NOW + timedelta(seconds=10))
        )
        self.ingest(
            self.message(self.smoke, "event", event="smoke", active=True, ts=NOW + timedelta(seconds=20))
        )
        alarm = self.Alarm.search([("device_id", "=", self.smoke.id)])
        self.assertEqual(len(alarm), 1)
        self.assertEqual(alarm.occurrence_count, 3)
        self.assertEqual(len(self.iot_requests()), 1)
        # calling the hook again on an alarm that has its work order creates nothing
        alarm._on_raised()
        self.assertEqual(len(self.iot_requests()), 1)

    def test_category_and_priority_from_kind_and_rule(self):
        self.ingest(
            self.telemetry(self.temp, {"temperature": 48.0}),
            self.message(self.controller, "event", event="fault", active=True),
        )
        hot = self.Alarm.search([("rule_id", "=", self.rule_hot.id)]).request_id
        fault = self.Alarm.search([("rule_id", "=", self.rule_elevator.id)]).request_id
        self.assertEqual((hot.category_id, hot.priority), (self.category_electrical, "2"))
        self.assertEqual((fault.category_id, fault.priority), (self.category_elevator, "1"))
        # the rule's category wins over the device kind's
        self.rule_hot.request_category_id = self.category_plumbing
        self.ingest(self.telemetry(self.temp_b, {"temperature": 50.0}))
        other = self.Alarm.search([("device_id", "=", self.temp_b.id)]).request_id
        self.assertEqual(other.category_id, self.category_plumbing)
        self.assertEqual(other.estate_id, self.estate_b)

    def test_rule_without_work_order(self):
        self.rule_smoke.is_creating_request = False
        self.ingest(self.message(self.smoke, "event", event="smoke", active=True))
        self.assertTrue(self.Alarm.search([("device_id", "=", self.smoke.id)]))
        self.assertFalse(self.iot_requests())

    def test_finished_work_order_resolves_alarm_when_configured(self):
        self.ingest(
            self.telemetry(self.temp, {"temperature": 48.0}),
            self.message(self.smoke, "event", event="smoke", active=True),
        )
        hot = self.Alarm.search([("rule_id", "=", self.rule_hot.id)])
        smoke = self.Alarm.search([("rule_id", "=", self.rule_smoke.id)])
        # the technician's steps are property_workorder's business: the hook reacts to "done"
        (hot.request_id | smoke.request_id).write({"state": "done", "done_date": NOW})
        self.assertEqual(hot.state, "resolved")
        self.assertEqual(hot.resolved_by_id, self.env.user)
        self.assertEqual(smoke.state, "raised", "the smoke rule does not resolve with its work order")
        # a new over-temperature is a new alarm, with a new work order
        self.ingest(self.telemetry(self.temp, {"temperature": 49.0}, ts=NOW + timedelta(minutes=5)))
        alarms = self.Alarm.search([("rule_id", "=", self.rule_hot.id)])
        self.assertEqual(len(alarms), 2)
        self.assertEqual(len(alarms.request_id), 2)

    def test_front_desk_sees_the_alarm_of_its_work_order(self):
        self.ingest(self.message(self.smoke, "event", event="smoke", active=True))
        request = self.iot_requests().with_user(self.user_frontdesk)
        self.assertEqual(request.iot_alarm_id.name, self.Alarm.search([]).name)
        self.assertEqual(request.iot_alarm_id.with_user(self.user_frontdesk).request_id, request)
        # estate B's user does not see estate A's work order
        other = new_test_user(self.env, login="t_frontdesk_b", groups="property_base.group_property_user")
        other.property_estate_ids = self.estate_b
        self.assertFalse(self.Request.with_user(other).search([("source", "=", "iot")]))

    def test_alarm_side_effects_are_a_job_after_the_batch(self):
        """The batch raises the alarm and enqueues a job; the work order is created by the job,
        after the batch's commit, so that the acknowledgement of the readings never waits for
        the work order (nor for the classifier it loads)."""
        with trap_jobs() as trap:
            self.ingest(self.message(self.smoke, "event", event="smoke", active=True), run_jobs=False)
            alarm = self.Alarm.search([("device_id", "=", self.smoke.id)])
            self.assertEqual(len(alarm), 1, "the alarm is raised in the batch")
            self.assertFalse(self.iot_requests(), "no work order inside the batch's transaction")
            self.assertFalse(alarm.request_id)
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(
                alarm._job_on_raised,
                properties={"channel": "root.iot_alarm", "identity_key": identity_exact},
            )
            trap.perform_enqueued_jobs()
        request = self.iot_requests()
        self.assertEqual(len(request), 1)
        self.assertEqual(alarm.request_id, request)
        # a job run again (a retry after a failure) creates nothing more
        alarm._job_on_raised()
        self.assertEqual(self.iot_requests(), request)

    def test_alarm_job_is_enqueued_once_per_batch(self):
        with trap_jobs() as trap:
            self.ingest(
                self.message(self.smoke, "event", event="smoke", active=True),
                self.telemetry(self.temp, {"temperature": 48.0}),
                run_jobs=False,
            )
            trap.assert_jobs_count(1)
            self.assertEqual(len(trap.enqueued_jobs[0].recordset), 2, "one job for both alarms")
            trap.perform_enqueued_jobs()
        self.assertEqual(len(self.iot_requests()), 2)

    def test_job_of_deleted_alarm_does_nothing(self):
        with trap_jobs() as trap:
            self.ingest(self.message(self.smoke, "event", event="smoke", active=True), run_jobs=False)
            self.Alarm.search([("device_id", "=", self.smoke.id)]).unlink()
            trap.perform_enqueued_jobs()
        self.assertFalse(self.iot_requests())


@tagged("post_install", "-at_install")
class TestAlarmLanguage(IotWorkorderCommon):
    """The bridge and the job runner write with no language of their own: an alarm and the work
    order it raises read in the language of the company."""

    def setUp(self):
        super().setUp()
        self.use_chinese(self.env["res.users"], ["property_iot", "property_iot_workorder"])
        self.rule_smoke.update_field_translations("name", {"en_US": "Smoke detected", "zh_CN": "检测到烟雾"})
        self.assertFalse(self.env.context.get("lang"), "the bridge's environment has no language")

    def test_chinese_company(self):
        self.env.company.partner_id.lang = "zh_CN"
        self.ingest(self.message(self.smoke, "event", event="smoke", active=True))
        alarm = self.Alarm.search([("device_id", "=", self.smoke.id)])
        self.assertEqual(alarm.name, f"检测到烟雾 – {self.smoke.name}")
        self.assertEqual(alarm.description, "事件：烟雾")
        self.assertIn(f"产生物联网告警 {alarm.name}", alarm.request_id.description)
        self.assertNotIn("IoT alarm", alarm.request_id.description)

    def test_english_company(self):
        self.env.company.partner_id.lang = "en_US"
        self.ingest(self.message(self.smoke, "event", event="smoke", active=True))
        alarm = self.Alarm.search([("device_id", "=", self.smoke.id)])
        self.assertEqual(alarm.name, f"Smoke detected – {self.smoke.name}")
        self.assertEqual(alarm.description, "Event: Smoke")
        self.assertIn(f"IoT alarm {alarm.name} on device", alarm.request_id.description)
