import json
from unittest.mock import patch

from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import PortalTestCommon

API = "/api/portal/v1"


@tagged("post_install", "-at_install")
class TestResidentApi(PortalTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner.mobile = "13812341234"
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("property_portal.wxa_appid", "wx0123456789abcdef")
        params.set_param("property_portal.wxa_secret", "mini-program-secret")

    def post(self, path, data, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.url_open(f"{API}{path}", data=json.dumps(data), headers=headers)

    def send_code(self, phone="13812341234"):
        sent = {}

        def capture(model, phone, code, company=None):
            sent[phone] = code
            return True

        with patch.object(type(self.env["res.partner"]), "_portal_send_otp", capture):
            response = self.post("/otp/send", {"phone": phone})
        return response, sent.get(phone)

    def test_otp_login(self):
        response, code = self.send_code()
        self.assertEqual(response.json(), {"sent": True})
        self.assertEqual(len(code), 6)
        with mute_logger("odoo.http"):
            self.assertEqual(
                self.post(
                    "/login/otp", {"phone": "13812341234", "code": "000000" if code != "000000" else "111111"}
                ).status_code,
                401,
            )
        response = self.post("/login/otp", {"phone": "13812341234", "code": code})
        self.assertEqual(response.status_code, 200)
        token = response.json()["token"]
        # the token works, only its hash is stored, and the code is single use
        me = self.url_open(f"{API}/me", headers={"Authorization": f"Bearer {token}"}).json()
        self.assertEqual(me["units"][0]["code"], self.unit_a.code)
        self.assertEqual(me["amount_due"], 256.5)
        self.assertFalse(self.env["property.portal.api.token"].search([("token_hash", "=", token)]))
        self.assertEqual(self.post("/login/otp", {"phone": "13812341234", "code": code}).status_code, 401)
        # an unknown phone gets the same answer and no code
        response, code = self.send_code("13000000000")
        self.assertEqual(response.json(), {"sent": True})
        self.assertIsNone(code)

    def test_token_expiry(self):
        token = self.env["property.portal.api.token"]._issue(self.user_resident, "otp")
        headers = {"Authorization": f"Bearer {token}"}
        self.assertEqual(self.url_open(f"{API}/bills", headers=headers).status_code, 200)
        with freeze_time("2099-01-01"):
            self.assertEqual(self.url_open(f"{API}/bills", headers=headers).status_code, 401)

    def test_rate_limits(self):
        with mute_logger("odoo.http"):
            statuses = [self.send_code("13812341234")[0].status_code for _i in range(4)]
            self.assertEqual(statuses, [200, 200, 200, 429])
            logins = [
                self.post("/login/otp", {"phone": "13900009999", "code": "123456"}).status_code
                for _i in range(6)
            ]
        self.assertEqual(logins, [401] * 5 + [429])

    def test_wechat_login_binds_invited_resident(self):
        session = {"openid": "oAbCdEf-resident-a", "session_key": "key", "unionid": "uX"}
        with self.fake_wechat(session), mute_logger("odoo.http"):
            response = self.post("/login/wechat", {"code": "wx-code-1"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"], "not_bound")
        _response, code = self.send_code()
        with self.fake_wechat(session):
            response = self.post("/login/wechat", {"code": "wx-code-2", "phone": "13812341234", "otp": code})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.owner.sudo().wechat_openid, "oAbCdEf-resident-a")
        with self.fake_wechat(session) as fake:
            response = self.post("/login/wechat", {"code": "wx-code-3"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.json()["token"])
        calls = fake.return_value.request.call_args_list
        self.assertTrue(any("jscode2session" in str(call) for call in calls))

    def test_openapi_and_features(self):
        doc = self.url_open(f"{API}/openapi.json").json()
        self.assertEqual(doc["openapi"], "3.0.3")
        self.assertIn("/bills/{bill_id}", doc["paths"])
        self.assertIn("/login/wechat", doc["paths"])
        token = self.env["property.portal.api.token"]._issue(self.user_resident, "otp")
        bill = self.url_open(
            f"{API}/bills/{self.bill_a.id}", headers={"Authorization": f"Bearer {token}"}
        ).json()
        self.assertEqual(bill["amount_residual"], 256.5)
        self.assertEqual(bill["lines"][0]["description"], "按建筑面积计费")
        response = self.post("/requests", {"unit_id": self.unit_a.id, "description": "门禁卡失灵"}, token)
        self.assertEqual(response.status_code, 201, response.text)
        created = self.env["property.request"].browse(response.json()["id"])
        self.assertEqual(created.partner_id, self.owner)
        self.assertEqual(created.source, "portal")
        response = self.post("/alarm", {"unit_id": self.unit_a.id, "confirm": True}, token)
        self.assertEqual(response.status_code, 201, response.text)
        alarm = self.env["property.security.alarm"].browse(response.json()["id"])
        self.assertEqual(alarm.unit_id, self.unit_a)
        self.assertEqual(alarm.source, "portal")
        response = self.post("/visitors", {"unit_id": self.unit_a.id, "name": "快递员"}, token)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertTrue(response.json()["pass_token"])
