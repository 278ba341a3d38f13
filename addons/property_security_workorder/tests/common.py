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
        cls.route, cls.cp1, cls.cp2, cls.cp3 = cls.create_patrol_route("08:00")

    def patrol_run(self):
        """The run of 10 March 2025, 08:00 Shanghai (00:00 UTC; checkpoints at 00:00, 00:10, 00:20)."""
        return self.route._generate_runs(date(2025, 3, 10)).sorted("date_planned")[0]
