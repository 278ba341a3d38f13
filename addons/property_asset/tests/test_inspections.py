from odoo import fields
from odoo.tests import freeze_time, tagged

from .common import PropertyAssetCase


@tagged("post_install", "-at_install")
class TestInspections(PropertyAssetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.elevator_type = cls.env.ref("property_asset.inspection_type_elevator_annual")
        cls.elevator_type.reminder_days = "60,30,7"
        cls.Inspection = cls.env["property.equipment.inspection"]

    def _inspection(self, **values):
        return self.Inspection.create(
            {
                "equipment_id": self.elevator.id,
                "type_id": self.elevator_type.id,
                "certificate_number": "TSX-2024-0001",
                "date": "2024-07-01",
                "expiry_date": "2025-06-30",
                **values,
            }
        )

    def _activities(self, inspection):
        return self.env["mail.activity"].search(
            [("res_model", "=", inspection._name), ("res_id", "=", inspection.id)]
        )

    def _run(self, day):
        with freeze_time(day):
            self.Inspection._cron_inspection_reminders()

    def test_expiry_states_and_reminders(self):
        with freeze_time("2025-04-01"):
            inspection = self._inspection()
        self._run("2025-04-01")
        self.assertEqual(inspection.state, "valid")
        self.assertEqual(self.elevator.inspection_state, "valid")
        self.assertFalse(self._activities(inspection))

        # 56 days left: the 60-day reminder, once
        self._run("2025-05-05")
        self._run("2025-05-05")
        self._run("2025-05-06")
        self.assertEqual(inspection.state, "expiring")
        self.assertEqual(self.elevator.inspection_state, "expiring")
        activities = self._activities(inspection)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.technician, "The equipment's technician is responsible")
        self.assertEqual(activities.date_deadline, fields.Date.to_date("2025-06-30"))
        self.assertEqual(inspection.reminder_ids.mapped("days_before"), [60])

        # 29 days left: the 30-day reminder
        self._run("2025-06-01")
        self._run("2025-06-02")
        self.assertEqual(len(self._activities(inspection)), 2)
        self.assertEqual(sorted(inspection.reminder_ids.mapped("days_before")), [30, 60])

        # expired: the equipment is flagged and found by the filter
        self._run("2025-07-01")
        self.assertEqual(inspection.state, "expired")
        self.assertEqual(self.elevator.inspection_state, "expired")
        self.assertEqual(len(self._activities(inspection)), 3, "the 7-day threshold was still due")
        expired = self.env["maintenance.equipment"].search([("inspection_state", "=", "expired")])
        self.assertIn(self.elevator, expired)
        self._run("2025-07-02")
        self.assertEqual(len(self._activities(inspection)), 3, "never twice for the same threshold")

        # a renewed certificate supersedes the expired one
        with freeze_time("2025-07-03"):
            renewed = self._inspection(
                certificate_number="TSX-2025-0158", date="2025-07-03", expiry_date="2026-07-02"
            )
        self._run("2025-07-03")
        self.assertTrue(inspection.is_superseded)
        self.assertFalse(renewed.is_superseded)
        self.assertEqual(renewed.state, "valid")
        self.assertEqual(self.elevator.inspection_state, "valid")
        self.assertEqual(self.elevator.inspection_expiry_date, fields.Date.to_date("2026-07-02"))

    def test_late_registration_one_activity_for_all_thresholds(self):
        with freeze_time("2025-06-25"):
            inspection = self._inspection(responsible_id=self.manager.id)
        self._run("2025-06-25")
        self._run("2025-06-26")
        activities = self._activities(inspection)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.manager)
        self.assertEqual(sorted(inspection.reminder_ids.mapped("days_before")), [7, 30, 60])

    def test_expiry_proposed_from_validity(self):
        inspection = self.Inspection.create(
            {
                "equipment_id": self.elevator.id,
                "type_id": self.elevator_type.id,
                "certificate_number": "TSX-2025-0002",
                "date": "2025-03-10",
            }
        )
        self.assertEqual(inspection.expiry_date, fields.Date.to_date("2026-03-10"))
        self.assertEqual(self.elevator_type._get_reminder_days(), [60, 30, 7])

    def test_upcoming_report(self):
        kind = self.env["maintenance.kind"].create({"name": "年度保养 test"})
        plan = self.env["maintenance.plan"].create(
            {
                "name": "电梯年度保养",
                "equipment_id": self.elevator.id,
                "maintenance_kind_id": kind.id,
                "interval": 1,
                "interval_step": "year",
                "start_maintenance_date": "2099-01-10",
            }
        )
        inspection = self._inspection()
        self.env.flush_all()
        rows = self.env["property.asset.upcoming.report"].search([("equipment_id", "=", self.elevator.id)])
        self.assertEqual(
            sorted((r.kind, str(r.date)) for r in rows),
            [("inspection", "2025-06-30"), ("plan", "2099-01-10")],
        )
        self.assertEqual(rows.filtered(lambda r: r.kind == "plan").plan_id, plan)
        self.assertEqual(rows.filtered(lambda r: r.kind == "inspection").inspection_id, inspection)
