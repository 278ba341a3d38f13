import json
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import T0, SecurityTestCommon


@tagged("post_install", "-at_install")
class TestAlarmIncident(SecurityTestCommon):
    def _guard_alarm(self, **kwargs):
        values = {"building": self.building_a, "unit": self.unit_a}
        values.update(kwargs)
        return self.Alarm.with_user(self.user_guard)._raise_from_guard("fire", self.estate_a, **values)

    def test_camera_lookup_by_rule(self):
        with freeze_time(T0):
            alarm = self.Alarm.create(
                {
                    "alarm_type": "intrusion",
                    "estate_id": self.estate_a.id,
                    "building_id": self.building_a.id,
                    "area": "地下车库 B1",
                }
            )
        self.assertEqual(self.estate_a.security_camera_rule, "building_area")
        self.assertEqual(alarm.camera_ids, self.camera_building | self.camera_area | self.camera_estate)
        self.estate_a.security_camera_rule = "building"
        alarm.invalidate_recordset(["camera_ids"])
        self.assertEqual(alarm.camera_ids, self.camera_building | self.camera_estate)
        self.estate_a.security_camera_rule = "area"
        alarm.invalidate_recordset(["camera_ids"])
        self.assertEqual(alarm.camera_ids, self.camera_area | self.camera_estate)
        # another building: its own camera, never another estate's
        other = self.Alarm.create({"alarm_type": "leak", "building_id": self.building_a2.id})
        self.estate_a.security_camera_rule = "building_area"
        self.assertEqual(other.estate_id, self.estate_a)
        self.assertEqual(other.camera_ids, self.camera_other_building | self.camera_estate)
        self.assertNotIn(self.camera_estate_b, other.camera_ids)

    def test_guard_alarm_opens_incident_with_footage(self):
        with freeze_time(T0):
            alarm = self._guard_alarm(area="3号楼大堂")
        self.assertEqual(alarm.source, "guard")
        self.assertEqual(alarm.state, "raised")
        self.assertEqual(alarm.hour_of_day, 10)  # 02:00 UTC is 10:00 in Shanghai
        incident = alarm.incident_id
        self.assertEqual(incident.state, "raised")
        self.assertEqual(incident.unit_id, self.unit_a)
        self.assertEqual(incident.event_ids.mapped("event_type"), ["raised"])
        self.assertEqual(incident.footage_ids.camera_id, self.camera_building | self.camera_estate)
        footage = {f.camera_id: f for f in incident.footage_ids}
        window = footage[self.camera_building]
        self.assertEqual(window.date_from, T0 - timedelta(minutes=5))
        self.assertEqual(window.date_to, T0 + timedelta(minutes=10))
        self.assertEqual(
            window.url,
            "rtsp://10.0.0.11:554/Streaming/Channels/101?starttime=20250310T015500Z&endtime=20250310T021000Z",
        )
        self.assertEqual(
            footage[self.camera_estate].url,
            "https://cloud.vendor.cn/playback?cam=88&from=1741571700&to=1741572600",
        )

    def test_lifecycle_timeline_and_response_times(self):
        with freeze_time(T0) as frozen:
            alarm = self._guard_alarm()
            incident = alarm.incident_id.with_user(self.user_guard)
            with self.assertRaises(UserError):
                incident.action_arrive()  # not dispatched yet
            frozen.tick(timedelta(minutes=2))
            incident.action_dispatch()
            self.assertEqual(incident.state, "dispatched")
            # the guard on shift is sent, not the other guard of the estate
            self.assertEqual(incident.guard_ids, self.user_guard)
            self.assertTrue(
                incident.activity_ids.filtered(lambda a: a.user_id == self.user_guard),
                "the on-duty guard gets an activity",
            )
            self.assertEqual(alarm.state, "acknowledged")
            with self.assertRaises(UserError):
                incident.action_dispatch()
            frozen.tick(timedelta(minutes=6))
            incident.action_arrive()
            frozen.tick(timedelta(minutes=22))
            incident.action_resolve("误报：厨房油烟触发烟感")
            with self.assertRaises(AccessError):
                incident.action_review()  # guards do not review
            incident.with_user(self.user_manager).action_review("处置及时")
        self.assertEqual(incident.state, "reviewed")
        self.assertEqual(alarm.state, "closed")
        self.assertAlmostEqual(incident.dispatch_minutes, 2.0)
        self.assertAlmostEqual(incident.arrival_minutes, 8.0)
        self.assertAlmostEqual(incident.resolution_minutes, 30.0)
        self.assertEqual(
            incident.event_ids.mapped("event_type"),
            ["raised", "dispatched", "on_site", "resolved", "reviewed"],
        )
        self.assertEqual(incident.event_ids[-1].user_id, self.user_manager)
        self.assertEqual(incident.resolution, "误报：厨房油烟触发烟感")
        with self.assertRaises(UserError):
            incident.with_user(self.user_manager).action_resolve()

    def test_dispatch_without_shift_sends_estate_guards(self):
        self.shift.unlink()
        alarm = self._guard_alarm()
        alarm.incident_id.action_dispatch()
        self.assertEqual(alarm.incident_id.guard_ids, self.user_guard | self.user_leader | self.user_guard2)

    def test_device_alarm(self):
        alarm = self.Alarm._raise_from_device(
            {"device_kind": "smoke", "device_ref": "SMK-3-05", "unit_id": self.unit_a.id}
        )
        self.assertEqual((alarm.alarm_type, alarm.source), ("fire", "device"))
        self.assertEqual(alarm.estate_id, self.estate_a)
        again = self.Alarm._raise_from_device(
            {"device_kind": "smoke", "device_ref": "SMK-3-05", "unit_id": self.unit_a.id}
        )
        self.assertEqual(again, alarm, "an open alarm of the same device is not raised twice")
        door = self.Alarm._raise_from_device(
            {
                "device_kind": "forced_door",
                "device_ref": "DOOR-N1",
                "estate_id": self.estate_a.id,
                "area": "北门",
            }
        )
        self.assertEqual(door.alarm_type, "intrusion")

    def test_portal_alarm_checks_household(self):
        alarm = self.Alarm._raise_from_portal(self.owner, self.unit_a, "medical", "老人摔倒")
        self.assertEqual((alarm.source, alarm.partner_id, alarm.unit_id), ("portal", self.owner, self.unit_a))
        self.assertTrue(alarm.incident_id)
        with self.assertRaises(UserError):
            self.Alarm._raise_from_portal(self.owner, self.unit_b, "medical")
        # the resident sees the alarm they raised
        self.assertEqual(self.Alarm.with_user(self.user_resident).search([]), alarm)

    def test_one_click_wizard(self):
        wizard = (
            self.env["property.security.alarm.raise.wizard"]
            .with_user(self.user_guard)
            .create({"estate_id": self.estate_a.id, "unit_id": self.unit_a2.id})
        )
        action = wizard.with_context(alarm_type="elevator").action_raise()
        incident = self.env["property.security.incident"].browse(action["res_id"])
        self.assertEqual((incident.alarm_type, incident.unit_id), ("elevator", self.unit_a2))
        with self.assertRaises(UserError):
            wizard.action_raise()


@tagged("post_install", "-at_install")
class TestEscalation(SecurityTestCommon):
    def test_escalation_levels_once_each(self):
        with freeze_time(T0) as frozen:
            alarm = self.Alarm.create({"alarm_type": "fire", "unit_id": self.unit_a.id})
            other = self.Alarm.create({"alarm_type": "leak", "unit_id": self.unit_a2.id})
            frozen.tick(timedelta(minutes=1))
            other.with_user(self.user_guard).action_acknowledge()
            frozen.tick(timedelta(minutes=3))
            self.Alarm._cron_escalate()
            self.assertEqual(alarm.escalation_level, 0)
            frozen.tick(timedelta(minutes=2))  # 6 minutes
            self.Alarm._cron_escalate()
            self.assertEqual(alarm.escalation_level, 1)
            self.assertEqual(alarm.escalation_ids.user_ids, self.user_leader)
            self.assertTrue(alarm.activity_ids.filtered(lambda a: a.user_id == self.user_leader))
            frozen.tick(timedelta(minutes=1))
            self.Alarm._cron_escalate()
            self.assertEqual(len(alarm.escalation_ids), 1, "level 1 is not escalated twice")
            frozen.tick(timedelta(minutes=10))  # 17 minutes
            self.Alarm._cron_escalate()
            self.Alarm._cron_escalate()
        self.assertEqual(alarm.escalation_level, 2)
        self.assertEqual(alarm.escalation_ids.mapped("level"), [1, 2])
        self.assertEqual(alarm.escalation_ids.filtered(lambda e: e.level == 2).user_ids, self.user_manager)
        self.assertEqual(len(alarm.activity_ids), 2)
        self.assertEqual(alarm.incident_id.event_ids.mapped("event_type").count("escalated"), 2)
        self.assertFalse(other.escalation_ids, "an acknowledged alarm does not escalate")
        # acknowledging closes the escalation activities
        alarm.with_user(self.user_guard).action_acknowledge()
        self.assertFalse(alarm.activity_ids)

    def test_late_cron_reaches_both_levels_at_once(self):
        with freeze_time(T0) as frozen:
            alarm = self.Alarm.create({"alarm_type": "intrusion", "estate_id": self.estate_a.id})
            frozen.tick(timedelta(minutes=30))
            self.assertEqual(self.Alarm._cron_escalate(), 2)
        self.assertEqual(alarm.escalation_ids.mapped("level"), [1, 2])

    def test_rule_per_estate_and_type(self):
        self.rule_l1.write({"estate_id": self.estate_b.id})
        self.rule_l2.write(
            {"alarm_type": "fire", "target": "users", "user_ids": [(6, 0, self.user_admin.ids)]}
        )
        with freeze_time(T0) as frozen:
            leak = self.Alarm.create({"alarm_type": "leak", "estate_id": self.estate_a.id})
            fire = self.Alarm.create({"alarm_type": "fire", "estate_id": self.estate_a.id})
            frozen.tick(timedelta(minutes=20))
            self.Alarm._cron_escalate()
        self.assertFalse(leak.escalation_ids)
        self.assertEqual(fire.escalation_ids.mapped("level"), [2])
        self.assertEqual(fire.escalation_ids.user_ids, self.user_admin)


@tagged("post_install", "-at_install")
class TestAlarmPopup(SecurityTestCommon):
    """An alarm pops up (bus notification) on the screens of its estate's guards on duty and its
    team leader, in each one's language; never on another estate's guards'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_guard_b = new_test_user(
            cls.env, login="t_guard_b", groups="property_base.group_property_security", name="保安赵六"
        )
        cls.user_guard_b.property_estate_ids = cls.estate_b

    def _popups(self):
        """{user: [payload, …]} of the alarm popups sent so far in this transaction."""
        self.env.cr.precommit.run()  # the bus writes its notifications just before the commit
        popups = {}
        for note in self.env["bus.bus"].sudo().search([("message", "like", "property_security/alarm")]):
            _db, model, partner_id = json.loads(note.channel)
            self.assertEqual(model, "res.partner")
            user = self.env["res.users"].search([("partner_id", "=", partner_id)])
            popups.setdefault(user, []).append(json.loads(note.message)["payload"])
        return popups

    def test_resident_alarm_pops_up_for_the_estates_guards_only(self):
        self.use_chinese(self.user_guard, ["property_security"])
        with freeze_time(T0 + timedelta(hours=12)):  # nobody on shift: every guard of the estate
            alarm = self.Alarm._raise_from_portal(self.owner, self.unit_a, "fire", "厨房冒烟")
            popups = self._popups()
        self.assertEqual(set(popups), {self.user_guard, self.user_guard2, self.user_leader})
        self.assertNotIn(self.user_guard_b, popups, "another estate's guard gets nothing")
        zh = popups[self.user_guard][0]
        self.assertEqual((zh["id"], zh["name"]), (alarm.id, alarm.name))
        self.assertEqual(zh["title"], "报警：火灾")
        self.assertEqual(zh["message"], f"翠湖花园 3号楼 0502 · 住户门户 · {alarm.name}")
        self.assertEqual((zh["acknowledge"], zh["button"]), ("确认接警", "查看报警"))
        self.assertEqual(popups[self.user_guard2][0]["title"], "Alarm: Fire", "each in their own language")

    def test_device_alarm_pops_up_for_the_guards_on_duty(self):
        with freeze_time(T0 + timedelta(minutes=1)):
            self.Alarm._raise_from_device(
                {"device_kind": "smoke", "device_ref": "SMK-1-0101", "unit_id": self.unit_b.id}
            )
            self.assertEqual(set(self._popups()), {self.user_guard_b})
            self.env["bus.bus"].sudo().search([]).unlink()
            self.Alarm._raise_from_device(
                {"device_kind": "leak", "device_ref": "LK-3", "unit_id": self.unit_a.id}
            )
            popups = self._popups()
        self.assertEqual(
            set(popups), {self.user_guard, self.user_leader}, "the guard on shift and the team leader"
        )
        self.assertEqual(popups[self.user_guard][0]["message"].split(" · ")[1], "Device")

    def test_burst_of_alarms_looks_recipients_up_once_per_estate(self):
        """An IoT ingest batch raises many alarms at once: every one reaches its estate's guards,
        and the guards of an estate are looked up once, not once per alarm."""
        Alarm = self.env["property.security.alarm"]
        lookups = []
        original = type(Alarm)._get_estate_popup_recipients

        def counting(model, estate):
            lookups.append(estate)
            return original(model, estate)

        vals = [{"alarm_type": "leak", "estate_id": self.estate_a.id, "area": f"B{i}"} for i in range(5)]
        vals += [{"alarm_type": "fire", "estate_id": self.estate_b.id, "area": f"C{i}"} for i in range(3)]
        with (
            freeze_time(T0 + timedelta(hours=12)),
            patch.object(type(Alarm), "_get_estate_popup_recipients", counting),
        ):
            alarms = Alarm.create(vals)
            popups = self._popups()
        self.assertEqual(sorted(e.id for e in lookups), sorted([self.estate_a.id, self.estate_b.id]))
        estate_a_alarms = alarms.filtered(lambda a: a.estate_id == self.estate_a)
        for user in (self.user_guard, self.user_guard2, self.user_leader):
            self.assertEqual(sorted(p["id"] for p in popups[user]), sorted(estate_a_alarms.ids))
        self.assertEqual(len(popups[self.user_guard_b]), 3, "estate B's guard gets estate B's three")
        self.assertTrue(all(p["estate_id"] == self.estate_b.id for p in popups[self.user_guard_b]))
