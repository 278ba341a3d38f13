from datetime import date, datetime

from odoo.tests import freeze_time, tagged

from .common import NOW, WorkorderCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAttendance(WorkorderCase):
    def test_geofence(self):
        inside = self._check_in(self.plumber, latitude=31.2310, longitude=121.4740)
        self.assertEqual(inside.property_estate_id, self.estate)
        self.assertFalse(inside.is_outside_geofence)
        self.assertLess(inside.property_distance_m, 500)
        inside.property_check_out(31.2310, 121.4740)
        result = self.env["hr.attendance"].property_check_in(self.electrician.id, 31.2400, 121.4737)
        self.assertTrue(result["outside_geofence"])
        self.assertAlmostEqual(result["distance_m"], 1067, delta=10)
        outside = self.env["hr.attendance"].browse(result["attendance_id"])
        self.assertTrue(outside.is_outside_geofence)
        self.assertIn("outside its geofence", self.electrician.message_ids[0].body)
        self.assertIn(outside, self.env["hr.attendance"].search([("is_outside_geofence", "=", True)]))

    @freeze_time("2024-11-27 10:00:00")
    def test_late_and_absent_report(self):
        # Mon 25 and Tue 26 Nov 2024, shift 08:00 UTC
        self._check_in(self.plumber, when="2024-11-25 08:20:00").write(
            {"check_out": datetime(2024, 11, 25, 17, 0)}
        )
        self._check_in(self.electrician, when="2024-11-25 07:55:00").write(
            {"check_out": datetime(2024, 11, 25, 17, 0)}
        )
        self._check_in(self.electrician, when="2024-11-26 08:03:00").write(
            {"check_out": datetime(2024, 11, 26, 17, 0)}
        )
        wizard = self.env["property.attendance.report.wizard"].create(
            {"date_from": date(2024, 11, 25), "date_to": date(2024, 11, 26), "team_id": self.team.id}
        )
        wizard.action_compute()
        found = {(line.employee_id, line.date): (line.status, line.late_minutes) for line in wizard.line_ids}
        self.assertEqual(
            found,
            {
                (self.plumber, date(2024, 11, 25)): ("late", 20),
                (self.plumber, date(2024, 11, 26)): ("absent", 0),
            },
        )
