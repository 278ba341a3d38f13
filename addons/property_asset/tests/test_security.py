from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PropertyAssetCase


@tagged("post_install", "-at_install")
class TestSecurity(PropertyAssetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kind = cls.env["maintenance.kind"].create({"name": "季度保养 test"})
        cls.plan = cls.env["maintenance.plan"].create(
            {
                "name": "电梯季度保养",
                "equipment_id": cls.elevator.id,
                "maintenance_kind_id": cls.kind.id,
                "interval": 3,
                "interval_step": "month",
                "checklist_line_ids": [Command.create({"name": "检查限速器"})],
            }
        )
        cls.request = cls.env["maintenance.request"].create(
            {
                "name": "1号电梯季度保养",
                "equipment_id": cls.elevator.id,
                "maintenance_type": "preventive",
                "maintenance_team_id": cls.team.id,
                "checklist_line_ids": [
                    Command.create({"name": "检查限速器"}),
                    Command.create({"name": "润滑导轨"}),
                ],
            }
        )
        cls.inspection = cls.env["property.equipment.inspection"].create(
            {
                "equipment_id": cls.elevator.id,
                "type_id": cls.env.ref("property_asset.inspection_type_elevator_annual").id,
                "certificate_number": "TSX-SEC-1",
                "date": "2025-01-01",
            }
        )

    def test_technician_sees_own_estates_only(self):
        Equipment = self.env["maintenance.equipment"].with_user(self.technician)
        visible = Equipment.search([("id", "in", (self.elevator | self.pump_other).ids)])
        self.assertEqual(visible, self.elevator)
        with self.assertRaises(AccessError):
            self.pump_other.with_user(self.technician).read(["name"])
        self.assertEqual(
            self.env["maintenance.plan"].with_user(self.technician).search([("id", "=", self.plan.id)]),
            self.plan,
        )
        self.assertTrue(self.inspection.with_user(self.technician).read(["state"]))

    def test_technician_cannot_manage(self):
        tech_elevator = self.elevator.with_user(self.technician)
        with self.assertRaises(AccessError):
            tech_elevator.write({"name": "改名"})
        with self.assertRaises(AccessError):
            tech_elevator.unlink()
        with self.assertRaises(AccessError):
            self.env["maintenance.plan"].with_user(self.technician).create(
                {"name": "x", "equipment_id": self.elevator.id, "maintenance_kind_id": self.kind.id}
            )
        with self.assertRaises(AccessError):
            self.plan.with_user(self.technician).unlink()
        with self.assertRaises(AccessError):
            self.inspection.with_user(self.technician).unlink()
        for action in (
            tech_elevator.action_asset_purchase,
            lambda: tech_elevator.action_asset_move({"location": "别处"}),
            lambda: tech_elevator.action_asset_retire("x"),
        ):
            with self.assertRaises(AccessError):
                action()
        self.assertEqual(self.elevator.asset_state, "in_use")
        with self.assertRaises(UserError):
            self.request.with_user(self.technician).unlink()

    def test_technician_records_usage_and_completes_checklist(self):
        reading = (
            self.env["property.equipment.counter.reading"]
            .with_user(self.technician)
            ._record_usage(self.elevator, "cycles", 120000.0, source="manual")
        )
        self.assertEqual(reading.user_id, self.technician)
        self.assertEqual(self.elevator.cycle_count, 120000.0)
        with self.assertRaises(AccessError):
            self.env["property.equipment.counter.reading"].with_user(self.technician)._record_usage(
                self.pump_other, "running_hours", 10.0
            )
        request = self.request.with_user(self.technician)
        first, second = request.checklist_line_ids
        first.write({"is_done": True, "note": "正常"})
        self.assertEqual(first.done_user_id, self.technician)
        self.assertTrue(first.done_date)
        with self.assertRaises(UserError, msg="the checklist is not complete"):
            request.stage_id = self.done_stage
        second.action_toggle_done()
        request.stage_id = self.done_stage
        self.assertTrue(request.repair_end_date)
        self.assertEqual(request.checklist_progress, 100.0)

    def test_manager_manages(self):
        plan = (
            self.env["maintenance.plan"]
            .with_user(self.manager)
            .create(
                {
                    "name": "水泵年度大修",
                    "equipment_id": self.pump_other.id,
                    "maintenance_kind_id": self.kind.id,
                    "trigger_type": "age",
                    "age_years": 5,
                }
            )
        )
        plan.unlink()
        pump = self.pump_other.with_user(self.manager)
        pump.action_asset_move({"location": "水泵房 2#位"})
        self.assertEqual(pump.history_ids.operation, "move")
        self.request.with_user(self.manager).unlink()
        self.inspection.with_user(self.manager).unlink()
        self.assertFalse(self.inspection.exists())

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "宁波安居物业"})
        other_estate = self.env["property.estate"].create(
            {"name": "宁波测试小区", "code": "NB", "company_id": other_company.id}
        )
        foreign = self.env["maintenance.equipment"].create(
            {
                "name": "宁波 电梯",
                "company_id": other_company.id,
                "estate_id": other_estate.id,
                "category_id": self.cat_elevator.id,
            }
        )
        inspection = self.env["property.equipment.inspection"].create(
            {
                "equipment_id": foreign.id,
                "type_id": self.env.ref("property_asset.inspection_type_elevator_annual").id,
                "certificate_number": "NB-1",
                "date": "2025-01-01",
            }
        )
        manager_env = self.env(user=self.manager, context={"allowed_company_ids": [self.company.id]})
        self.assertFalse(manager_env["maintenance.equipment"].search([("id", "=", foreign.id)]))
        self.assertFalse(manager_env["property.equipment.inspection"].search([("id", "=", inspection.id)]))
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["maintenance.equipment"].create(
                {"name": "错配", "company_id": self.company.id, "estate_id": other_estate.id}
            )
