"""PIPL from an attacker's seat: a staff login of estate A tries every path to residents'
numbers, and to estate B's residents."""

import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AttackerMixin, PropertyTestCommon

FULL_NUMBERS = ("13812341234", "0571-88886666", "13900001111", "13512345678", "110105199001011232")


@tagged("post_install", "-at_install")
class TestPiiPaths(AttackerMixin, PropertyTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export = cls.env.ref("base.group_allow_export")
        cls.staff = cls.user_frontdesk | cls.user_technician | cls.user_accountant | cls.user_guard
        cls.staff.groups_id = [(4, cls.export.id)]
        cls.user_resident.partner_id.mobile = "13812341234"
        # a second household member of estate A and a supplier (not a resident)
        cls.tenant = cls.env["res.partner"].create({"name": "王芳", "mobile": "13512345678"})
        cls.env["property.occupancy"].create(
            {
                "unit_id": cls.unit_a2.id,
                "partner_id": cls.tenant.id,
                "role": "tenant",
                "date_start": "2024-01-01",
            }
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "电梯维保公司", "is_company": True, "mobile": "13611112222"}
        )

    def test_pii_fields_declared(self):
        self.assertLessEqual(
            {"phone", "mobile", "id_card_number"}, self.env["res.partner"]._property_pii_field_names()
        )
        # res.users' numbers are its partner's (inherited fields): covered without declaration
        self.assertLessEqual({"phone", "mobile"}, self.env["res.users"]._property_pii_field_names())
        self.assertFalse(self.env["property.unit"]._property_pii_field_names())

    def test_read_paths_masked_per_role(self):
        spec = {"mobile": {}, "phone": {}, "user_ids": {"fields": {"mobile": {}, "phone": {}}}}
        for user in self.staff:
            with self.subTest(user=user.login):
                partner = self.owner.with_user(user)
                Partner = self.env["res.partner"].with_user(user)
                self.assertEqual(partner.read(["mobile"])[0]["mobile"], "138****1234")
                for data in (
                    partner.read(["mobile", "phone"]),
                    partner.web_read(spec),
                    Partner.search_read([("is_property_resident", "=", True)], ["mobile", "phone"]),
                    Partner.web_search_read([("is_property_resident", "=", True)], spec),
                    partner.export_data(["name", "mobile", "phone", "user_ids/mobile"]),
                    self.env["property.occupancy"]
                    .with_user(user)
                    .search([])
                    .export_data(["partner_id/mobile", "partner_id/phone", "partner_id/name"]),
                    self.env["property.occupancy"]
                    .with_user(user)
                    .search([])
                    .web_read({"partner_id": {"fields": {"mobile": {}}}}),
                    self.user_resident.with_user(user).read(["mobile", "phone"]),
                    Partner.name_search("138"),
                    Partner.name_search("张伟"),
                    partner.copy_data(),
                    partner.onchange({}, [], {"mobile": {}, "phone": {}}),
                ):
                    self.assert_no_full_number(data, FULL_NUMBERS, user.login)

    def test_oracles_refused_per_role(self):
        for user in self.staff:
            with self.subTest(user=user.login):
                Partner = self.env["res.partner"].with_user(user)
                for domain in (
                    [("mobile", "=like", "138%")],
                    [("phone", "ilike", "8888")],
                    [("mobile", "=", "13812341234")],
                    ["|", ("name", "=", "x"), ("mobile", "like", "1381")],
                    [("user_ids.mobile", "like", "1381")],
                    [("parent_id.mobile", "like", "1381")],
                ):
                    with self.assertRaises(AccessError, msg=str(domain)):
                        Partner.search_count(domain)
                with self.assertRaises(AccessError):
                    self.env["res.users"].with_user(user).search_count([("mobile", "=like", "138%")])
                with self.assertRaises(AccessError):
                    self.env["property.occupancy"].with_user(user).search_count(
                        [("partner_id.mobile", "like", "1")]
                    )
                with self.assertRaises(AccessError):
                    Partner.search([], order="mobile")
                with self.assertRaises(AccessError):
                    Partner.read_group([], ["__count"], ["mobile"])
                with self.assertRaises(AccessError):
                    Partner.web_read_group([], ["__count"], ["mobile"])
                with self.assertRaises(AccessError):
                    Partner.read_group([], ["mobile:array_agg"], [])
                with self.assertRaises(AccessError):
                    self.env["res.users"].with_user(user).read_group([], ["__count"], ["mobile"])
                # "has a number" says nothing about it
                self.assertTrue(Partner.search_count([("mobile", "!=", False)]))

    def test_generic_sweep_staff(self):
        self.assert_no_pii_leak(self.staff)

    def test_managers_and_residents_see_numbers(self):
        Partner = self.env["res.partner"].with_user(self.user_manager)
        self.assertEqual(self.owner.with_user(self.user_manager).read(["mobile"])[0]["mobile"], "13812341234")
        self.assertEqual(Partner.search_count([("mobile", "=like", "138%"), ("id", "=", self.owner.id)]), 1)
        groups = Partner.read_group([("id", "=", self.owner.id)], ["__count"], ["mobile"])
        self.assertEqual(groups[0]["mobile"], "13812341234")
        self.assertEqual(self.owner.with_user(self.user_manager).copy_data()[0]["mobile"], "13812341234")
        self.assertEqual(
            self.user_resident.partner_id.with_user(self.user_resident).read(["mobile"])[0]["mobile"],
            "13812341234",
        )
        # suppliers are not residents
        self.assertEqual(
            self.supplier.with_user(self.user_frontdesk).read(["mobile"])[0]["mobile"], "13611112222"
        )

    def test_business_code_reads_real_numbers(self):
        self.assertEqual(self.owner.with_user(self.user_frontdesk).mobile, "13812341234")
        self.assertEqual(
            self.owner.with_user(self.user_frontdesk).sudo().read(["mobile"])[0]["mobile"], "13812341234"
        )

    def test_masked_value_never_written(self):
        for model, record in (("res.partner", self.supplier), ("res.users", self.user_internal)):
            with self.subTest(model=model), self.assertRaises(UserError):
                record.with_user(self.user_manager).write({"mobile": "138****1234"})
        with self.assertRaises(UserError):
            self.env["res.partner"].create({"name": "x", "mobile": "138****1234"})
        # a copy made below manager does not carry the number out
        copy = self.owner.with_user(self.user_frontdesk).copy()
        self.assertFalse(copy.mobile)


@tagged("post_install", "-at_install")
class TestEstateScoping(AttackerMixin, PropertyTestCommon):
    def test_residents_of_assigned_estates_only(self):
        company_partner = self.env.company.partner_id
        supplier = self.env["res.partner"].create({"name": "供应商", "is_company": True})
        for role in self.STAFF_ROLES:
            user = getattr(self, role)
            with self.subTest(user=user.login):
                Partner = self.env["res.partner"].with_user(user)
                visible = Partner.search([("id", "in", (self.owner | self.owner_b).ids)])
                self.assertEqual(visible, self.owner)
                with self.assertRaises(AccessError):
                    self.owner_b.with_user(user).read(["name"])
                groups = Partner.read_group([("is_property_resident", "=", True)], ["__count"], [])
                self.assertEqual(groups[0]["__count"], 1)
                # non-residents keep working: the company, suppliers, users' own contacts
                self.assertEqual(
                    Partner.search([("id", "in", (company_partner | supplier | user.partner_id).ids)]),
                    company_partner | supplier | user.partner_id,
                )
                user.partner_id.with_user(user).read(["name", "email"])
        # the manager sees every estate's residents
        self.assertEqual(
            self.env["res.partner"]
            .with_user(self.user_manager)
            .search([("id", "in", (self.owner | self.owner_b).ids)]),
            self.owner | self.owner_b,
        )

    def test_colleague_living_in_another_estate_stays_visible(self):
        colleague = new_test_user(self.env, login="t_colleague", groups="property_base.group_property_user")
        self.env["property.occupancy"].create(
            {
                "unit_id": self.unit_b.id,
                "partner_id": colleague.partner_id.id,
                "role": "tenant",
                "date_start": "2024-01-01",
            }
        )
        self.assertTrue(colleague.partner_id.is_property_resident)
        Partner = self.env["res.partner"].with_user(self.user_frontdesk)
        self.assertEqual(Partner.search([("id", "=", colleague.partner_id.id)]), colleague.partner_id)

    def test_every_estate_model_isolated(self):
        staff = self.user_frontdesk | self.user_technician | self.user_accountant | self.user_guard
        checked = self.assert_estate_isolated(staff, self.estate_b)
        self.assertLessEqual({"property.building", "property.unit", "property.occupancy"}, checked)


@tagged("post_install", "-at_install")
class TestPiiRemote(HttpCase):
    """Recordset helpers that read fields by name are refused over RPC."""

    def test_mapped_over_rpc(self):
        owner = self.env["res.partner"].create({"name": "张伟", "mobile": "13812341234"})
        estate = self.env["property.estate"].create({"name": "翠湖花园", "code": "RA"})
        building = self.env["property.building"].create({"estate_id": estate.id, "code": "1", "name": "1幢"})
        unit = self.env["property.unit"].create({"building_id": building.id, "floor": 1, "number": "0101"})
        self.env["property.occupancy"].create(
            {"unit_id": unit.id, "partner_id": owner.id, "role": "owner", "date_start": "2020-01-01"}
        )
        user = new_test_user(self.env, login="t_rpc_desk", groups="property_base.group_property_user")
        user.property_estate_ids = estate
        self.authenticate("t_rpc_desk", "t_rpc_desk")
        for method, args in (
            ("mapped", [[owner.id], "mobile"]),
            ("filtered_domain", [[owner.id], [("mobile", "=like", "138%")]]),
            ("sorted", [[owner.id], "mobile"]),
            ("read_group", [[], ["__count"], ["mobile"]]),
        ):
            with self.subTest(method=method), self.assertLogs("odoo.http", "WARNING"):
                response = self.url_open(
                    f"/web/dataset/call_kw/res.partner/{method}",
                    data=json.dumps(
                        {
                            "jsonrpc": "2.0",
                            "method": "call",
                            "params": {"model": "res.partner", "method": method, "args": args, "kwargs": {}},
                        }
                    ),
                    headers={"Content-Type": "application/json"},
                )
                payload = response.json()
                self.assertIn("error", payload)
                self.assertNotIn("13812341234", response.text)
        # not refused: what says nothing about the number
        response = self.url_open(
            "/web/dataset/call_kw/res.partner/mapped",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "res.partner",
                        "method": "mapped",
                        "args": [[owner.id], "name"],
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json()["result"], ["张伟"])
