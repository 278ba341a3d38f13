from datetime import date

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import NOW, WorkorderCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestRoute(WorkorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.route = cls.env["property.route"].create(
            {
                "name": "夜间安全巡检",
                "route_type": "inspection",
                "estate_id": cls.estate.id,
                "team_id": cls.team.id,
                "employee_id": cls.plumber.id,
                "interval_days": 2,
                "next_date": date(2024, 11, 25),
                "checkpoint_ids": [
                    (0, 0, {"name": "东门岗亭", "sequence": 1}),
                    (0, 0, {"name": "配电房", "sequence": 2, "building_id": cls.building.id}),
                    (0, 0, {"name": "水泵房", "sequence": 3}),
                ],
            }
        )
        cls.cp1, cls.cp2, cls.cp3 = cls.route.checkpoint_ids

    def test_runs_generated_once_per_day(self):
        Run = self.env["property.route.run"]
        self.env["property.route"]._cron_generate_runs()
        self.env["property.route"]._cron_generate_runs()
        self.route._generate_runs(date(2024, 11, 25))
        runs = Run.search([("route_id", "=", self.route.id)])
        self.assertEqual(len(runs), 1)
        self.assertEqual(runs.date, date(2024, 11, 25))
        self.assertEqual(len(runs.line_ids), 3)
        self.assertEqual(self.route.next_date, date(2024, 11, 27))

    def test_qr_code(self):
        self.assertTrue(self.cp1.qr_image)
        self.assertEqual(self.cp1._get_qr_payload(), f"property-checkpoint:{self.cp1.token}")
        self.assertNotEqual(self.cp1.token, self.cp2.token)

    def test_scan_in_order_and_missed(self):
        run = self.route._generate_runs(date(2024, 11, 25))
        with self.assertRaisesRegex(UserError, "东门岗亭"):
            run.action_scan(self.cp2.token)  # out of order: names the checkpoint to scan first
        run.action_scan(self.cp1._get_qr_payload())
        self.assertEqual(run.state, "in_progress")
        with self.assertRaises(UserError):
            run.action_scan(self.cp1.token)  # twice
        with self.assertRaises(UserError):
            run.action_scan("not-a-token")
        line2 = run.action_scan(self.cp2.token)
        line2.write({"finding": "配电房门锁损坏，门关不上", "has_issue": True})
        line2.action_create_request()
        self.assertEqual(line2.request_id.source, "inspection")
        self.assertEqual(line2.request_id.building_id, self.building)
        self.assertEqual(line2.request_id.origin, run.name)
        run.action_close()
        self.assertEqual(run.state, "closed")
        self.assertEqual((run.scanned_count, run.missed_count, run.finding_count), (2, 1, 1))
        self.assertEqual(run.line_ids.filtered(lambda line: line.state == "missed").checkpoint_id, self.cp3)
        self.assertIn("水泵房", run.message_ids[0].body)
        with self.assertRaises(UserError):
            run.action_scan(self.cp3.token)

    def test_cleaning_frequency_rules(self):
        route = self.env["property.route"].create(
            {
                "name": "1号楼保洁",
                "route_type": "cleaning",
                "estate_id": self.estate.id,
                "building_id": self.building.id,
                "interval_days": 7,
                "checkpoint_ids": [(0, 0, {"name": "大堂"})],
            }
        )
        cleaning = self.env.ref("property_workorder.request_category_cleaning")
        route.action_apply_cleaning_rules()
        self.assertEqual(route.interval_days, 3, "quiet area: every 3 days")
        for _i in range(6):
            self._request(
                category_id=cleaning.id,
                description="楼道垃圾没人收",
                unit_id=False,
                building_id=self.building.id,
            )
        route.action_apply_cleaning_rules()
        self.assertEqual(route.interval_days, 2, "5+ cleaning requests in 30 days: every 2 days")
        self.assertIn("6", route.frequency_note)
        route.foot_traffic = 800
        route.action_apply_cleaning_rules()
        self.assertEqual(route.interval_days, 1, "busy area: daily")
