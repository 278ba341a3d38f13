"""The Property app's residents list: the people of the estates with their unit, building,
role and (masked) mobile, not Odoo's generic contact list; front desk sees its estates only."""

import re
from datetime import date

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common import PropertyTestCommon


class ResidentsCommon(PropertyTestCommon):
    """A tenant and a family member besides the owners of the shared data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner, Occupancy = cls.env["res.partner"], cls.env["property.occupancy"]
        cls.tenant = Partner.create({"name": "王芳", "mobile": "13711112222"})
        cls.child = Partner.create({"name": "张小明", "mobile": "13633334444"})
        Occupancy.create(
            [
                {
                    "unit_id": cls.unit_a2.id,
                    "partner_id": cls.tenant.id,
                    "role": "tenant",
                    "date_start": date(2022, 3, 1),
                },
                {
                    "unit_id": cls.unit_a.id,
                    "partner_id": cls.child.id,
                    "role": "family",
                    "date_start": date(2020, 1, 1),
                },
            ]
        )
        cls.action = cls.env.ref("property_base.res_partner_action_resident")
        cls.list_view = cls.env.ref("property_base.res_partner_view_list_resident")
        cls.form_view = cls.env.ref("property_base.res_partner_view_form_resident")
        cls.search_view = cls.env.ref("property_base.res_partner_view_search_resident")

    def _list(self, user):
        """The action's list as the web client loads it: its views, then its fields' values."""
        Partner = self.env["res.partner"].with_user(user)
        views = Partner.get_views(
            [(view.view_id.id, view.view_mode) for view in self.action.view_ids]
            + [(self.action.search_view_id.id, "search")]
        )["views"]
        names = re.findall(r'<field name="(\w+)"', views["list"]["arch"])
        domain = safe_eval(self.action.domain)
        spec = {
            name: {"fields": {"display_name": {}}} if Partner._fields[name].type == "many2one" else {}
            for name in names
        }
        records = Partner.web_search_read(domain, spec)["records"]
        return views, names, {row["id"]: row for row in records}


@tagged("post_install", "-at_install")
class TestResidentList(ResidentsCommon):
    def test_action_opens_the_property_views(self):
        self.assertEqual(
            [(v.view_mode, v.view_id) for v in self.action.view_ids],
            [("list", self.list_view), ("form", self.form_view)],
        )
        self.assertEqual(self.action.search_view_id, self.search_view)
        self.assertEqual(self.env.ref("property_base.property_resident_menu").action, self.action)
        views, names, __ = self._list(self.user_frontdesk)
        self.assertEqual(
            names[:6],
            [
                "name",
                "resident_estate_id",
                "resident_building_id",
                "resident_unit_id",
                "resident_role",
                "mobile",
            ],
        )
        for generic in ("user_id", "country_id", "vat", "category_id"):
            self.assertNotIn(generic, names, "not the generic contact list")
        form = views["form"]["arch"]
        self.assertIn('name="occupancy_ids"', form)
        self.assertNotIn("sales_purchase", form, "no sales/purchase tab")
        self.assertNotIn('name="property_account_receivable_id"', form)

    def test_list_shows_unit_building_role_and_masked_mobile(self):
        __, __, rows = self._list(self.user_frontdesk)
        owner = rows[self.owner.id]
        self.assertEqual(owner["resident_unit_id"], {"id": self.unit_a.id, "display_name": self.unit_a.code})
        self.assertEqual(owner["resident_building_id"]["id"], self.building_a.id)
        self.assertEqual(owner["resident_estate_id"]["id"], self.estate_a.id)
        self.assertEqual(owner["resident_role"], "owner")
        self.assertEqual(owner["mobile"], "138****1234", "front desk sees the mobile masked (PIPL)")
        self.assertEqual(rows[self.tenant.id]["resident_role"], "tenant")
        self.assertEqual(rows[self.tenant.id]["resident_unit_id"]["id"], self.unit_a2.id)
        self.assertEqual(rows[self.child.id]["resident_role"], "family")
        # the manager reads the numbers in full
        __, __, rows = self._list(self.user_manager)
        self.assertEqual(rows[self.owner.id]["mobile"], "13812341234")

    def test_filters_and_groups(self):
        Partner = self.env["res.partner"].with_user(self.user_frontdesk)
        domain = safe_eval(self.action.domain)
        groups = Partner.read_group(domain, ["__count"], ["resident_role"], lazy=False)
        counts = {g["resident_role"]: g["__count"] for g in groups}
        self.assertEqual((counts.get("owner"), counts.get("tenant"), counts.get("family")), (1, 1, 1))
        by_building = Partner.read_group(domain, ["__count"], ["resident_building_id"], lazy=False)
        self.assertEqual([g["resident_building_id"][0] for g in by_building], [self.building_a.id])
        # the search view's filters, as the web client sends them
        arch = Partner.get_views([(self.search_view.id, "search")])["views"]["search"]["arch"]
        arch = etree.fromstring(arch)
        tenants = safe_eval(arch.xpath("//filter[@name='filter_tenant']")[0].get("domain"))
        self.assertEqual(Partner.search(domain + tenants), self.tenant)
        estate = arch.xpath("//field[@name='resident_estate_id']")[0].get("filter_domain")
        estate = safe_eval(estate, {"self": self.estate_a.name})
        self.assertEqual(Partner.search(domain + estate), self.owner | self.tenant | self.child)

    def test_place_follows_the_calendar(self):
        """A tenant whose lease ends leaves the list's unit column once the daily job has run."""
        occupancy = self.tenant.occupancy_ids
        occupancy.date_end = date(2030, 6, 30)
        self.assertEqual(self.tenant.resident_unit_id, self.unit_a2)
        with freeze_time("2030-07-02"):
            self.env["res.partner"]._cron_update_resident_place()
        self.assertFalse(self.tenant.resident_unit_id)
        self.assertFalse(self.tenant.resident_role)
        # an owner of two units is placed by their strongest role
        self.env["property.occupancy"].create(
            {
                "unit_id": self.unit_a2.id,
                "partner_id": self.child.id,
                "role": "owner",
                "share": 100,
                "date_start": date(2024, 1, 1),
            }
        )
        self.assertEqual((self.child.resident_unit_id, self.child.resident_role), (self.unit_a2, "owner"))

    def test_front_desk_sees_no_resident_of_another_estate(self):
        """Attacker: front desk of estate A, through every read path of the residents list."""
        Partner = self.env["res.partner"].with_user(self.user_frontdesk)
        domain = safe_eval(self.action.domain)
        __, __, rows = self._list(self.user_frontdesk)
        self.assertNotIn(self.owner_b.id, rows)
        self.assertFalse(Partner.search([("id", "=", self.owner_b.id)]))
        self.assertFalse(Partner.search([("resident_estate_id", "=", self.estate_b.id)]))
        self.assertFalse(Partner.search([("occupancy_ids.estate_id", "=", self.estate_b.id)]))
        groups = Partner.read_group(domain, ["__count"], ["resident_estate_id"], lazy=False)
        self.assertEqual([g["resident_estate_id"][0] for g in groups], [self.estate_a.id])
        self.assertEqual(
            Partner.read_group([("resident_estate_id", "=", self.estate_b.id)], ["__count"], [], lazy=False)[
                0
            ]["__count"],
            0,
        )
        self.assertFalse([r for r in Partner.name_search("李娜") if r[0] == self.owner_b.id])
        with self.assertRaises(AccessError):
            Partner.browse(self.owner_b.id).read(["name", "resident_unit_id", "mobile"])
        # the manager sees both estates
        Manager = self.env["res.partner"].with_user(self.user_manager)
        self.assertIn(self.owner_b, Manager.search(domain))


@tagged("post_install", "-at_install")
class TestResidentTour(ResidentsCommon, HttpCase):
    """The front desk's residents list through the web client, in Chinese, in headless Chromium."""

    def test_tour_residents_list(self):
        self.use_chinese(self.user_frontdesk, ["base", "web"])
        self.start_tour(
            f"/odoo/action-{self.action.id}", "property_residents_front_desk", login="t_frontdesk"
        )
