import json
from datetime import date
from unittest.mock import patch

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PortalTestCommon
from .test_resident_site import ChineseSiteMixin

API = "/api/portal/v1"
# every one-time code of the test is 123456 (the SMS itself lies outside the suite)
FIXED_CODE = patch(
    "odoo.addons.property_portal.models.property_portal_rate_limit.secrets.randbelow", return_value=123456
)


class BindingCommon(PortalTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # on file for unit A (family), with no account yet
        cls.relative = cls.env["res.partner"].create({"name": "王芳", "mobile": "137 0000 1234"})
        cls.env["property.occupancy"].create(
            {
                "unit_id": cls.unit_a.id,
                "partner_id": cls.relative.id,
                "role": "family",
                "date_start": date(2022, 1, 1),
            }
        )
        cls.Binding = cls.env["property.binding.request"]

    def post(self, path, data, headers=None):
        return self.url_open(
            f"{API}{path}",
            data=json.dumps(data),
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    def api_bind(self, phone, unit, *, name="赵敏", role="tenant", code="123456", send=True):
        with FIXED_CODE:
            if send:
                self.assertEqual(self.post("/bind/otp", {"phone": phone}).json(), {"sent": True})
            return self.post(
                "/bind", {"phone": phone, "code": code, "unit_id": unit.id, "name": name, "role": role}
            )


@tagged("post_install", "-at_install")
class TestBinding(BindingCommon):
    """A resident binds to their home: at once when the number is on file for the unit, after the
    front desk's approval otherwise."""

    def test_number_on_file_binds_at_once(self):
        answer = self.api_bind("+86 137-0000-1234", self.unit_a, name="王芳", role="family")
        self.assertEqual(answer.status_code, 200, answer.text)
        data = answer.json()
        self.assertEqual(data["status"], "bound")
        user = self.relative.user_ids
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.login, "13700001234")
        me = self.url_open(f"{API}/me", headers={"Authorization": f"Bearer {data['token']}"}).json()
        self.assertEqual([u["id"] for u in me["units"]], self.unit_a.ids)
        record = self.Binding.search([("phone", "=", "13700001234")])
        self.assertEqual((record.state, record.partner_id, record.user_id), ("bound", self.relative, user))

    def test_unknown_number_waits_then_front_desk_approves(self):
        answer = self.api_bind("13655556666", self.unit_a2)
        self.assertEqual(answer.json()["status"], "pending")
        record = self.Binding.browse(answer.json()["request_id"])
        self.assertEqual((record.state, record.unit_id, record.name), ("pending", self.unit_a2, "赵敏"))
        self.assertFalse(record.partner_id.user_ids, "no account before the decision")
        # asking again keeps one request
        self.assertEqual(self.api_bind("13655556666", self.unit_a2).json()["request_id"], record.id)
        self.assertEqual(self.Binding.search_count([("phone", "=", "13655556666")]), 1)

        record.with_user(self.user_frontdesk).action_approve()
        self.assertEqual(record.state, "approved")
        self.assertEqual(record.decided_by_id, self.user_frontdesk)
        occupancy = record.occupancy_id
        self.assertEqual(
            (occupancy.unit_id, occupancy.role, occupancy.state), (self.unit_a2, "tenant", "current")
        )
        self.assertEqual(record.partner_id.mobile, "13655556666")
        self.assertTrue(record.user_id._is_portal())
        told = record.message_ids[0].body
        self.assertIn(f"/bind?unit={self.unit_a2.id}", told)
        self.assertNotIn("token", told, "no secret travels in the message")
        # the approved resident binds again with a code: now at once
        again = self.api_bind("13655556666", self.unit_a2)
        self.assertEqual(again.json()["status"], "bound")
        with self.assertRaises(UserError):
            record.with_user(self.user_frontdesk).action_approve()

    def test_refusal_needs_a_reason_and_tells_it(self):
        record = self.Binding.browse(self.api_bind("13655556666", self.unit_a2).json()["request_id"])
        desk = record.with_user(self.user_frontdesk)
        with self.assertRaises(UserError):
            desk.action_refuse()
        desk.refuse_reason = "该房屋无此租户登记"
        desk.action_refuse()
        self.assertEqual(record.state, "refused")
        self.assertIn("该房屋无此租户登记", record.message_ids[0].body)
        self.assertFalse(record.partner_id)
        self.assertFalse(self.env["res.users"].search([("login", "=", "13655556666")]))

    def test_website_form(self):
        """The same through the website's form: pending page, then bound at once once approved
        (redirected to Odoo's page to set a password)."""
        self.authenticate(None, None)
        page = self.url_open(f"/bind?unit={self.unit_a2.id}")
        self.assertIn("翠湖花园", page.text)
        self.assertIn(f'data-selected="{self.unit_a2.id}"', page.text)
        values = {
            "csrf_token": http.Request.csrf_token(self),
            "estate_id": self.estate_a.id,
            "building_id": self.building_a.id,
            "unit_id": self.unit_a2.id,
            "role": "tenant",
            "name": "赵敏",
            "phone": "13655556666",
            "code": "123456",
        }
        with FIXED_CODE:
            self.make_jsonrpc_request("/bind/otp", {"phone": "13655556666"})
            page = self.url_open("/bind", data=values)
        self.assertIn("o_property_bind_pending", page.text)
        self.Binding.search([("phone", "=", "13655556666")]).with_user(self.user_frontdesk).action_approve()
        with FIXED_CODE:
            self.make_jsonrpc_request("/bind/otp", {"phone": "13655556666"})
            page = self.url_open("/bind", data=values, allow_redirects=False)
        self.assertEqual(page.status_code, 303)
        self.assertIn("/web/reset_password?", page.headers["Location"])


@tagged("post_install", "-at_install")
class TestBindingAttacks(BindingCommon):
    """What an attacker tries: a guessed or replayed code, another resident's number, a role or
    unit out of reach, floods, and reading other people's requests."""

    def test_wrong_or_replayed_code_binds_nothing(self):
        with FIXED_CODE:
            self.post("/bind/otp", {"phone": "13700001234"})
        wrong = self.api_bind(
            "13700001234", self.unit_a, name="王芳", role="family", code="654321", send=False
        )
        self.assertEqual(wrong.status_code, 400)
        self.assertFalse(self.relative.user_ids)
        self.assertEqual(
            self.api_bind("13700001234", self.unit_a, name="王芳", role="family").json()["status"], "bound"
        )
        replay = self.api_bind("13700001234", self.unit_a, name="王芳", role="family", send=False)
        self.assertEqual(replay.status_code, 400, "a code is used once")

    def test_code_of_my_phone_does_not_bind_another_number(self):
        with FIXED_CODE:
            self.post("/bind/otp", {"phone": "13655556666"})
        answer = self.api_bind("13700001234", self.unit_a, name="王芳", role="family", send=False)
        self.assertEqual(answer.status_code, 400)
        self.assertFalse(self.relative.user_ids)

    def test_claiming_a_home_with_someone_elses_name_waits(self):
        """Knowing a resident's unit is not enough: a number not on file waits for the desk."""
        answer = self.api_bind("13655556666", self.unit_a, name="张伟", role="owner")
        self.assertEqual(answer.json()["status"], "pending")
        self.assertEqual(self.owner.user_ids, self.user_resident, "the owner's account is untouched")

    def test_roles_and_units_out_of_reach(self):
        for role in ("co_owner", "other", "admin", ""):
            answer = self.api_bind("13655556666", self.unit_a2, role=role, send=False)
            self.assertEqual(answer.status_code, 400, role)
        nowhere = self.env["property.unit"].browse(999999)
        self.assertEqual(self.api_bind("13655556666", nowhere, send=False).status_code, 400)
        self.assertFalse(self.Binding.search([("phone", "=", "13655556666")]))

    def test_code_flood_is_limited(self):
        with FIXED_CODE:
            answers = [self.post("/bind/otp", {"phone": "13655556666"}).json() for _i in range(5)]
        self.assertEqual(answers[:3], [{"sent": True}] * 3)
        self.assertIn("refused", answers[-1].get("error", ""))

    def test_daily_cap_stops_many_clients_spending_the_companys_sms(self):
        """A botnet asks for codes for many numbers from many addresses: the company's daily cap
        stops the SMS, whatever the per-client limits allow."""
        self.env["ir.config_parameter"].sudo().set_param("property_portal.binding_otp_daily_cap", "3")
        answers = []
        with FIXED_CODE, patch.object(type(self.env["res.partner"]), "_portal_send_otp") as send:
            for i in range(5):
                with patch(
                    "odoo.addons.property_portal.tools.rate_limit.client_ip", return_value=f"10.0.0.{i}"
                ):
                    answers.append(self.post("/bind/otp", {"phone": f"1365555000{i}"}).json())
        self.assertEqual(answers[:3], [{"sent": True}] * 3)
        self.assertEqual(send.call_count, 3, "no SMS past the cap")
        self.assertIn("error", answers[3])
        self.assertIn("error", answers[4])

    def test_poisoned_input(self):
        for payload in ([], {"phone": {"$ne": 1}}, {"phone": "1" * 5000, "code": "1", "unit_id": "x"}):
            response = self.post("/bind", payload)
            self.assertEqual(response.status_code, 400, payload)
        long_name = self.api_bind("13655556666", self.unit_a2, name="赵" * 500)
        self.assertEqual(len(self.Binding.browse(long_name.json()["request_id"]).name), 64)

    def test_requests_are_read_by_their_estates_front_desk_only(self):
        record = self.Binding.browse(self.api_bind("13655556666", self.unit_a2).json()["request_id"])
        desk_b = new_test_user(self.env, login="t_desk_b", groups="property_base.group_property_front_desk")
        desk_b.property_estate_ids = self.estate_b
        Binding = self.Binding.with_user(desk_b)
        self.assertFalse(Binding.search([]))
        self.assertFalse(Binding.read_group([], ["state"], ["state"]))
        self.assertFalse(Binding.name_search("赵"))
        with self.assertRaises(AccessError):
            record.with_user(desk_b).read(["phone"])
        with self.assertRaises(AccessError):
            record.with_user(desk_b).action_approve()
        for user in (self.user_resident, self.user_technician, self.user_guard):
            with self.assertRaises(AccessError, msg=user.login):
                self.Binding.with_user(user).search([])
        mine = self.Binding.with_user(self.user_frontdesk).search([])
        self.assertEqual(mine, record)
        self.assertEqual(mine.read(["phone"])[0]["phone"], "136****6666", "PIPL: the desk sees it masked")
        with self.assertRaises(AccessError):
            self.Binding.with_user(self.user_frontdesk).search([("phone", "like", "1365")])

    def test_options_list_names_only(self):
        units = self.url_open(f"{API}/bind/options?building_id={self.building_a.id}").json()["options"]
        self.assertTrue({u["name"] for u in units} >= {"0502", "0503"})
        text = json.dumps(units, ensure_ascii=False)
        self.assertNotIn("张伟", text)
        self.assertNotIn("1381234", text)

    def test_openapi_lists_the_binding_endpoints(self):
        paths = self.url_open(f"{API}/openapi.json").json()["paths"]
        for path in ("/bind/options", "/bind/otp", "/bind"):
            self.assertIn(path, paths)


@tagged("post_install", "-at_install")
class TestBindingTours(ChineseSiteMixin, BindingCommon):
    """Self-binding on a phone, in Chinese; the front desk's approval in the back office."""

    browser_size = "375x812"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        # a name of its own: the demo data has an estate called like the test's
        self.estate_a.name = "临江花园"

    def test_tour_newcomer_waits_then_front_desk_approves(self):
        self.use_chinese_site()
        with FIXED_CODE:
            self.start_tour("/bind", "property_portal_bind_pending")
        record = self.Binding.search([("phone", "=", "13655556666")])
        self.assertEqual(
            (record.state, record.unit_id, record.role, record.name),
            ("pending", self.unit_a, "tenant", "赵敏"),
        )
        self.use_chinese(self.user_frontdesk, ["property_portal"])
        self.browser_size = "1440x900"
        self.touch_enabled = False
        action = self.env.ref("property_portal.property_binding_request_action")
        self.start_tour(f"/odoo/action-{action.id}", "property_front_desk_binding", login="t_frontdesk")
        self.assertEqual(record.state, "approved")
        self.assertEqual(record.occupancy_id.role, "family", "the desk corrected the role")
        self.assertTrue(record.user_id._is_portal())

    def test_tour_resident_on_file_binds_at_once(self):
        self.use_chinese_site()
        with FIXED_CODE:
            self.start_tour("/bind", "property_portal_bind_at_once")
        user = self.relative.user_ids
        self.assertTrue(user._is_portal())
        self.assertTrue(user.login_date, "signed in after setting the password")
