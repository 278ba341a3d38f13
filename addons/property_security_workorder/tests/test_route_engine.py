from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from odoo.addons.property_security.tests.common import T0

from .common import SecurityWorkorderCommon


@tagged("post_install", "-at_install")
@freeze_time(T0)
class TestRouteEngine(SecurityWorkorderCommon):
    """Guard patrols and field-work routes are one engine: the same models, the same scans,
    the same on-time / late / missed rules, the same findings → work orders; only who sees
    them and what a finding raises besides depend on the kind."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # an inspection route with the same timed checkpoints as the patrol route of the common
        cls.inspection = cls.env["property.route"].create(
            {
                "name": "设备房巡检",
                "route_type": "inspection",
                "estate_id": cls.estate_a.id,
                "schedule_times": "08:00",
                "next_date": T0.date(),
                "user_id": cls.user_technician.id,
                "checkpoint_ids": [
                    (0, 0, {"sequence": 1, "name": "配电房", "expected_offset": 0, "tolerance": 5}),
                    (0, 0, {"sequence": 2, "name": "水泵房", "expected_offset": 10, "tolerance": 5}),
                    (0, 0, {"sequence": 3, "name": "电梯机房", "expected_offset": 20, "tolerance": 5}),
                ],
            }
        )
        cls.icp1, cls.icp2, cls.icp3 = cls.inspection.checkpoint_ids

    def _runs(self):
        runs = (self.route | self.inspection)._generate_runs(date(2025, 3, 10))
        patrol = runs.filtered(lambda r: r.route_type == "patrol")
        inspection = runs.filtered(lambda r: r.route_type == "inspection")
        return patrol, inspection

    def test_one_engine_for_both_kinds(self):
        self.assertEqual(self.route._name, self.inspection._name)
        patrol, inspection = self._runs()
        self.assertEqual((len(patrol), len(inspection)), (1, 1))
        self.assertEqual(patrol.date_planned, inspection.date_planned, "08:00 Shanghai = 00:00 UTC")
        self.assertEqual(
            inspection.line_ids.mapped("date_expected"), [datetime(2025, 3, 10, 0, m) for m in (0, 10, 20)]
        )
        # the shared cron plans the next day of both, once
        with freeze_time(datetime(2025, 3, 10, 1, 0)):
            created = self.env["property.route"]._cron_generate_runs()
            self.assertFalse(self.env["property.route"]._cron_generate_runs() & created)
        self.assertEqual(
            created.filtered(lambda r: r.route_id in self.route | self.inspection).mapped("date"),
            [date(2025, 3, 11)] * 2,
        )

    def test_late_and_missed_shared(self):
        patrol, inspection = self._runs()
        start = patrol.date_planned
        walks = (
            (patrol, self.user_guard, self.cp1, self.cp2),
            (inspection, self.user_technician, self.icp1, self.icp2),
        )
        for run, user, cp1, cp2 in walks:
            with self.assertRaisesRegex(UserError, "Too early"):
                run.with_user(user)._scan(cp2.token, at=start)
            run.with_user(user)._scan(cp1._get_qr_payload(), at=start + timedelta(minutes=3))
            line2 = run.with_user(user)._scan(cp2.token, at=start + timedelta(minutes=17))
            self.assertEqual(line2.state, "late")
            self.assertAlmostEqual(line2.delay_minutes, 7.0)
        with freeze_time(start + timedelta(minutes=24)):
            self.assertFalse(self.env["property.route.run"]._cron_close_overdue() & (patrol | inspection))
        with freeze_time(start + timedelta(minutes=26)):
            closed = self.env["property.route.run"]._cron_close_overdue()
        self.assertEqual(closed & (patrol | inspection), patrol | inspection)
        for run in (patrol, inspection):
            self.assertEqual(run.line_ids.mapped("state"), ["done", "late", "missed"])
            self.assertEqual(
                (run.done_count, run.late_count, run.missed_count, run.state), (1, 1, 1, "closed")
            )
            self.assertAlmostEqual(run.completion_rate, 66.7, places=1)
            self.assertIn(run.line_ids[2].checkpoint_id.name, run.message_ids[0].body)

    def test_order_rule_per_kind(self):
        patrol, inspection = self._runs()
        at = patrol.date_planned + timedelta(minutes=21)
        with self.assertRaisesRegex(UserError, "配电房"):
            inspection._scan(self.icp3.token, at=at)  # inspection: strict order, names the first
        self.assertEqual(inspection.state, "planned", "nothing half-written")
        patrol._scan(self.cp3.token, at=at)  # patrol: the skipped ones are missed
        self.assertEqual(patrol.line_ids.mapped("state"), ["missed", "missed", "done"])

    def test_findings_become_work_orders_for_both(self):
        patrol, inspection = self._runs()
        at = patrol.date_planned + timedelta(minutes=1)
        patrol_line = patrol.with_user(self.user_guard)._scan(self.cp1.token, finding="岗亭灯坏了", at=at)
        inspection_line = inspection.with_user(self.user_technician)._scan(
            self.icp1.token, finding="配电柜门锁坏了", at=at
        )
        self.assertTrue(patrol_line.incident_id, "a patrol finding raises an incident")
        self.assertFalse(inspection_line.incident_id, "an inspection finding does not")
        self.assertTrue(inspection_line.has_issue and patrol_line.has_issue)
        patrol_line.with_user(self.user_guard).action_create_request()
        inspection_line.with_user(self.user_technician).action_create_request()
        for line in (patrol_line, inspection_line):
            self.assertEqual(line.request_id.source, "inspection")
            self.assertEqual(line.request_id.origin, line.run_id.name)
            self.assertEqual(line.request_id.common_area, line.checkpoint_id.name)
        self.assertEqual(patrol_line.request_id.security_incident_id, patrol_line.incident_id)
        self.assertFalse(inspection_line.request_id.security_incident_id)

    def test_each_role_sees_its_kinds(self):
        patrol, inspection = self._runs()
        kinds = {
            self.user_guard: "patrol",
            self.user_technician: "inspection",
            self.user_frontdesk: "inspection",
        }
        models = (
            "property.route",
            "property.route.checkpoint",
            "property.route.run",
            "property.route.run.line",
        )
        for user, kind in kinds.items():
            for model in models:
                with self.subTest(user=user.login, model=model):
                    records = self.env[model].with_user(user).search([])
                    self.assertEqual(set(records.mapped("route_type")), {kind})
                    self.assertFalse(
                        self.env[model].with_user(user).read_group([], ["route_type"], ["route_type"])[1:]
                    )
        for user, foreign in ((self.user_guard, inspection), (self.user_technician, patrol)):
            for record in (foreign, foreign.line_ids, foreign.route_id, foreign.route_id.checkpoint_ids):
                with self.subTest(user=user.login, model=record._name), self.assertRaises(AccessError):
                    record.with_user(user).read(["name" if "name" in record._fields else "state"])
            with self.assertRaises(AccessError):
                foreign.with_user(user)._scan(foreign.route_id.checkpoint_ids[0].token)
            with self.assertRaises(AccessError):
                foreign.line_ids[0].with_user(user).write({"finding": "伪造"})
        # the accountant walks no route
        for model in models:
            self.assertFalse(self.env[model].with_user(self.user_accountant).search([]))
        # a guard's scan cannot reach another kind's checkpoint through his own run
        with self.assertRaisesRegex(UserError, "not a checkpoint"):
            patrol.with_user(self.user_guard)._scan(self.icp1.token)
