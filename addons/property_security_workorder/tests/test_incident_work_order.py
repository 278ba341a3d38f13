from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from odoo.addons.property_security.tests.common import T0

from .common import SecurityWorkorderCommon


@tagged("post_install", "-at_install")
@freeze_time(T0)
class TestIncidentWorkOrder(SecurityWorkorderCommon):
    def test_guard_creates_work_order_linked_both_ways(self):
        """A guard of the estate creates the work order from the incident, with his own rights."""
        incident = self.incident_leak.with_user(self.user_guard)
        action = incident.action_create_work_order()
        request = self.Request.browse(action["res_id"])
        self.assertEqual(action["res_model"], "property.request")
        self.assertEqual(request.security_incident_id, self.incident_leak)
        self.assertEqual(self.incident_leak.request_ids, request)
        self.assertEqual(self.incident_leak.request_count, 1)
        self.assertEqual(
            (request.source, request.origin, request.create_uid),
            ("security", self.incident_leak.name, self.user_guard),
        )
        self.assertEqual(
            (request.estate_id, request.building_id, request.unit_id),
            (self.estate_a, self.building_a, self.unit_a),
        )
        self.assertEqual((request.category_id, request.priority), (self.cat_plumbing, "3"))
        self.assertFalse(request.is_category_confirmed, "a mapping, not a person's choice: no training")
        self.assertEqual(request.description, "0502室厨房水管爆裂，水流到楼下")
        self.assertIn(
            f"Work order {request.name} created.", self.incident_leak.event_ids.mapped("description")
        )
        # the guard sees the work order from the incident and the incident from the work order
        self.assertEqual(incident.request_ids.name, request.name)
        self.assertEqual(request.with_user(self.user_guard).security_incident_id.name, incident.name)
        # a second work order (e.g. a second trade) is a second link
        incident.action_create_work_order()
        self.assertEqual(self.incident_leak.request_count, 2)
        view = self.incident_leak.action_view_work_orders()
        self.assertEqual(self.Request.search(view["domain"]), self.incident_leak.request_ids)

    def test_fire_incident_is_a_fire_safety_work_order(self):
        """A fire alarm (a smoke detector's, or a guard's) is a fire-safety (消防) work order,
        never 'other'."""
        incident = self.Incident.create(
            {"alarm_type": "fire", "estate_id": self.estate_a.id, "area": "3号楼大堂"}
        )
        request = incident._create_work_orders()
        fire_safety = self.env.ref("property_workorder.request_category_fire_safety")
        self.assertEqual((request.category_id, request.priority), (fire_safety, "3"))

    def test_place_and_description_from_incident(self):
        request = self.incident_medical._create_work_orders()
        self.assertEqual((request.common_area, request.priority), ("中心花园", "1"))
        self.assertFalse(request.unit_id)
        self.assertIn(self.incident_medical.name, request.description)
        self.assertIn("中心花园", request.description)

    def test_guard_cannot_create_for_other_estate(self):
        with self.assertRaises(AccessError):
            self.incident_b.with_user(self.user_guard).action_create_work_order()
        self.assertFalse(self.incident_b.request_ids)

    def test_frontdesk_cannot_create_from_incident(self):
        """Front-desk staff read incidents but do not act on them."""
        with self.assertRaises(AccessError):
            self.incident_leak.with_user(self.user_frontdesk).action_create_work_order()
