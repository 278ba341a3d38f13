from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PropertyTestCommon


@tagged("post_install", "-at_install")
class TestAccessMatrix(PropertyTestCommon):
    """Who can read and change what: staff by assigned estate, managers everywhere in their
    companies, residents only their household."""

    def _visible(self, user, model):
        return self.env[model].with_user(user).search([])

    def test_staff_see_only_assigned_estates(self):
        for user in (self.user_frontdesk, self.user_technician, self.user_guard, self.user_accountant):
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user, "property.estate"), self.estate_a)
                self.assertEqual(self._visible(user, "property.building"), self.building_a)
                self.assertEqual(self._visible(user, "property.unit"), self.unit_a | self.unit_a2)
                self.assertEqual(self._visible(user, "property.occupancy"), self.occupancy)
                with self.assertRaises(AccessError):
                    self.unit_b.with_user(user).read(["code"])
                with self.assertRaises(AccessError):
                    self.estate_b.with_user(user).read(["name"])

    def test_assignment_change_applies_at_once(self):
        self.user_frontdesk.property_estate_ids = self.estate_b
        self.assertEqual(self._visible(self.user_frontdesk, "property.estate"), self.estate_b)
        self.estate_a.user_ids = [(4, self.user_frontdesk.id)]
        self.assertEqual(self._visible(self.user_frontdesk, "property.estate"), self.estate_a | self.estate_b)

    def test_staff_rights(self):
        unit = self.unit_a.with_user(self.user_frontdesk)
        unit.status = "renovating"  # front desk updates a unit's status
        self.assertEqual(self.unit_a.status, "renovating")
        with self.assertRaises(AccessError):
            self.env["property.estate"].with_user(self.user_frontdesk).create({"name": "X", "code": "X"})
        with self.assertRaises(AccessError):
            self.env["property.unit"].with_user(self.user_frontdesk).create(
                {"building_id": self.building_a.id, "floor": 2, "number": "0201", "gross_area": 50}
            )
        with self.assertRaises(AccessError):
            self.estate_a.with_user(self.user_frontdesk).name = "renamed"
        # front desk records a new tenant of an estate it works on, not of another one
        self.env["property.occupancy"].with_user(self.user_frontdesk).create(
            {"unit_id": self.unit_a2.id, "partner_id": self.owner_b.id, "role": "tenant"}
        )
        with self.assertRaises(AccessError):
            self.env["property.occupancy"].with_user(self.user_frontdesk).create(
                {"unit_id": self.unit_b.id, "partner_id": self.owner.id, "role": "tenant"}
            )
        with self.assertRaises(AccessError):
            self.occupancy.with_user(self.user_frontdesk).unlink()

    def test_manager_sees_all_and_edits_master_data(self):
        Estate = self.env["property.estate"].with_user(self.user_manager)
        self.assertEqual(Estate.search([]) & (self.estate_a | self.estate_b), self.estate_a | self.estate_b)
        estate = Estate.create({"name": "新城", "code": "N"})
        building = (
            self.env["property.building"]
            .with_user(self.user_manager)
            .create({"estate_id": estate.id, "code": "1", "name": "1号楼", "floors_above": 3})
        )
        self.env["property.unit"].with_user(self.user_manager).create(
            {"building_id": building.id, "floor": 1, "number": "0101", "gross_area": 60}
        )
        with self.assertRaises(AccessError):
            estate.unlink()  # deleting master data is for administrators
        self.assertEqual(estate.with_user(self.user_admin).unit_count, 1)

    def test_administrator_deletes(self):
        estate = self.env["property.estate"].create({"name": "临时", "code": "T"})
        estate.with_user(self.user_admin).unlink()
        self.assertFalse(estate.exists())

    def test_other_internal_users_have_no_access(self):
        with self.assertRaises(AccessError):
            self.env["property.estate"].with_user(self.user_internal).search([])
        with self.assertRaises(AccessError):
            self.env["property.occupancy"].with_user(self.user_internal).search([])

    def test_resident_sees_own_household_only(self):
        resident = self.user_resident
        self.assertEqual(self._visible(resident, "property.unit"), self.unit_a)
        self.assertEqual(self._visible(resident, "property.estate"), self.estate_a)
        self.assertEqual(self._visible(resident, "property.occupancy"), self.occupancy)
        with self.assertRaises(AccessError):
            self.unit_b.with_user(resident).read(["code"])
        with self.assertRaises(AccessError):
            self.unit_a.with_user(resident).write({"status": "vacant"})
        with self.assertRaises(AccessError):
            self.env["property.occupancy"].with_user(resident).create(
                {"unit_id": self.unit_a.id, "partner_id": resident.partner_id.id, "role": "family"}
            )

    def test_family_member_sees_household(self):
        member = self.env["res.partner"].create({"name": "张小明"})
        self.env["property.occupancy"].create(
            {"unit_id": self.unit_a.id, "partner_id": member.id, "role": "family", "date_start": "2020-01-01"}
        )
        user = new_test_user(self.env, login="t_family", groups="base.group_portal", partner_id=member.id)
        self.assertEqual(self._visible(user, "property.unit"), self.unit_a)
        self.assertEqual(len(self._visible(user, "property.occupancy")), 2)

    def test_former_resident_loses_access(self):
        self.occupancy.action_end(self.occupancy.date_start.replace(year=2022))
        self.assertFalse(self._visible(self.user_resident, "property.unit"))

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "另一家物业公司"})
        estate = self.env["property.estate"].create({"name": "远方", "code": "F", "company_id": other.id})
        self.assertNotIn(estate, self._visible(self.user_manager, "property.estate"))
        self.user_manager.write({"company_ids": [(4, other.id)]})
        self.assertIn(
            estate,
            self.env["property.estate"]
            .with_user(self.user_manager)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search([]),
        )
