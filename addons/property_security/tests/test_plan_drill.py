from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SecurityTestCommon


@tagged("post_install", "-at_install")
class TestPlanDrill(SecurityTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["property.security.emergency.plan"].create(
            {
                "name": "翠湖花园火灾应急预案",
                "estate_id": cls.estate_a.id,
                "alarm_type": "fire",
                "step_ids": [(0, 0, {"line_type": "step", "name": "确认火情并报警119", "role": "监控室"})],
                "contact_ids": [(0, 0, {"line_type": "contact", "name": "消防中队", "phone": "119"})],
                "assembly_point_ids": [(0, 0, {"line_type": "assembly_point", "name": "中心广场"})],
            }
        )

    def test_versioning(self):
        plan = self.plan
        plan.write({"name": "火灾应急预案（草稿修改）"})  # a draft is edited in place
        self.assertEqual(plan.version, 1)
        self.assertFalse(plan.old_version_ids)
        plan.action_activate()
        plan.write({"step_ids": [(0, 0, {"line_type": "step", "name": "疏散住户至集合点"})]})
        self.assertEqual(plan.version, 2)
        old = plan.old_version_ids
        self.assertEqual((old.version, old.state), (1, "superseded"))
        self.assertEqual(old.step_ids.mapped("name"), ["确认火情并报警119"])
        self.assertEqual(len(plan.step_ids), 2)
        self.assertEqual(old.assembly_point_ids.name, "中心广场")
        # lines edited directly version the plan too
        plan.contact_ids.phone = "0571-119"
        self.assertEqual(plan.version, 3)
        self.assertEqual(len(plan.old_version_ids), 2)
        with self.assertRaises(UserError):
            old.write({"name": "改旧版本"})
        with self.assertRaises(UserError):
            old.step_ids.write({"name": "改旧版本"})
        with self.assertRaises(UserError):
            plan.unlink()

    def test_new_plan_supersedes_active_one(self):
        self.plan.action_activate()
        new = self.plan.copy({"name": "新版火灾预案"})
        new.action_activate()
        self.assertEqual(self.plan.state, "superseded")
        self.assertEqual(self.plan.current_plan_id, new)

    def test_drill_with_corrective_actions(self):
        drill = self.env["property.security.drill"].create(
            {
                "name": "春季消防疏散演练",
                "estate_id": self.estate_a.id,
                "plan_id": self.plan.id,
                "scenario": "fire_evacuation",
                "participant_ids": [(6, 0, (self.user_guard | self.user_guard2).ids)],
                "resident_count": 120,
                "duration_minutes": 45,
                "evacuation_minutes": 8.5,
                "issues": "3号楼消防通道有杂物",
                "action_ids": [(0, 0, {"name": "清理3号楼消防通道", "user_id": self.user_leader.id})],
            }
        )
        self.assertEqual(drill.participant_count, 122)
        action = drill.action_ids
        self.assertTrue(action.activity_id)
        self.assertEqual(action.activity_id.user_id, self.user_leader)
        self.assertEqual(drill.open_action_count, 1)
        action.action_done()
        self.assertEqual(drill.open_action_count, 0)
        self.assertFalse(action.activity_id.exists(), "the activity is marked done")
        drill.action_done()
        self.assertEqual(drill.state, "done")
        with self.assertRaises(UserError):
            drill.action_done()
        # guards read drills of their estate
        self.assertIn(drill, self.env["property.security.drill"].with_user(self.user_guard).search([]))
