from odoo import fields
from odoo.tests import freeze_time, tagged

from .common import PropertyAssetCase


@tagged("post_install", "-at_install")
class TestReliability(PropertyAssetCase):
    """A known failure history, with MTBF and MTTR worked out by hand (see readme/USAGE.md)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cat_fire = cls.env.ref("property_asset.equipment_category_fire_system")
        cls.switchgear = cls._create_equipment(
            name="1号楼 低压配电柜", category_id=cls.cat_switchgear.id, install_date="2025-01-01"
        )
        # two scrapped fire pumps: their observation windows are closed, so the SQL view
        # (which measures open windows against the database clock) gives exact figures
        cls.fire_pump_1 = cls._create_equipment(
            name="消防泵 1#", category_id=cls.cat_fire.id, install_date="2025-01-01", scrap_date="2025-01-31"
        )
        cls.fire_pump_2 = cls._create_equipment(
            name="消防泵 2#", category_id=cls.cat_fire.id, install_date="2025-01-01", scrap_date="2025-01-11"
        )
        cls._failure(cls.switchgear, "2025-01-11 00:00:00", "2025-01-11 10:00:00")  # 10 h
        cls._failure(cls.switchgear, "2025-02-10 08:00:00", "2025-02-11 04:00:00")  # 20 h
        cls._failure(cls.switchgear, "2025-03-01 00:00:00", False)  # not repaired yet
        cls._failure(cls.fire_pump_1, "2025-01-05 00:00:00", "2025-01-05 04:00:00")  # 4 h
        cls._failure(cls.fire_pump_1, "2025-01-20 00:00:00", "2025-01-20 08:00:00")  # 8 h
        cls._failure(cls.fire_pump_2, "2025-01-08 00:00:00", "2025-01-08 02:00:00")  # 2 h
        # preventive work is not a failure
        cls.env["maintenance.request"].create(
            {
                "name": "月度保养",
                "equipment_id": cls.switchgear.id,
                "maintenance_type": "preventive",
                "maintenance_team_id": cls.team.id,
                "failure_date": "2025-01-15 00:00:00",
                "repair_end_date": "2025-01-15 05:00:00",
            }
        )

    @classmethod
    def _failure(cls, equipment, start, end):
        return cls.env["maintenance.request"].create(
            {
                "name": f"{equipment.name} 故障",
                "equipment_id": equipment.id,
                "maintenance_type": "corrective",
                "maintenance_team_id": cls.team.id,
                "failure_date": start,
                "repair_end_date": end,
            }
        )

    @freeze_time("2025-03-02 10:00:00")
    def test_failure_date_defaults(self):
        request = self.env["maintenance.request"].create(
            {"name": "旧故障", "equipment_id": self.switchgear.id, "maintenance_team_id": self.team.id}
        )
        self.assertEqual(request.failure_date, fields.Datetime.to_datetime("2025-03-02 10:00:00"))
        past = self.env["maintenance.request"].create(
            {
                "name": "补录故障",
                "equipment_id": self.switchgear.id,
                "maintenance_team_id": self.team.id,
                "request_date": "2025-02-20",
            }
        )
        self.assertEqual(past.failure_date, fields.Datetime.to_datetime("2025-02-20 00:00:00"))
        preventive = self.env["maintenance.request"].create(
            {
                "name": "保养",
                "equipment_id": self.switchgear.id,
                "maintenance_team_id": self.team.id,
                "maintenance_type": "preventive",
            }
        )
        self.assertFalse(preventive.failure_date)

    @freeze_time("2025-03-02 00:00:00")
    def test_equipment_figures(self):
        # window 1 Jan -> 2 Mar = 60 days = 1440 h; repairs 30 h; operating 1410 h; 3 failures, 2 repairs
        self.assertEqual(self.switchgear.failure_count, 3)
        self.assertAlmostEqual(self.switchgear.mtbf_hours, 470.0)
        self.assertAlmostEqual(self.switchgear.mttr_hours, 15.0)
        # scrapped on 31 Jan: 720 h - 12 h = 708 h over 2 failures; 12 h over 2 repairs
        self.assertAlmostEqual(self.fire_pump_1.mtbf_hours, 354.0)
        self.assertAlmostEqual(self.fire_pump_1.mttr_hours, 6.0)
        figures = self.switchgear._get_reliability_figures()[self.switchgear.id]
        self.assertAlmostEqual(figures["operating_hours"], 1410.0)
        self.assertEqual(figures["repair_count"], 2)

    def test_report_per_equipment_and_category(self):
        self.env.flush_all()
        report = self.env["property.asset.reliability.report"]
        line = report.search([("equipment_id", "=", self.fire_pump_1.id)])
        self.assertEqual(line.failure_count, 2)
        self.assertAlmostEqual(line.operating_hours, 708.0)
        self.assertAlmostEqual(line.mtbf, 354.0)
        self.assertAlmostEqual(line.mttr, 6.0)
        self.assertAlmostEqual(
            report.search([("equipment_id", "=", self.fire_pump_2.id)]).operating_hours, 238.0
        )
        # category: (708 + 238) h over 3 failures; (12 + 2) h over 3 repairs - ratios of sums
        [(category, failures, mtbf, mttr)] = report._read_group(
            [("equipment_id", "in", (self.fire_pump_1 | self.fire_pump_2).ids)],
            ["category_id"],
            ["failure_count:sum", "mtbf:sum", "mttr:sum"],
        )
        self.assertEqual(category, self.cat_fire)
        self.assertEqual(failures, 3)
        self.assertAlmostEqual(mtbf, 946.0 / 3)
        self.assertAlmostEqual(mttr, 14.0 / 3)
        # the switchgear window is still open: the view measures it up to the database clock
        switchgear = report.search([("equipment_id", "=", self.switchgear.id)])
        self.assertEqual(switchgear.failure_count, 3)
        self.assertAlmostEqual(switchgear.repair_hours, 30.0)
        self.assertAlmostEqual(switchgear.mttr, 15.0)
