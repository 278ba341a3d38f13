import ast
import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.property_base.tests.common import PropertyTestCommon

from .common import NOW, WorkorderCase

# a 1x1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def require_completion_proof(env, photo=True, signature=True):
    """Set the company's completion requirements through the settings screen's model."""
    env["res.config.settings"].create(
        {"property_request_require_after_photo": photo, "property_request_require_signature": signature}
    ).execute()


@tagged("post_install", "-at_install")
class TestTechnicianTour(PropertyTestCommon, HttpCase):
    """The technician's day on his phone, in Chinese, in headless Chromium."""

    browser_size = "375x812"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        self.use_chinese(self.user_technician, ["property_workorder", "web", "product", "mail"])
        self.estate_a.write({"latitude": 31.2304, "longitude": 121.4737, "geofence_radius": 500.0})
        self.technician = self.env["hr.employee"].create(
            {
                "name": "王师傅",
                "user_id": self.user_technician.id,
                "is_property_technician": True,
                "property_estate_ids": [Command.set(self.estate_a.ids)],
            }
        )
        Product = self.env["product.product"]
        self.valve = Product.create(
            {"name": "测试角阀", "is_storable": True, "is_property_spare_part": True, "standard_price": 18}
        )
        self.chair = Product.create({"name": "测试办公椅", "is_storable": True, "standard_price": 300})
        self.request = self.env["property.request"].create(
            {
                "description": "厨房水管漏水，麻烦尽快处理",
                "estate_id": self.estate_a.id,
                "unit_id": self.unit_a.id,
                "partner_id": self.owner.id,
                "contact_phone": self.owner.mobile,
                "category_id": self.env.ref("property_workorder.request_category_plumbing").id,
                "technician_id": self.technician.id,
            }
        )
        self.request.action_assign()

    def test_tour_technician_day(self):
        require_completion_proof(self.env)
        self.assertTrue(self.request.resolution_deadline)
        action = self.env.ref("property_workorder.property_request_action_mine")
        # the refused completion is a UserError, which odoo.http logs
        with mute_logger("odoo.http"):
            self.start_tour(f"/odoo/action-{action.id}", "property_technician_day", login="t_technician")
        request = self.request
        request.invalidate_recordset()
        self.assertEqual(request.state, "done")
        self.assertTrue(request.accepted_date and request.checkin_date and request.done_date)
        # the browser's position, not 0,0
        self.assertAlmostEqual(request.checkin_latitude, 31.2317, places=6)
        self.assertAlmostEqual(request.checkin_longitude, 121.4752, places=6)
        self.assertGreater(request.checkin_distance_m, 100)
        self.assertLess(request.checkin_distance_m, 500)
        self.assertEqual(request.material_ids.product_id, self.valve)
        self.assertEqual(request.material_ids.quantity, 2)
        self.assertEqual(request.material_cost, 36)
        self.assertEqual(request.after_photo_ids.mapped("name"), ["after.png"])
        self.assertTrue(request.resident_signature)
        self.assertTrue(base64.b64decode(request.resident_signature).startswith(b"\x89PNG"))
        # what the desk decided is untouched
        self.assertEqual((request.unit_id, request.partner_id), (self.unit_a, self.owner))


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestTechnicianFieldWork(WorkorderCase):
    """What a technician may change on his orders, where he checks in, and what completing
    needs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk = cls.env["res.users"].create(
            {
                "name": "前台小林",
                "login": "wo_fw_desk",
                "groups_id": [Command.set(cls.env.ref("property_base.group_property_front_desk").ids)],
                "property_estate_ids": [Command.set(cls.estate.ids)],
            }
        )
        cls.request = cls._request(technician_id=cls.plumber.id, contact_phone="13800138000")
        cls.request.action_assign()

    def test_technician_cannot_change_the_desks_fields(self):
        as_tech = self.request.with_user(self.tech_user_1)
        self.assertTrue(as_tech.is_field_work_only)
        forbidden = {
            "partner_id": self.neighbour.id,
            "unit_id": self.unit_b.id,
            "estate_id": self.estate_far.id,
            "category_id": self.cat_electrical.id,
            "priority": "3",
            "resolution_deadline": "2030-01-01 00:00:00",
            "response_deadline": "2030-01-01 00:00:00",
            "description": "改过的描述",
            "contact_phone": "13900000000",
            "technician_id": self.electrician.id,
            "service_fee": 1000,
            "rating": "5",
        }
        for fname, value in forbidden.items():
            with self.subTest(field=fname), self.assertRaises(AccessError):
                as_tech.write({fname: value})
        self.assertEqual(self.request.unit_id, self.unit_a)
        self.assertEqual(self.request.priority, "1")
        # the field work is his
        as_tech.action_accept()
        as_tech.write(
            {
                "work_note": "已更换角阀",
                "labour_hours": 1.5,
                "after_photo_ids": [
                    Command.create({"name": "after.png", "raw": PNG, "res_model": "property.request"})
                ],
            }
        )
        self.assertEqual(self.request.work_note, "已更换角阀")
        # the desk and the manager still may
        self.request.with_user(self.desk).write({"priority": "2"})
        self.request.with_user(self.manager).write({"priority": "3"})
        self.assertEqual(self.request.priority, "3")
        self.assertFalse(self.request.with_user(self.manager).is_field_work_only)
        self.assertFalse(self.request.with_user(self.desk).is_field_work_only)

    def test_form_shows_the_desks_fields_read_only_to_the_technician(self):
        with Form(self.request.with_user(self.tech_user_1)) as form:
            for fname in ("partner_id", "unit_id", "category_id", "priority", "description", "contact_phone"):
                with self.subTest(field=fname), self.assertRaises(AssertionError):
                    setattr(form, fname, False)
            form.work_note = "已到现场"
        with Form(self.request.with_user(self.desk)) as form:
            form.priority = "2"
        self.assertEqual(self.request.priority, "2")

    def test_check_in_stores_the_position(self):
        self.request.with_user(self.tech_user_1).action_check_in(latitude=31.2317, longitude=121.4752)
        self.assertEqual(self.request.state, "in_progress")
        self.assertAlmostEqual(self.request.checkin_latitude, 31.2317, places=6)
        self.assertAlmostEqual(self.request.checkin_longitude, 121.4752, places=6)
        self.assertTrue(100 < self.request.checkin_distance_m < 500)

    def test_check_in_without_position(self):
        self.request.with_user(self.tech_user_1).action_check_in()
        self.assertEqual(self.request.state, "in_progress")
        self.assertTrue(self.request.checkin_date)
        self.assertEqual((self.request.checkin_latitude, self.request.checkin_longitude), (0, 0))
        self.assertFalse(self.request.checkin_distance_m)

    def test_check_in_refuses_a_forged_position(self):
        with self.assertRaises(UserError):
            self.request.with_user(self.tech_user_1).action_check_in(latitude=391.0, longitude=121.0)
        self.assertEqual(self.request.state, "assigned")
        with self.assertRaises(AccessError):
            self.request.with_user(self.tech_user_1).write({"checkin_latitude": 31.0})

    def test_completion_requires_the_proofs_the_company_asks_for(self):
        request = self.request.with_user(self.tech_user_1)
        request.action_check_in()
        # not required: done without them
        require_completion_proof(self.env, photo=False, signature=False)
        other = self._request(technician_id=self.plumber.id)
        other.action_assign()
        other.with_user(self.tech_user_1).action_check_in()
        other.with_user(self.tech_user_1).action_done()
        self.assertEqual(other.state, "done")
        # required: refused until both are there
        require_completion_proof(self.env)
        self.assertTrue(self.company.property_request_require_after_photo)
        with self.assertRaisesRegex(UserError, "photo after the work and the resident's signature"):
            request.action_done()
        request.write(
            {
                "after_photo_ids": [
                    Command.create({"name": "after.png", "raw": PNG, "res_model": "property.request"})
                ]
            }
        )
        with self.assertRaisesRegex(UserError, "the resident's signature"):
            request.action_done()
        self.assertEqual(self.request.state, "in_progress")
        request.write({"resident_signature": base64.b64encode(PNG)})
        request.action_done()
        self.assertEqual(self.request.state, "done")

    def test_material_picker_offers_spare_parts_only(self):
        Product = self.env["product.product"]
        part = Product.create({"name": "测试角阀", "is_storable": True, "is_property_spare_part": True})
        Product.create({"name": "测试办公椅", "is_storable": True})
        domain = self.env["property.request.material"]._fields["product_id"].domain
        offered = Product.with_user(self.tech_user_1).name_search("测试", args=ast.literal_eval(domain))
        self.assertEqual([p[0] for p in offered], part.ids)
