"""Auth, uploads and inputs: one-time codes, API tokens, photo uploads, alarms, visitor passes and
the API's handling of wrong input."""

import json
import re
import struct
import zlib
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessDenied
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools.upload import UploadError, check_image
from .common import PortalTestCommon, png_bytes

API = "/api/portal/v1"
API_MODULE = "odoo.addons.property_portal.tools.rate_limit"


def forged_png(width, height):
    """A real 1 x 1 PNG whose header (IHDR, with a valid CRC) announces ``width`` x ``height``:
    what a decompression bomb looks like to a server that reads the header."""
    data = bytearray(png_bytes((1, 1)))
    struct.pack_into(">II", data, 16, width, height)
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    return bytes(data)


@tagged("post_install", "-at_install")
class TestAuthAndInputs(PortalTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner.mobile = "13812341234"

    # ------------------------------------------------------------------ helpers
    def post(self, path, data, token=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.url_open(
            f"{API}{path}", data=raw if raw is not None else json.dumps(data), headers=headers
        )

    def send_code(self, phone="13812341234"):
        sent = {}

        def capture(model, phone, code, company=None):
            sent[phone] = code
            return True

        with patch.object(type(self.env["res.partner"]), "_portal_send_otp", capture):
            response = self.post("/otp/send", {"phone": phone})
        return response, sent.get(phone)

    def from_ip(self, ip):
        return patch(f"{API_MODULE}.client_ip", return_value=ip)

    def token(self, user=None):
        return self.env["property.portal.api.token"]._issue(user or self.user_resident, "otp")

    def works(self, token):
        return self.url_open(f"{API}/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    def csrf(self, url="/my/feedback"):
        return re.search(r'name="csrf_token" value="([^"]+)"', self.url_open(url).text).group(1)

    # ------------------------------------------------------------------ OTP
    def test_otp_wrong_tries_void_the_code_not_the_phone(self):
        """Five wrong codes, from anywhere, void that code; the resident asks for a new one and
        logs in: nobody can lock them out."""
        with self.from_ip("10.0.0.1"):
            _response, code = self.send_code()
        wrong = "000000" if code != "000000" else "111111"
        with mute_logger("odoo.http"):
            for i in range(5):
                with self.from_ip(f"203.0.113.{i}"):
                    self.assertEqual(
                        self.post("/login/otp", {"phone": "13812341234", "code": wrong}).status_code, 401
                    )
            with self.from_ip("10.0.0.1"):
                refused = self.post("/login/otp", {"phone": "13812341234", "code": code})
        self.assertEqual(refused.status_code, 401, "the code is void after five wrong tries")
        with self.from_ip("10.0.0.1"):
            _response, new_code = self.send_code()
            response = self.post("/login/otp", {"phone": "13812341234", "code": new_code})
        self.assertEqual(response.status_code, 200)

    def test_otp_lockout_is_per_phone_and_client(self):
        """An attacker hammering a phone from their client is stopped; the resident, from their
        own client, still logs in; residents behind the attacker's NAT IP with other phones too."""
        with self.from_ip("10.0.0.1"):
            _response, code = self.send_code()
        with mute_logger("odoo.http"), self.from_ip("198.51.100.7"):
            statuses = [
                self.post("/login/otp", {"phone": "13812341234", "code": f"99999{i}"}).status_code
                for i in range(4)
            ]
            statuses.append(self.post("/login/otp", {"phone": "13812341234", "code": "999990"}).status_code)
            statuses.append(self.post("/login/otp", {"phone": "13812341234", "code": code}).status_code)
        self.assertEqual(statuses, [401] * 5 + [429])
        # the resident on another client: a new code (the old one was voided) and in
        with self.from_ip("10.0.0.1"):
            _response, code = self.send_code()
            self.assertEqual(self.post("/login/otp", {"phone": "13812341234", "code": code}).status_code, 200)
        # another resident behind the attacker's (carrier NAT) IP is not locked out
        self.owner_b.mobile = "13900001111"
        with self.from_ip("198.51.100.7"):
            _response, code_b = self.send_code("13900001111")
            self.assertEqual(
                self.post("/login/otp", {"phone": "13900001111", "code": code_b}).status_code, 200
            )

    def test_otp_send_limit_per_ip(self):
        """The per-IP send limit applies across phones; another client is not affected."""
        with patch(f"{API_MODULE}.OTP_SEND_IP_LIMIT", (4, 600)), mute_logger("odoo.http"):
            with self.from_ip("198.51.100.9"):
                statuses = [self.send_code(f"1370000000{i}")[0].status_code for i in range(5)]
            with self.from_ip("10.0.0.2"):
                self.assertEqual(self.send_code("13700000009")[0].status_code, 200)
        self.assertEqual(statuses, [200] * 4 + [429])

    def test_otp_code_attempts_counted_atomically(self):
        RateLimit = self.env["property.portal.rate.limit"]
        code = RateLimit._otp_issue("13812341234")
        issued = RateLimit.search([("key", "=", "otp:13812341234")], order="id desc", limit=1)
        refused = 0
        for _i in range(4):
            # not assertRaises: it would roll the counting back with its savepoint, while the
            # API's endpoints answer 401 and commit it
            try:
                RateLimit._otp_check("13812341234", "x")
            except AccessDenied:
                refused += 1
        self.assertEqual(refused, 4)
        issued.invalidate_recordset()
        self.assertEqual(issued.otp_attempts, 4)
        self.assertTrue(issued.otp_hash)
        self.assertTrue(RateLimit._otp_check("13812341234", code))

    # ------------------------------------------------------------------ tokens
    def test_token_revoked_on_password_change(self):
        token = self.token()
        self.assertTrue(self.works(token))
        self.user_resident.password = "a-new-password-123"
        self.assertFalse(self.works(token))

    def test_token_revoked_on_move_out_and_transfer(self):
        token_a, token_b = self.token(), self.token(self.user_resident_b)
        yesterday = fields.Date.today() - timedelta(days=1)
        self.occupancy.action_end(yesterday)
        self.env.flush_all()  # as at the end of the transaction that ends the occupancy
        self.assertFalse(self.works(token_a))
        self.assertTrue(self.works(token_b))
        buyer = self.env["res.partner"].create({"name": "买家"})
        self.env["property.ownership.transfer.wizard"].create(
            {"unit_id": self.unit_b.id, "new_owner_id": buyer.id, "date_transfer": fields.Date.today()}
        ).action_transfer()
        self.env.flush_all()
        self.assertFalse(self.works(token_b))

    def test_sign_out_everywhere(self):
        phone, app, other = self.token(), self.token(), self.token(self.user_resident_b)
        response = self.post("/logout/all", {}, token=phone)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.works(phone))
        self.assertFalse(self.works(app))
        self.assertTrue(self.works(other))
        # Odoo's "Log out from all devices" (portal security page) ends the API sessions too
        self.user_resident_b._action_revoke_all_devices()
        self.assertFalse(self.works(other))

    # ------------------------------------------------------------------ uploads
    def test_image_pixel_limit(self):
        """Over 25 megapixels is refused from the header, before any decoding."""
        for width, height in ((16000, 16000), (8000, 8000), (6000, 5000)):
            with self.assertRaises(UploadError) as caught:
                check_image(forged_png(width, height))
            self.assertEqual(str(caught.exception), "too_many_pixels")
        self.assertEqual(check_image(forged_png(4000, 3000)), "image/png")

    def test_upload_over_http(self):
        self.authenticate("t_resident", "t_resident")
        attachments = self.env["ir.attachment"].sudo()
        before = attachments.search_count([("res_model", "=", "property.request")])
        token = self.csrf("/my/requests/new")
        data = {"csrf_token": token, "unit_id": self.unit_a.id, "description": "巨图"}
        response = self.url_open(
            "/my/requests/submit",
            data=data,
            files=[("photos", ("big.png", forged_png(16000, 16000), "image/png"))],
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("more than 25 megapixels", response.text)
        self.assertFalse(self.env["property.request"].search([("description", "=", "巨图")]))
        # an empty description: refused, and no orphan attachment left behind
        for _i in range(3):
            response = self.url_open(
                "/my/requests/submit",
                data=dict(data, description=""),
                files=[("photos", (f"p{i}.png", png_bytes(), "image/png")) for i in range(6)],
            )
            self.assertIn("Describe the problem", response.text)
        self.assertEqual(attachments.search_count([("res_model", "=", "property.request")]), before)
        self.assertEqual(
            attachments.search_count([("res_model", "=", "property.request"), ("res_id", "=", 0)]), 0
        )

    def test_upload_rate_limit(self):
        self.authenticate("t_resident", "t_resident")
        token = self.csrf("/my/requests/new")
        with patch("odoo.addons.property_portal.tools.upload.UPLOAD_LIMIT", (2, 600)):
            texts = []
            for i in range(3):
                texts.append(
                    self.url_open(
                        "/my/requests/submit",
                        data={"csrf_token": token, "unit_id": self.unit_a.id, "description": f"照片{i}"},
                        files=[("photos", ("p.png", png_bytes(), "image/png"))],
                    ).text
                )
        self.assertIn("try again later", texts[2])
        self.assertEqual(self.env["property.request"].search_count([("description", "like", "照片")]), 2)

    # ------------------------------------------------------------------ alarms and passes
    def test_alarm_limit_per_household(self):
        token = self.token()
        statuses = [
            self.post("/alarm", {"unit_id": self.unit_a.id, "confirm": True}, token).status_code
            for _i in range(3)
        ]
        self.assertEqual(statuses, [201, 201, 400])
        refused = self.post("/alarm", {"unit_id": self.unit_a.id, "confirm": True}, token).json()
        self.assertIn("security is on the way", refused["message"])
        self.assertEqual(
            self.env["property.security.alarm"].search_count([("unit_id", "=", self.unit_a.id)]), 2
        )
        # on the website: the message, no new alarm; another household is not affected
        self.authenticate("t_resident", "t_resident")
        page = self.url_open(
            "/my/safety",
            data={"csrf_token": self.csrf(), "unit_id": self.unit_a.id, "alarm_type": "fire", "confirm": "1"},
        ).text
        self.assertIn("security is on the way", page)
        self.assertIn("o_property_alarm_refused", page)
        token_b = self.token(self.user_resident_b)
        self.assertEqual(
            self.post("/alarm", {"unit_id": self.unit_b.id, "confirm": True}, token_b).status_code, 201
        )

    def test_visitor_pass_validity_capped(self):
        token = self.token()
        now = fields.Datetime.now()
        far = self.post(
            "/visitors",
            {
                "unit_id": self.unit_a.id,
                "name": "远客",
                "visit_start": fields.Datetime.to_string(now),
                "visit_end": "2099-01-01 00:00:00",
            },
            token,
        )
        self.assertEqual(far.status_code, 400)
        self.assertIn("7 days", far.json()["message"])
        in_20_days = fields.Datetime.to_string(now + timedelta(days=20))
        self.assertEqual(
            self.post(
                "/visitors", {"unit_id": self.unit_a.id, "name": "远客", "visit_end": in_20_days}, token
            ).status_code,
            400,
        )
        self.env["ir.config_parameter"].sudo().set_param("property_portal.visitor_max_days", "30")
        self.assertEqual(
            self.post(
                "/visitors", {"unit_id": self.unit_a.id, "name": "远客", "visit_end": in_20_days}, token
            ).status_code,
            201,
        )
        self.assertEqual(self.env["property.security.visitor"].search_count([("name", "=", "远客")]), 1)
        # the website form too
        self.env["ir.config_parameter"].sudo().set_param("property_portal.visitor_max_days", "7")
        self.authenticate("t_resident", "t_resident")
        page = self.url_open(
            "/my/visitors",
            data={
                "csrf_token": self.csrf(),
                "unit_id": self.unit_a.id,
                "name": "远客二",
                "visit_start": "2099-01-01T10:00",
                "visit_end": "2099-01-01T12:00",
            },
        ).text
        self.assertIn("7 days", page)
        self.assertFalse(self.env["property.security.visitor"].search_count([("name", "=", "远客二")]))

    # ------------------------------------------------------------------ API input
    def test_api_wrong_types_are_400(self):
        token = self.token()
        cases = [
            ("/requests", {"unit_id": "abc", "description": "x"}),
            ("/requests", {"unit_id": [self.unit_a.id], "description": "x"}),
            ("/requests", {"unit_id": self.unit_a.id, "description": {"a": 1}}),
            ("/requests", {"unit_id": self.unit_a.id, "description": "x", "category_id": "x"}),
            ("/visitors", {"unit_id": self.unit_a.id, "name": "x", "visit_start": 12345}),
            ("/visitors", {"unit_id": self.unit_a.id, "name": "x", "visit_end": "not a date"}),
            ("/visitors", {"unit_id": self.unit_a.id, "name": ["x"]}),
            ("/bills/pay", {"bill_ids": 5}),
            ("/feedback", {"subject": 1, "body": ["x"]}),
            (f"/requests/{self.request_a.id}/reject", {"reason": 42}),
            ("/alarm", {"unit_id": self.unit_a.id, "confirm": True, "note": {"x": 1}}),
        ]
        for path, data in cases:
            response = self.post(path, data, token)
            self.assertEqual(response.status_code, 400, f"{path} {data}: {response.text}")
            self.assertTrue(response.json()["message"], path)
        for raw in ("{not json", "[1, 2]", '"text"'):
            response = self.post("/requests", None, token, raw=raw)
            self.assertEqual(response.status_code, 400, raw)
            self.assertEqual(response.json()["error"], "bad_request")
        for path, data in (
            ("/otp/send", {"phone": 13812341234}),
            ("/login/otp", {"phone": "13812341234", "code": [1]}),
        ):
            self.assertIn(self.post(path, data).status_code, (400, 401), path)
        response = self.post("/otp/send", None, raw="[]")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["property.request"].search(
                [("partner_id", "=", self.owner.id), ("description", "=", "x")]
            )
        )

    def test_api_error_rolls_back(self):
        """A failure after a write leaves nothing behind."""
        token = self.token()
        Request = type(self.env["property.request"])
        with patch.object(Request, "message_subscribe", side_effect=ValueError("broken follower")):
            response = self.post("/requests", {"unit_id": self.unit_a.id, "description": "回滚测试"}, token)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["property.request"].search([("description", "=", "回滚测试")]))
        self.assertEqual(
            self.post("/requests", {"unit_id": self.unit_a.id, "description": "回滚测试"}, token).status_code,
            201,
        )
