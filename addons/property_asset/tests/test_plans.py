from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import PropertyAssetCase


@tagged("post_install", "-at_install")
class TestPlans(PropertyAssetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kind_monthly = cls.env["maintenance.kind"].create({"name": "月度保养 test"})
        cls.kind_usage = cls.env["maintenance.kind"].create({"name": "运行小时保养 test"})
        cls.kind_overhaul = cls.env["maintenance.kind"].create({"name": "大修 test"})
        cls.cron = cls.env["maintenance.equipment"]._cron_generate_requests

    def _time_plan(self):
        return self.env["maintenance.plan"].create(
            {
                "name": "电梯月度保养",
                "equipment_id": self.elevator.id,
                "maintenance_kind_id": self.kind_monthly.id,
                "trigger_type": "time",
                "interval": 1,
                "interval_step": "month",
                "start_maintenance_date": "2025-03-05",
                "lead_days": 7,
                "duration": 2.0,
                "checklist_line_ids": [
                    Command.create({"sequence": 1, "name": "检查曳引钢丝绳"}),
                    Command.create({"sequence": 2, "name": "测试门锁回路"}),
                ],
            }
        )

    @freeze_time("2025-03-01")
    def test_time_plan_generates_ahead_once(self):
        plan = self._time_plan()
        self.assertEqual(plan.maintenance_plan_horizon, 7)
        self.assertEqual(plan.planning_step, "day")
        self.cron()
        self.cron()
        requests = self._requests(plan)
        self.assertEqual(len(requests), 1, "Running the job twice must not duplicate the request")
        self.assertEqual(requests.plan_due_date, fields.Date.to_date("2025-03-05"))
        self.assertEqual(requests.request_date, fields.Date.to_date("2025-03-05"))
        self.assertEqual(requests.maintenance_type, "preventive")
        self.assertEqual(requests.checklist_line_ids.mapped("name"), ["检查曳引钢丝绳", "测试门锁回路"])
        self.assertFalse(any(requests.checklist_line_ids.mapped("is_done")))

    @freeze_time("2025-03-01")
    def test_request_named_in_the_company_language(self):
        """The cron writes with no language: the request reads in the company's."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["property_asset"], ["zh_CN"])
        self.assertFalse(self.env.context.get("lang"))
        self.elevator.company_id.partner_id.lang = "zh_CN"
        plan = self._time_plan()
        self.cron()
        self.assertEqual(self._requests(plan).name, "预防性维护（月度保养 test）- 1号楼 1号电梯")
        self.elevator.company_id.partner_id.lang = "en_US"
        plan = plan.copy({"maintenance_kind_id": self.kind_overhaul.id})
        self.cron()
        self.assertEqual(self._requests(plan).name, "Preventive Maintenance (大修 test) - 1号楼 1号电梯")

    def test_time_plan_next_month_and_lead_days(self):
        with freeze_time("2025-03-01"):
            plan = self._time_plan()
            self.cron()
        with freeze_time("2025-03-28"):
            self.cron()
            self.assertEqual(len(self._requests(plan)), 1, "April 5th is more than 7 days away")
        with freeze_time("2025-03-29"):
            self.cron()
            self.cron()
        self.assertEqual(
            self._requests(plan).mapped("plan_due_date"),
            [fields.Date.to_date("2025-03-05"), fields.Date.to_date("2025-04-05")],
        )

    @freeze_time("2025-03-01")
    def test_unique_plan_due_date(self):
        plan = self._time_plan()
        self.cron()
        request = self._requests(plan)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            request.copy({"plan_due_date": request.plan_due_date, "maintenance_plan_id": plan.id})

    def test_usage_plan(self):
        record = self.env["property.equipment.counter.reading"]._record_usage
        with freeze_time("2025-03-01 08:00:00"):
            plan = self.env["maintenance.plan"].create(
                {
                    "name": "电梯 500 小时保养",
                    "equipment_id": self.elevator.id,
                    "maintenance_kind_id": self.kind_usage.id,
                    "trigger_type": "usage",
                    "counter_type": "running_hours",
                    "usage_interval": 500.0,
                    "lead_days": 7,
                    "checklist_line_ids": [Command.create({"name": "更换齿轮油"})],
                }
            )
            record(self.elevator, "running_hours", 100.0)
        with freeze_time("2025-03-11 08:00:00"):
            record(self.elevator, "running_hours", 300.0)
            # 20 h/day: 500 h in 10 days, beyond the 7 lead days
            self.assertFalse(self._requests(plan))
            self.assertEqual(plan.next_maintenance_date, fields.Date.to_date("2025-03-21"))
        with freeze_time("2025-03-15 08:00:00"):
            record(self.elevator, "running_hours", 400.0)
            # 300 h in 14 days: 100 h left -> 5 days -> 20 March, within the lead days
            self.cron()
            self.cron()
            requests = self._requests(plan)
            self.assertEqual(len(requests), 1)
            self.assertEqual(requests.plan_due_date, fields.Date.to_date("2025-03-20"))
            self.assertEqual(requests.plan_due_usage, 500.0)
            self.assertEqual(requests.checklist_line_ids.name, "更换齿轮油")
            self.assertEqual(self.elevator.running_hours, 400.0)
        with freeze_time("2025-04-20 08:00:00"):
            # the counter passed 1000 h: one request for the 1000 h threshold, due today
            record(self.elevator, "running_hours", 1050.0)
            self.cron()
            requests = self._requests(plan)
            self.assertEqual(requests.mapped("plan_due_usage"), [500.0, 1000.0])
            self.assertEqual(requests[1].plan_due_date, fields.Date.to_date("2025-04-20"))

    def test_usage_counter_cannot_go_back(self):
        record = self.env["property.equipment.counter.reading"]._record_usage
        record(self.elevator, "cycles", 5000.0, fields.Datetime.to_datetime("2025-03-01 08:00:00"))
        with self.assertRaises(ValidationError), self.cr.savepoint():
            record(self.elevator, "cycles", 4000.0, fields.Datetime.to_datetime("2025-03-02 08:00:00"))

    def test_age_plan(self):
        with freeze_time("2025-04-15"):
            plan = self.env["maintenance.plan"].create(
                {
                    "name": "电梯安装满 6 年大修",
                    "equipment_id": self.elevator.id,
                    "maintenance_kind_id": self.kind_overhaul.id,
                    "trigger_type": "age",
                    "age_years": 6,
                    "lead_days": 30,
                }
            )
            self.assertEqual(plan.next_maintenance_date, fields.Date.to_date("2025-06-01"))
            self.cron()
            self.assertFalse(self._requests(plan), "1 June is more than 30 days away")
        with freeze_time("2025-05-10"):
            self.cron()
            self.cron()
            requests = self._requests(plan)
            self.assertEqual(len(requests), 1)
            self.assertEqual(requests.plan_due_date, fields.Date.to_date("2025-06-01"))
            plan.invalidate_recordset(["next_maintenance_date"])
            self.assertEqual(plan._get_next_due()[0], fields.Date.to_date("2031-06-01"))
