from datetime import date

from odoo.tests import tagged

from odoo.addons.property_security.tests.common import SecurityTestCommon


@tagged("post_install", "-at_install")
class SecurityWorkorderCommon(SecurityTestCommon):
    """property_security's estates, guards and cameras, plus request categories, a patrol
    route with three checkpoints and incidents in each estate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        ref = env.ref
        cls.Request = env["property.request"]
        cls.Incident = env["property.security.incident"]
        cls.cat_plumbing = ref("property_workorder.request_category_plumbing")
        cls.cat_elevator = ref("property_workorder.request_category_elevator")
        cls.cat_doors = ref("property_workorder.request_category_doors_locks")
        cls.incident_leak = cls.Incident.create(
            {
                "alarm_type": "leak",
                "estate_id": cls.estate_a.id,
                "building_id": cls.building_a.id,
                "unit_id": cls.unit_a.id,
                "description": "0502室厨房水管爆裂，水流到楼下",
            }
        )
        cls.incident_medical = cls.Incident.create(
            {"alarm_type": "medical", "estate_id": cls.estate_a.id, "area": "中心花园"}
        )
        cls.incident_b = cls.Incident.create(
            {"alarm_type": "intrusion", "estate_id": cls.estate_b.id, "description": "南门道闸被撞坏"}
        )
        cls.route = env["property.security.patrol.route"].create(
            {
                "name": "夜间外围巡逻",
                "estate_id": cls.estate_a.id,
                "schedule_times": "08:00",
                "guard_id": cls.user_guard.id,
                "checkpoint_ids": [
                    (0, 0, {"sequence": 1, "name": "北门岗亭", "expected_offset": 0, "tolerance": 5}),
                    (0, 0, {"sequence": 2, "name": "地下车库", "expected_offset": 10, "tolerance": 5}),
                    (
                        0,
                        0,
                        {
                            "sequence": 3,
                            "name": "3号楼消防通道",
                            "expected_offset": 20,
                            "tolerance": 5,
                            "building_id": cls.building_a.id,
                        },
                    ),
                ],
            }
        )
        cls.cp1, cls.cp2, cls.cp3 = cls.route.checkpoint_ids

    def patrol_run(self):
        """The run of 10 March 2025, 08:00 Shanghai (00:00 UTC; checkpoints at 00:00, 00:10, 00:20)."""
        return self.route._generate_runs(date(2025, 3, 10)).sorted("date_planned")[0]
