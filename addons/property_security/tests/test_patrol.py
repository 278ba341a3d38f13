from datetime import date, datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import SecurityTestCommon


@tagged("post_install", "-at_install")
class TestPatrol(SecurityTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.route, cls.cp1, cls.cp2, cls.cp3 = cls.create_patrol_route("08:00, 20:00")

    def _run(self):
        runs = self.route._generate_runs(date(2025, 3, 10))
        return runs.sorted("date_planned")[0]

    def test_generate_runs_idempotent(self):
        runs = self.route._generate_runs(date(2025, 3, 10))
        # 08:00 and 20:00 Shanghai = 00:00 and 12:00 UTC
        self.assertEqual(
            sorted(runs.mapped("date_planned")), [datetime(2025, 3, 10, 0, 0), datetime(2025, 3, 10, 12, 0)]
        )
        self.assertFalse(self.route._generate_runs(date(2025, 3, 10)), "no run twice")
        run = runs.sorted("date_planned")[0]
        self.assertEqual(
            run.line_ids.mapped("date_expected"), [datetime(2025, 3, 10, 0, m) for m in (0, 10, 20)]
        )
        self.assertEqual(run.user_id, self.user_guard)
        self.assertTrue(self.cp1.qr_image)
        with freeze_time(datetime(2025, 3, 10, 1, 0)):
            created = self.env["property.route"]._cron_generate_runs()
            self.assertEqual(
                len(created.filtered(lambda r: r.route_id == self.route)), 2, "tomorrow's runs only"
            )

    def test_missed_and_late_checkpoints(self):
        run = self._run().with_user(self.user_guard)
        start = run.date_planned
        with self.assertRaises(UserError):
            run._scan(self.cp2.token, at=start)  # 10 minutes early
        run._scan(self.cp1.token, at=start + timedelta(minutes=3))
        self.assertEqual(run.state, "in_progress")
        # skipping the garage: it is missed, the fire exit is scanned late
        line3 = run._scan(self.cp3.token, at=start + timedelta(minutes=32))
        self.assertEqual(line3.state, "late")
        self.assertAlmostEqual(line3.delay_minutes, 12.0)
        self.assertEqual(run.line_ids.mapped("state"), ["done", "missed", "late"])
        self.assertEqual(run.state, "closed", "the run closes after its last checkpoint")
        self.assertEqual((run.done_count, run.late_count, run.missed_count), (1, 1, 1))
        self.assertAlmostEqual(run.completion_rate, 66.7, places=1)
        self.assertIn("地下车库", run.message_ids[0].body)
        with self.assertRaises(UserError):
            run._scan(self.cp1.token, at=start + timedelta(minutes=40))

    def test_close_reports_missed(self):
        run = self._run()
        run.with_user(self.user_guard)._scan(self.cp1.token, at=run.date_planned + timedelta(minutes=1))
        with freeze_time(run.date_planned + timedelta(minutes=24)):
            self.assertFalse(self.env["property.route.run"]._cron_close_overdue() & run)
        with freeze_time(run.date_planned + timedelta(minutes=26)):
            closed = self.env["property.route.run"]._cron_close_overdue()
        self.assertIn(run, closed)
        self.assertEqual(run.line_ids.mapped("state"), ["done", "missed", "missed"])
        self.assertAlmostEqual(run.completion_rate, 33.3, places=1)
        other = self.route.run_ids - run
        self.assertEqual(other.state, "planned", "the evening run is not due yet")

    def test_finding_raises_incident(self):
        run = self._run().with_user(self.user_guard)
        line = run._scan(
            self.cp3.token, finding="消防通道堆放杂物", at=run.date_planned + timedelta(minutes=21)
        )
        self.assertEqual(line.state, "done")
        incident = line.incident_id
        self.assertTrue(incident)
        self.assertEqual(incident.building_id, self.building_a)
        self.assertEqual(incident.description, "消防通道堆放杂物")
        self.assertEqual(incident.patrol_line_id, line)
        self.assertEqual(incident.alarm_ids.source, "patrol")
        self.assertEqual(incident.alarm_ids.state, "acknowledged", "nothing to escalate")
        self.assertEqual(run.incident_ids, incident)

    def test_scan_wizard(self):
        run = self._run()
        with freeze_time(run.date_planned + timedelta(minutes=2)):
            wizard = (
                self.env["property.security.patrol.scan.wizard"]
                .with_user(self.user_guard)
                .create({"run_id": run.id, "token": f" {self.cp1.token} ", "finding": "岗亭灯坏了"})
            )
            wizard.action_scan()
        line = run.line_ids[0]
        self.assertEqual((line.state, run.state), ("done", "in_progress"))
        self.assertEqual(line.incident_id.description, "岗亭灯坏了")
