from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import T0, SecurityTestCommon


@tagged("post_install", "-at_install")
class TestSecurityAccess(SecurityTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alarm_a = cls.env["property.security.alarm"].create(
            {"alarm_type": "fire", "unit_id": cls.unit_a.id}
        )
        cls.alarm_b = cls.env["property.security.alarm"].create(
            {"alarm_type": "leak", "unit_id": cls.unit_b.id}
        )
        window = {"visit_start": T0, "visit_end": T0 + timedelta(hours=2)}
        cls.visitor_a = cls.env["property.security.visitor"]._portal_register(
            cls.owner, dict(window, unit_id=cls.unit_a.id, name="王芳")
        )
        cls.visitor_b = cls.env["property.security.visitor"]._portal_register(
            cls.owner_b, dict(window, unit_id=cls.unit_b.id, name="陈静")
        )
        cls.hit = cls.env["property.security.watch.hit"]._scan_text(
            "我要投诉", "property.unit", cls.unit_a.id
        )

    def _search(self, user, model):
        return self.env[model].with_user(user).search([])

    def test_guard_sees_own_estates(self):
        Alarm, Incident, Visitor = (
            "property.security.alarm",
            "property.security.incident",
            "property.security.visitor",
        )
        self.assertEqual(self._search(self.user_guard, Alarm) & (self.alarm_a | self.alarm_b), self.alarm_a)
        self.assertEqual(
            self._search(self.user_guard, Incident) & (self.alarm_a | self.alarm_b).incident_id,
            self.alarm_a.incident_id,
        )
        self.assertEqual(
            self._search(self.user_guard, Visitor) & (self.visitor_a | self.visitor_b), self.visitor_a
        )
        with self.assertRaises(AccessError):
            self.alarm_b.with_user(self.user_guard).read(["name"])
        with self.assertRaises(AccessError):
            self.alarm_b.incident_id.with_user(self.user_guard).action_dispatch()
        # the cameras of their estate, not the others'
        cameras = self._search(self.user_guard, "maintenance.equipment")
        self.assertIn(self.camera_building, cameras)
        self.assertNotIn(self.camera_estate_b, cameras)
        self.assertEqual(
            self.alarm_a.with_user(self.user_guard).camera_ids, self.camera_building | self.camera_estate
        )
        # the watch is for managers
        with self.assertRaises(AccessError):
            self._search(self.user_guard, "property.security.watch.hit")

    def test_manager_sees_all(self):
        self.assertEqual(
            self._search(self.user_manager, "property.security.alarm") & (self.alarm_a | self.alarm_b),
            self.alarm_a | self.alarm_b,
        )
        self.assertEqual(
            self._search(self.user_manager, "property.security.visitor") & (self.visitor_a | self.visitor_b),
            self.visitor_a | self.visitor_b,
        )
        self.assertIn(self.hit, self._search(self.user_manager, "property.security.watch.hit"))

    def test_resident_sees_own_visitors_only(self):
        resident = self.user_resident
        self.assertEqual(self._search(resident, "property.security.visitor"), self.visitor_a)
        self.assertTrue(self.visitor_a.with_user(resident).pass_token)
        with self.assertRaises(AccessError):
            self.visitor_b.with_user(resident).read(["name"])
        with self.assertRaises(AccessError):
            self.visitor_a.with_user(resident).write({"max_uses": 9})
        with self.assertRaises(AccessError):
            self.env["property.security.visitor"].with_user(resident).create(
                {"name": "X", "unit_id": self.unit_a.id, "host_partner_id": self.owner.id}
            )
        self.assertFalse(self._search(resident, "property.security.alarm"))
        with self.assertRaises(AccessError):
            self._search(resident, "property.security.incident")
        with self.assertRaises(AccessError):
            self._search(resident, "property.security.access.log")

    def test_front_desk(self):
        visitor = (
            self.env["property.security.visitor"]
            .with_user(self.user_frontdesk)
            .create({"name": "维修工", "unit_id": self.unit_a.id, "host_partner_id": self.owner.id})
        )
        self.assertEqual(visitor.state, "pending_approval")
        with self.assertRaises(AccessError):
            self.env["property.security.visitor"].with_user(self.user_frontdesk).create(
                {"name": "维修工", "unit_id": self.unit_b.id, "host_partner_id": self.owner_b.id}
            )
        # patrols are the guards': the front desk sees no patrol route, run or checkpoint
        route = self.create_patrol_route("08:00")[0]
        run = route._generate_runs(T0.date())
        for model in (
            "property.route",
            "property.route.checkpoint",
            "property.route.run",
            "property.route.run.line",
        ):
            self.assertFalse(
                self.env[model].with_user(self.user_frontdesk).search([("route_type", "=", "patrol")])
            )
        for record in (route, route.checkpoint_ids, run, run.line_ids):
            with self.assertRaises(AccessError):
                record.with_user(self.user_frontdesk).read(["route_type"])
        with self.assertRaises(AccessError):
            self.alarm_a.incident_id.with_user(self.user_frontdesk).action_arrive()

    def test_other_internal_users(self):
        for model in ("property.security.alarm", "property.security.visitor", "property.security.incident"):
            with self.assertRaises(AccessError):
                self._search(self.user_internal, model)

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "另一家物业公司"})
        estate = self.env["property.estate"].create({"name": "远方", "code": "F", "company_id": other.id})
        alarm = (
            self.env["property.security.alarm"]
            .with_company(other)
            .create({"alarm_type": "fire", "estate_id": estate.id})
        )
        self.assertEqual(alarm.company_id, other)
        self.assertEqual(alarm.incident_id.company_id, other)
        self.assertNotIn(alarm, self._search(self.user_manager, "property.security.alarm"))
        self.user_manager.write({"company_ids": [(4, other.id)]})
        visible = (
            self.env["property.security.alarm"]
            .with_user(self.user_manager)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search([])
        )
        self.assertIn(alarm, visible)

    def test_guard_patrols_of_own_estates(self):
        route_b = self.env["property.route"].create(
            {
                "name": "锦悦府巡逻",
                "route_type": "patrol",
                "next_date": T0.date(),
                "estate_id": self.estate_b.id,
                "checkpoint_ids": [(0, 0, {"name": "正门"})],
            }
        )
        route_a = self.env["property.route"].create(
            {
                "name": "翠湖巡逻",
                "route_type": "patrol",
                "next_date": T0.date(),
                "estate_id": self.estate_a.id,
                "checkpoint_ids": [(0, 0, {"name": "北门"})],
            }
        )
        runs = (route_a | route_b)._generate_runs(T0.date())
        visible = self._search(self.user_guard, "property.route.run") & runs
        self.assertEqual(visible.route_id, route_a)
        self.assertNotIn(route_b, self._search(self.user_guard, "property.route"))
        with self.assertRaises(AccessError):
            route_b.with_user(self.user_guard).read(["name"])

    def test_views_load_for_each_role(self):
        """Every window action of the app opens for the roles it is meant for."""
        actions = self.env["ir.actions.act_window"].search([("res_model", "like", "property.security.%")])
        self.assertGreater(len(actions), 10)
        for action in actions:
            users = [self.user_manager]
            if action.res_model in (
                "property.security.alarm",
                "property.security.incident",
                "property.security.visitor",
            ):
                users.append(self.user_guard)
            for user in users:
                with self.subTest(action=action.name, user=user.login):
                    views = [(False, mode.strip()) for mode in action.view_mode.split(",")]
                    result = self.env[action.res_model].with_user(user).get_views(views)
                    self.assertTrue(result["views"])
