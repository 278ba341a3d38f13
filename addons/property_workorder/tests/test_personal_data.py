"""Requests' contact numbers and field work seen by staff of another estate."""

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.property_base.tests.common import AttackerMixin, PropertyTestCommon


@tagged("post_install", "-at_install")
class TestWorkorderAttacker(AttackerMixin, PropertyTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.user_frontdesk | cls.user_technician | cls.user_accountant | cls.user_guard
        cls.staff.groups_id = [(4, cls.env.ref("base.group_allow_export").id)]
        Request = cls.env["property.request"]
        cls.request_a = Request.create(
            {
                "description": "厨房水管漏水",
                "estate_id": cls.estate_a.id,
                "unit_id": cls.unit_a.id,
                "partner_id": cls.owner.id,
                "contact_phone": "13812341234",
            }
        )
        cls.request_b = Request.create(
            {
                "description": "电梯异响",
                "estate_id": cls.estate_b.id,
                "unit_id": cls.unit_b.id,
                "partner_id": cls.owner_b.id,
                "contact_phone": "13900001111",
            }
        )
        cls.route_b = cls.env["property.route"].create(
            {
                "name": "夜间巡检",
                "estate_id": cls.estate_b.id,
                "next_date": date(2026, 3, 1),
                "checkpoint_ids": [(0, 0, {"name": "东门岗亭"}), (0, 0, {"name": "配电房"})],
            }
        )
        cls.run_b = cls.route_b._generate_runs(date(2026, 3, 1))

    def test_contact_phone_masked(self):
        for user in self.staff:
            with self.subTest(user=user.login):
                request = self.request_a.with_user(user)
                if not request.has_access("read"):
                    continue  # technicians see their own orders and the pool only
                self.assertEqual(request.read(["contact_phone"])[0]["contact_phone"], "138****1234")
                self.assert_no_full_number(
                    [
                        request.web_read({"contact_phone": {}, "partner_id": {"fields": {"mobile": {}}}}),
                        request.export_data(["contact_phone", "partner_id/mobile"]),
                        request.onchange({}, [], {"contact_phone": {}}),
                    ],
                    ["13812341234"],
                    user.login,
                )
                with self.assertRaises(AccessError):
                    request.search_count([("contact_phone", "=like", "138%")])
                with self.assertRaises(AccessError):
                    request.read_group([], ["__count"], ["contact_phone"])
        # the manager and the reporter see it; dispatch code reads it
        self.assertEqual(
            self.request_a.with_user(self.user_manager).read(["contact_phone"])[0]["contact_phone"],
            "13812341234",
        )
        self.assertEqual(self.request_a.with_user(self.user_frontdesk).contact_phone, "13812341234")

    def test_generic_sweep(self):
        samples = self.pii_samples()
        self.assertIn("property.request", samples)
        self.assert_no_pii_leak(self.staff, samples)

    def test_route_checkpoints_and_run_lines_of_other_estates(self):
        self.assertEqual(self.route_b.checkpoint_ids.estate_id, self.estate_b)
        self.assertEqual(self.run_b.line_ids.estate_id, self.estate_b)
        for user in self.staff:
            with self.subTest(user=user.login):
                self.assertFalse(self.env["property.route.checkpoint"].with_user(user).search([]))
                self.assertFalse(self.env["property.route.run.line"].with_user(user).search([]))
                with self.assertRaises(AccessError):
                    self.route_b.checkpoint_ids.with_user(user).read(["token"])
        checked = self.assert_estate_isolated(self.staff, self.estate_b)
        self.assertLessEqual(
            {
                "property.request",
                "property.route",
                "property.route.checkpoint",
                "property.route.run",
                "property.route.run.line",
            },
            checked,
        )
