import json
import re

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PortalTestCommon

SECRETS = ("SECRET-B", "777.77", "李娜")


@tagged("post_install", "-at_install")
class TestCrossHousehold(PortalTestCommon):
    """Resident A tries every page, form and API endpoint with household B's ids and tokens:
    nothing of B may be shown or changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tx_b = cls.env["payment.transaction"].create(
            {
                "provider_id": cls.wechatpay.id,
                "payment_method_id": cls.env.ref("payment.payment_method_wechat_pay").id,
                "reference": "SECRET-B-TX",
                "amount": 777.77,
                "currency_id": cls.currency.id,
                "partner_id": cls.owner_b.id,
                "property_bill_ids": [(6, 0, cls.bill_b.ids)],
            }
        )

    def assertNoLeak(self, response, allowed=(403, 404)):
        self.assertIn(response.status_code, allowed, f"{response.url} answered {response.status_code}")
        for secret in SECRETS:
            self.assertNotIn(secret, response.text, f"{response.url} leaks {secret}")

    def csrf(self):
        page = self.url_open("/my/feedback").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def test_portal_routes(self):
        self.authenticate("t_resident", "t_resident")
        b = self
        gets = [
            f"/my/bills/{b.bill_b.id}",
            f"/my/bills/pay?bill_ids={b.bill_b.id}",
            f"/my/bills/pay?bill_ids={b.bill_a.id},{b.bill_b.id}",
            f"/my/payments/{b.tx_b.id}",
            f"/my/requests/{b.request_b.id}",
            f"/my/requests/{b.request_b.id}?access_token={b.request_b.access_token}",
            f"/my/announcements/{b.announcement_b.id}",
            f"/my/surveys/{b.survey_b.id}/start",
            f"/my/feedback/{b.feedback_b.id}",
            f"/my/market/{b.item_b.id}",
            f"/my/visitors/{b.visitor_b.id}",
        ]
        with mute_logger("odoo.http"):
            for url in gets:
                self.assertNoLeak(self.url_open(url))
            token = self.csrf()
            posts = [
                ("/my/bills/pay", {"bill_ids": b.bill_b.id}),
                (f"/my/requests/{b.request_b.id}/confirm", {}),
                (f"/my/requests/{b.request_b.id}/reject", {"reason": "x"}),
                (f"/my/requests/{b.request_b.id}/rate", {"rating": "1"}),
                ("/my/requests/submit", {"unit_id": b.unit_b.id, "description": "x"}),
                (f"/my/market/{b.item_b.id}/state", {"state": "sold"}),
                (f"/my/market/{b.item_b.id}/report", {"reason": "x"}),
                ("/my/market/new", {"unit_id": b.unit_b.id, "name": "x"}),
                (f"/my/events/{b.event_b.id}/signup", {}),
                (f"/my/events/{b.event_b.id}/cancel", {}),
                ("/my/visitors", {"unit_id": b.unit_b.id, "name": "x"}),
                ("/my/safety", {"unit_id": b.unit_b.id, "confirm": "1", "alarm_type": "fire"}),
                (f"/my/household/consent/{b.consent_b.id}/withdraw", {}),
            ]
            for url, data in posts:
                response = self.url_open(url, data=dict(data, csrf_token=token))
                if url == "/my/market/new":
                    # refused with the form's error message, nothing created
                    self.assertNotIn("SECRET-B", response.text)
                    continue
                self.assertNoLeak(response)
            response = self.make_jsonrpc_request_raw(
                f"/my/bills/transaction/{b.bill_b.id}", {"provider_id": b.wechatpay.id}
            )
            self.assertIn("error", response)
        # lists show only A's household
        for url in (
            "/my/home",
            "/my/bills",
            "/my/payments",
            "/my/requests",
            "/my/announcements",
            "/my/surveys",
            "/my/feedback",
            "/my/market",
            "/my/events",
            "/my/visitors",
            "/my/household",
            "/my/safety",
        ):
            self.assertNoLeak(self.url_open(url), allowed=(200,))
        # and nothing of B changed
        self.assertEqual(self.request_b.state, "new")
        self.assertFalse(self.request_b.rating)
        self.assertEqual(self.item_b.state, "posted")
        self.assertFalse(self.item_b.report_ids)
        self.assertFalse(self.event_b.registration_ids)
        self.assertEqual(self.consent_b.state, "given")
        self.assertFalse(self.env["property.security.alarm"].search([("unit_id", "=", self.unit_b.id)]))
        self.assertEqual(
            self.env["property.security.visitor"].search_count([("unit_id", "=", self.unit_b.id)]), 1
        )
        self.assertFalse(
            self.env["property.request"].search(
                [("unit_id", "=", self.unit_b.id), ("partner_id", "=", self.owner.id)]
            )
        )
        self.assertFalse(
            self.env["payment.transaction"].search(
                [("property_bill_ids", "in", self.bill_b.ids), ("id", "!=", self.tx_b.id)]
            )
        )

    def make_jsonrpc_request_raw(self, url, params):
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        for secret in SECRETS:
            self.assertNotIn(secret, response.text)
        return response.json()

    def test_own_household_allowed(self):
        """The same routes work for the resident's own records (the denials above are real)."""
        self.authenticate("t_resident", "t_resident")
        for url in (
            f"/my/bills/{self.bill_a.id}",
            f"/my/requests/{self.request_a.id}",
            f"/my/bills/pay?bill_ids={self.bill_a.id}",
        ):
            self.assertEqual(self.url_open(url).status_code, 200, url)
        response = self.url_open(
            f"/my/household/consent/{self.consent_a.id}/withdraw", data={"csrf_token": self.csrf()}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.consent_a.state, "withdrawn")
        self.assertEqual(self.consent_a.withdrawal_channel, "portal")
        # the one-click alarm needs the confirmation
        with mute_logger("odoo.http"):
            refused = self.url_open(
                "/my/safety",
                data={"csrf_token": self.csrf(), "unit_id": self.unit_a.id, "alarm_type": "fire"},
            )
        self.assertEqual(refused.status_code, 404)
        response = self.url_open(
            "/my/safety",
            data={"csrf_token": self.csrf(), "unit_id": self.unit_a.id, "alarm_type": "fire", "confirm": "1"},
        )
        self.assertEqual(response.status_code, 200)
        alarm = self.env["property.security.alarm"].search([("unit_id", "=", self.unit_a.id)])
        self.assertEqual((alarm.alarm_type, alarm.source, alarm.partner_id), ("fire", "portal", self.owner))
        self.assertIn(alarm.name, response.text)

    def test_csrf_required(self):
        self.authenticate("t_resident", "t_resident")
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/household/consent/{self.consent_a.id}/withdraw", data={"csrf_token": "forged"}
            )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.consent_a.state, "given")

    def test_api_endpoints(self):
        token = self.env["property.portal.api.token"]._issue(self.user_resident, "otp")
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        b = self
        calls = [
            ("GET", f"/bills/{b.bill_b.id}", None),
            ("POST", "/bills/pay", {"bill_ids": [b.bill_b.id]}),
            ("GET", f"/requests/{b.request_b.id}", None),
            ("POST", f"/requests/{b.request_b.id}/confirm", {}),
            ("POST", f"/requests/{b.request_b.id}/rate", {"rating": "1"}),
            ("POST", "/requests", {"unit_id": b.unit_b.id, "description": "x"}),
            ("GET", f"/announcements/{b.announcement_b.id}", None),
            ("POST", f"/events/{b.event_b.id}/signup", {}),
            ("POST", f"/market/{b.item_b.id}/report", {"reason": "x"}),
            ("POST", "/visitors", {"unit_id": b.unit_b.id, "name": "x"}),
            ("POST", "/alarm", {"unit_id": b.unit_b.id, "confirm": True}),
            ("POST", f"/consents/{b.consent_b.id}/withdraw", {}),
        ]
        with mute_logger("odoo.http"):
            for _method, path, data in calls:
                response = self.url_open(
                    f"/api/portal/v1{path}",
                    data=json.dumps(data) if data is not None else None,
                    headers=headers,
                )
                self.assertNoLeak(response)
            for path in (
                "/me",
                "/bills",
                "/payments",
                "/requests",
                "/announcements",
                "/events",
                "/market",
                "/surveys",
                "/feedback",
                "/visitors",
                "/household",
            ):
                response = self.url_open(f"/api/portal/v1{path}", headers=headers)
                self.assertNoLeak(response, allowed=(200,))
            # no token, a wrong token: nothing
            for bad in ({}, {"Authorization": "Bearer nope"}):
                self.assertEqual(self.url_open("/api/portal/v1/bills", headers=bad).status_code, 401)
        self.assertEqual(self.request_b.state, "new")
        self.assertEqual(self.consent_b.state, "given")
        self.assertFalse(self.item_b.report_ids)
        self.assertFalse(self.event_b.registration_ids)
