from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import NOW, WorkorderCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAccess(WorkorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.frontdesk = new_test_user(
            cls.env, "wo_desk", groups="property_base.group_property_user", name="前台小林"
        )
        cls.frontdesk.property_estate_ids = [Command.link(cls.estate.id)]
        cls.resident_user = new_test_user(
            cls.env, "wo_resident", groups="base.group_portal", name="张伟", partner_id=cls.resident.id
        )
        cls.own = cls._request(technician_id=cls.plumber.id)
        cls.own.action_assign()
        cls.others = cls._request(
            technician_id=cls.electrician.id,
            category_id=cls.cat_electrical.id,
            unit_id=cls.unit_b.id,
            partner_id=cls.neighbour.id,
        )
        cls.others.action_assign()
        cls.pool = cls._request(unit_id=cls.unit_c.id, partner_id=False)
        cls.pool.action_put_in_pool()
        cls.far = cls._request(
            estate_id=cls.estate_far.id, unit_id=False, common_area="大门", partner_id=False
        )
        cls.all = cls.own | cls.others | cls.pool | cls.far

    def _visible(self, user):
        return self.env["property.request"].with_user(user).search([("id", "in", self.all.ids)])

    def test_technician_sees_own_orders_and_pool(self):
        self.assertEqual(self._visible(self.tech_user_1), self.own | self.pool)
        with self.assertRaises(AccessError):
            self.others.with_user(self.tech_user_1).read(["description"])
        with self.assertRaises(AccessError):
            self.others.with_user(self.tech_user_1).write({"work_note": "x"})
        # can work on their own order
        self.own.with_user(self.tech_user_1).action_accept()
        self.assertEqual(self.own.state, "accepted")

    def test_forms_work_without_hr_or_stock_rights(self):
        for user in (self.tech_user_1, self.frontdesk):
            with self.subTest(user=user.login), Form(self.own.with_user(user)) as form:
                form.work_note = "已更换角阀"
            self.assertEqual(self.own.work_note, "已更换角阀")
        found = (
            self.env["hr.employee"]
            .with_user(self.frontdesk)
            .name_search("", [("is_property_technician", "=", True)])
        )
        self.assertEqual({r[0] for r in found}, {self.plumber.id, self.electrician.id})

    def test_front_desk_sees_their_estates(self):
        self.assertEqual(self._visible(self.frontdesk), self.own | self.others | self.pool)
        with self.assertRaises(AccessError):
            self.far.with_user(self.frontdesk).read(["description"])

    def test_manager_sees_all(self):
        self.assertEqual(self._visible(self.manager), self.all)

    def test_other_company_hidden(self):
        other_company = self.env["res.company"].create({"name": "另一家物业公司"})
        estate = self.env["property.estate"].create(
            {"name": "外公司小区", "code": "WOTEST9", "company_id": other_company.id}
        )
        request = self._request(estate_id=estate.id, unit_id=False, common_area="大堂", partner_id=False)
        self.assertEqual(request.company_id, other_company)
        self.assertFalse(
            self.env["property.request"].with_user(self.manager).search([("id", "=", request.id)])
        )
        with self.assertRaises(AccessError):
            request.with_user(self.manager).read(["description"])

    def test_resident_sees_household_only(self):
        self.assertEqual(self._visible(self.resident_user), self.own)
        with self.assertRaises(AccessError):
            self.others.with_user(self.resident_user).read(["description"])
        with self.assertRaises(AccessError):
            self.own.with_user(self.resident_user).write({"description": "改一下"})
        with self.assertRaises(AccessError):
            self.env["property.request"].with_user(self.resident_user).create(
                {"description": "直接创建", "estate_id": self.estate.id}
            )

    def test_portal_method_for_resident(self):
        Request = self.env["property.request"].with_user(self.resident_user)
        request = Request._portal_create_request(
            self.resident_user.partner_id, {"unit_id": self.unit_a.id, "description": "马桶堵了"}
        )
        self.assertIn(request, self.env["property.request"].with_user(self.resident_user).search([]))
        with self.assertRaises(AccessError):
            Request._portal_create_request(
                self.resident_user.partner_id, {"unit_id": self.unit_b.id, "description": "邻居家漏水"}
            )
