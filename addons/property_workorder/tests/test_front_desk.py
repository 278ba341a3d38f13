from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.property_base.tests.common import PropertyTestCommon

LEAK = "厨房水管漏水了，地上全是水，麻烦尽快来修"


@tagged("post_install", "-at_install")
class TestFrontDeskPhoneCall(PropertyTestCommon, HttpCase):
    """The front desk takes a phone call through the real form, in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        plumbing = cls.env.ref("property_workorder.request_category_plumbing")
        cls.team = cls.env["property.service.team"].create(
            {
                "name": "翠湖花园工程部",
                "estate_id": cls.estate_a.id,
                "category_ids": [Command.set(plumbing.ids)],
            }
        )
        cls.plumber = cls.env["hr.employee"].create(
            {
                "name": "王师傅",
                "user_id": cls.user_technician.id,
                "is_property_technician": True,
                "property_team_id": cls.team.id,
                "property_category_ids": [Command.set(plumbing.ids)],
                "property_estate_ids": [Command.set(cls.estate_a.ids)],
            }
        )
        # lived in estate A, moved out: still a resident the desk knows, with no current unit
        cls.former = cls.env["res.partner"].create({"name": "王芳", "mobile": "13700007777"})
        cls.env["property.occupancy"].create(
            {
                "unit_id": cls.unit_a2.id,
                "partner_id": cls.former.id,
                "role": "tenant",
                "date_start": date(2019, 1, 1),
                "date_end": date(2020, 1, 1),
            }
        )
        cls.plumbing = plumbing

    def setUp(self):
        super().setUp()
        self.use_chinese(self.user_frontdesk, ["property_workorder"])
        self.form_url = f"/odoo/action-{self.env.ref('property_workorder.property_request_action').id}/new"

    def test_tour_phone_call_classified_and_dispatched(self):
        self.start_tour(self.form_url, "property_front_desk_phone_request", login="t_frontdesk")
        request = self.env["property.request"].search([("description", "=", LEAK)])
        self.assertEqual(len(request), 1)
        self.assertEqual(
            (request.partner_id, request.unit_id, request.estate_id), (self.owner, self.unit_a, self.estate_a)
        )
        self.assertEqual(request.contact_phone, "13812341234", "the reporter's real number, not its mask")
        self.assertEqual(request.source, "phone")
        self.assertEqual(request.category_id, self.plumbing, "classified")
        self.assertEqual((request.state, request.dispatch_mode), ("assigned", "auto"))
        self.assertEqual(request.technician_id, self.plumber, "dispatched to the covering team's technician")

    def test_tour_missing_estate_says_so(self):
        # the server refuses the save (a warning in the log, on purpose): the dialog is the test
        with mute_logger("odoo.http"):
            self.start_tour(self.form_url, "property_front_desk_request_no_estate", login="t_frontdesk")
        # saved once the estate is chosen, not before
        request = self.env["property.request"].search([("partner_id", "=", self.former.id)])
        self.assertEqual(len(request), 1)
        self.assertEqual((request.estate_id, request.source), (self.estate_a, "phone"))

    def test_missing_estate_message(self):
        Request = self.env["property.request"].with_user(self.user_frontdesk)
        values = {"description": "家里没电了", "partner_id": self.former.id, "source": "phone"}
        with self.assertRaisesRegex(ValidationError, "^请选择报事所在的小区"):
            Request.with_context(lang="zh_CN").create(values)
        with self.assertRaisesRegex(ValidationError, "Choose the estate"):
            Request.with_context(lang="en_US").create(values)

    def test_reporter_onchange_fills_unit_estate_phone(self):
        Request = self.env["property.request"].with_user(self.user_frontdesk)
        result = Request.onchange(
            {"partner_id": self.owner.id},
            ["partner_id"],
            {"partner_id": {}, "unit_id": {}, "building_id": {}, "estate_id": {}, "contact_phone": {}},
        )["value"]
        self.assertEqual(result["unit_id"], self.unit_a.id)
        self.assertEqual(result["estate_id"], self.estate_a.id)
        self.assertEqual(result["contact_phone"], "138****1234", "masked for the front desk")
        # sent back as shown, the mask stands for the reporter's own number
        request = Request.create(
            {
                "description": LEAK,
                "partner_id": self.owner.id,
                "unit_id": self.unit_a.id,
                "contact_phone": "138****1234",
            }
        )
        self.assertEqual(request.sudo().contact_phone, "13812341234")

    def test_reporter_of_another_estate_is_not_offered(self):
        Partner = self.env["res.partner"].with_user(self.user_frontdesk)
        found = {partner_id for partner_id, _name in Partner.name_search("李娜")}
        self.assertNotIn(self.owner_b.id, found, "estate B's resident is not offered to estate A's desk")
        found = {
            partner_id
            for partner_id, _name in Partner.name_search(
                "", [("is_property_resident", "=", True)], limit=1000
            )
        }
        self.assertIn(self.owner.id, found)
        self.assertNotIn(self.owner_b.id, found)
        # nor does the onchange reveal their unit
        result = (
            self.env["property.request"]
            .with_user(self.user_frontdesk)
            .onchange({"partner_id": self.owner_b.id}, ["partner_id"], {"partner_id": {}, "unit_id": {}})
        )["value"]
        self.assertFalse(result.get("unit_id"))
        # and a masked number that is not the reporter's is refused, never swapped in
        with self.assertRaises(UserError):
            self.env["property.request"].with_user(self.user_frontdesk).create(
                {
                    "description": LEAK,
                    "partner_id": self.owner.id,
                    "unit_id": self.unit_a.id,
                    "contact_phone": "139****1111",
                }
            )
