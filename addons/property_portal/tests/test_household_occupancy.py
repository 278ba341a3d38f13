"""A household is who lived there, when: the attacker's sweep after an ownership transfer, between
a landlord and their tenant, and for a family member. Every portal route and API endpoint, with
the other party's ids: 0 leaks. The record rules are checked on the ORM too."""

import json
import re
from datetime import date, datetime, time, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import PortalTestCommon

LIST_PAGES = (
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
    "/my/requests/new",
)
LIST_API = (
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
)


@tagged("post_install", "-at_install")
class TestHouseholdByOccupancy(PortalTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.today = today
        Occupancy = cls.env["property.occupancy"]
        Partner = cls.env["res.partner"]
        Plate = cls.env["property.security.vehicle.plate"]

        def at(days_ago, hour=9):
            return datetime.combine(today - timedelta(days=days_ago), time(hour))

        # --- transfer (过户) of unit B: 李娜 sells to 陈新 five days ago --------------------
        cls.request_b.request_date = at(10)
        cls.plate_b = Plate.create(
            {"name": "浙AB0001", "partner_id": cls.owner_b.id, "unit_id": cls.unit_b.id}
        )
        cls.new_owner = Partner.create({"name": "陈新", "mobile": "13700007777"})
        cls.user_new_owner = new_test_user(
            cls.env, login="t_new_owner", groups="base.group_portal", name="陈新", partner_id=cls.new_owner.id
        )
        cls.env["property.ownership.transfer.wizard"].create(
            {
                "unit_id": cls.unit_b.id,
                "new_owner_id": cls.new_owner.id,
                "date_transfer": today - timedelta(days=5),
            }
        ).action_transfer()
        cls.transfer_secrets = (
            "777.77",
            cls.bill_b.name,
            "卫生间堵塞",
            "SECRET-B 访客",
            "SECRET-B 建议",
            "浙AB0001",
            cls.visitor_b.pass_token,
            "李娜",
        )

        # --- unit A is let: 张伟 (t_resident) is the landlord, 王租 the tenant, 王小 family --
        cls.request_a.request_date = at(60)  # the landlord's, from before the lease
        cls.tenant = Partner.create({"name": "王租客", "mobile": "13600006666"})
        cls.family = Partner.create({"name": "王小妹", "mobile": "13500005555"})
        cls.user_tenant = new_test_user(
            cls.env, login="t_tenant", groups="base.group_portal", name="王租客", partner_id=cls.tenant.id
        )
        cls.user_family = new_test_user(
            cls.env, login="t_family", groups="base.group_portal", name="王小妹", partner_id=cls.family.id
        )
        Occupancy.create(
            [
                {
                    "unit_id": cls.unit_a.id,
                    "partner_id": cls.tenant.id,
                    "role": "tenant",
                    "date_start": today - timedelta(days=30),
                },
                {
                    "unit_id": cls.unit_a.id,
                    "partner_id": cls.family.id,
                    "role": "family",
                    "date_start": today - timedelta(days=15),
                },
            ]
        )
        Request = cls.env["property.request"]
        cls.request_early = Request._portal_create_request(
            cls.tenant, {"unit_id": cls.unit_a.id, "description": "TENANT-EARLY 门锁坏了"}
        )
        cls.request_early.request_date = at(20)
        cls.request_shared = Request._portal_create_request(
            cls.tenant, {"unit_id": cls.unit_a.id, "description": "TENANT-SHARED 厨房漏水"}
        )
        cls.request_shared.request_date = at(3)
        cls.visitor_t = cls.env["property.security.visitor"]._portal_register(
            cls.tenant,
            {
                "unit_id": cls.unit_a.id,
                "name": "TENANT-VISITOR 朋友",
                "visit_start": fields.Datetime.now(),
                "visit_end": fields.Datetime.now() + timedelta(hours=4),
            },
        )
        cls.plate_t = Plate.create(
            {"name": "浙AT0001", "partner_id": cls.tenant.id, "unit_id": cls.unit_a.id}
        )
        cls.plate_l = Plate.create({"name": "浙AL0001", "partner_id": cls.owner.id, "unit_id": cls.unit_a.id})
        cls.bill_t = cls.make_bills(cls.tenant, cls.unit_a, 1, amount=333.33, start=date(2026, 1, 1))[0]

    # ------------------------------------------------------------------ helpers
    def assertNoSecret(self, response, secrets, allowed=(403, 404)):
        where = response.url
        self.assertIn(response.status_code, allowed, f"{where} answered {response.status_code}")
        for secret in secrets:
            self.assertNotIn(secret, response.text, f"{where} leaks {secret}")

    def csrf(self):
        page = self.url_open("/my/feedback").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def sweep(self, login, secrets, *, requests=(), visitors=(), bills=(), consents=()):
        """Every list page and API list, then the detail pages and actions of the records
        ``login`` must not reach: none answers with one of ``secrets``."""
        self.authenticate(login, login)
        with mute_logger("odoo.http"):
            for url in LIST_PAGES:
                self.assertNoSecret(self.url_open(url), secrets, allowed=(200,))
            gets = []
            for record in requests:
                gets += [
                    f"/my/requests/{record.id}",
                    f"/my/requests/{record.id}?access_token={record.access_token}",
                ]
            gets += [f"/my/visitors/{v.id}" for v in visitors]
            gets += [f"/my/bills/{b.id}" for b in bills]
            gets += [f"/my/bills/pay?bill_ids={b.id}" for b in bills]
            for url in gets:
                self.assertNoSecret(self.url_open(url), secrets)
            token = self.csrf()
            posts = [
                (f"/my/requests/{r.id}/{action}", {"rating": "1", "reason": "x"})
                for r in requests
                for action in ("confirm", "reject", "rate")
            ]
            posts += [(f"/my/household/consent/{c.id}/withdraw", {}) for c in consents]
            for url, data in posts:
                self.assertNoSecret(self.url_open(url, data=dict(data, csrf_token=token)), secrets)
        # the API, with a bearer token of the same resident
        user = self.env["res.users"].search([("login", "=", login)])
        bearer = self.env["property.portal.api.token"]._issue(user, "otp")
        headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
        with mute_logger("odoo.http"):
            for path in LIST_API:
                self.assertNoSecret(
                    self.url_open(f"/api/portal/v1{path}", headers=headers), secrets, allowed=(200,)
                )
            calls = [(f"/requests/{r.id}", None) for r in requests]
            calls += [(f"/requests/{r.id}/confirm", {}) for r in requests]
            calls += [(f"/bills/{b.id}", None) for b in bills]
            calls += [("/bills/pay", {"bill_ids": bills.ids})] if bills else []
            calls += [(f"/consents/{c.id}/withdraw", {}) for c in consents]
            for path, data in calls:
                response = self.url_open(
                    f"/api/portal/v1{path}",
                    data=json.dumps(data) if data is not None else None,
                    headers=headers,
                )
                self.assertNoSecret(response, secrets)

    # ------------------------------------------------------------------ transfer
    def test_transfer_new_owner_sweep(self):
        """After 过户 the new owner sees none of the previous owner's bills, requests, visitors,
        feedback, plates or consents, and cannot pay their bills."""
        self.sweep(
            "t_new_owner",
            self.transfer_secrets,
            requests=self.request_b,
            visitors=self.visitor_b,
            bills=self.bill_b,
            consents=self.consent_b,
        )
        self.assertEqual(self.consent_b.state, "given")
        self.assertEqual(self.request_b.state, "new")
        self.assertFalse(
            self.env["payment.transaction"].search([("property_bill_ids", "in", self.bill_b.ids)])
        )

    def test_transfer_previous_owner_keeps_their_bills(self):
        """The bill belongs to its payer: the previous owner still sees and can pay it."""
        self.authenticate("t_resident_b", "t_resident_b")
        self.assertIn(self.bill_b.name, self.url_open("/my/bills").text)
        self.assertEqual(self.url_open(f"/my/bills/{self.bill_b.id}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/bills/pay?bill_ids={self.bill_b.id}").status_code, 200)
        # ... but the unit is no longer theirs: not in their household, no form offers it
        self.assertNotIn(self.unit_b.code, self.url_open("/my/requests/new").text)

    def test_transfer_rules(self):
        env = self.env(user=self.user_new_owner)
        self.assertFalse(env["property.bill"].search([]))
        self.assertFalse(env["property.request"].search([("id", "=", self.request_b.id)]))
        self.assertFalse(env["property.security.visitor"].search([]))
        self.assertFalse(env["property.security.vehicle.plate"].search([]))
        self.assertEqual(env["property.occupancy"].search([]).partner_id, self.new_owner)
        self.assertEqual(env["property.unit"].search([]), self.unit_b)

    # ------------------------------------------------------------------ landlord / tenant
    def test_landlord_sweep(self):
        """The non-resident owner: their bills and notices, not the tenant's visitors (with the
        gate QR), requests, plates or name."""
        secrets = ("TENANT-", "浙AT0001", self.visitor_t.pass_token, "王租客", "王小妹", "333.33")
        self.sweep(
            "t_resident",
            secrets,
            requests=self.request_early | self.request_shared,
            visitors=self.visitor_t,
            bills=self.bill_t,
        )
        self.authenticate("t_resident", "t_resident")
        self.assertIn(self.bill_a.name, self.url_open("/my/bills").text)
        household = self.url_open("/my/household").text
        self.assertIn("浙AL0001", household)
        self.assertEqual(self.visitor_t.state, "approved")
        self.assertEqual(self.request_shared.state, "new")

    def test_tenant_sweep(self):
        """The tenant: not the landlord's bills, plate or earlier requests."""
        secrets = ("256.5", self.bill_a.name, "浙AL0001", "客厅灯不亮", "110105")
        self.sweep("t_tenant", secrets, requests=self.request_a, bills=self.bill_a, consents=self.consent_a)
        self.authenticate("t_tenant", "t_tenant")
        page = self.url_open("/my/requests").text
        self.assertIn("TENANT-EARLY", page)
        self.assertIn("TENANT-SHARED", page)
        household = self.url_open("/my/household").text
        self.assertIn("王小妹", household)
        self.assertIn("浙AT0001", household)
        self.assertNotIn("张伟", household)
        self.assertIn(self.bill_t.name, self.url_open("/my/bills").text)

    def test_family_member_sweep(self):
        """A family member: the household's requests made since they moved in, not the earlier
        ones, not the tenant's visitors, bills or plate."""
        secrets = (
            "TENANT-EARLY",
            "TENANT-VISITOR",
            self.visitor_t.pass_token,
            "浙AT0001",
            "333.33",
            "256.5",
            "客厅灯不亮",
        )
        self.sweep(
            "t_family",
            secrets,
            requests=self.request_early | self.request_a,
            visitors=self.visitor_t,
            bills=self.bill_t | self.bill_a,
            consents=self.consent_a,
        )
        self.authenticate("t_family", "t_family")
        self.assertIn("TENANT-SHARED", self.url_open("/my/requests").text)
        self.assertEqual(self.url_open(f"/my/requests/{self.request_shared.id}").status_code, 200)

    def test_landlord_tenant_rules(self):
        landlord = self.env(user=self.user_resident)
        tenant = self.env(user=self.user_tenant)
        family = self.env(user=self.user_family)
        Request, Visitor, Plate, Bill, Occupancy = (
            "property.request",
            "property.security.visitor",
            "property.security.vehicle.plate",
            "property.bill",
            "property.occupancy",
        )
        self.assertEqual(landlord[Request].search([]), self.request_a)
        self.assertEqual(tenant[Request].search([]), self.request_early | self.request_shared)
        self.assertEqual(family[Request].search([]), self.request_shared)
        self.assertFalse(landlord[Visitor].search([]))
        self.assertEqual(tenant[Visitor].search([]), self.visitor_t)
        self.assertFalse(family[Visitor].search([]))
        self.assertEqual(landlord[Plate].search([]), self.plate_l)
        self.assertEqual(tenant[Plate].search([]), self.plate_t)
        self.assertEqual(landlord[Bill].search([]), self.bill_a)
        self.assertEqual(tenant[Bill].search([]), self.bill_t)
        self.assertFalse(family[Bill].search([]))
        self.assertEqual(landlord[Occupancy].search([]).partner_id, self.owner)
        self.assertEqual(tenant[Occupancy].search([]).partner_id, self.tenant | self.family)
        # the tenant moves out: from the next day on, nothing of the household any more
        tenancy = self.env[Occupancy].search([("partner_id", "=", self.tenant.id)])
        tenancy.action_end(self.today - timedelta(days=1))
        self.assertEqual(tenant[Request].search([]), self.request_early | self.request_shared)  # their own
        self.assertFalse(tenant[Occupancy].search([("state", "=", "current")]))
        self.assertEqual(
            landlord[Occupancy].search([("state", "=", "current")]).partner_id, self.owner | self.family
        )

    # ------------------------------------------------------------------ fail closed
    def test_every_portal_model_ruled(self):
        """Residents read every model they reach through a portal ACL and record rules: as the
        landlord of A, nothing of household B (nor of A's tenant) is found, whatever the domain."""
        env = self.env(user=self.user_resident)
        foreign = {
            "property.bill": self.bill_b | self.bill_t,
            "property.bill.line": (self.bill_b | self.bill_t).line_ids,
            "property.request": self.request_b | self.request_shared,
            "property.security.visitor": self.visitor_b | self.visitor_t,
            "property.security.vehicle.plate": self.plate_b | self.plate_t,
            "property.occupancy": self.occupancy_b,
            "property.unit": self.unit_b,
            "property.consent": self.consent_b,
            "property.announcement": self.announcement_b,
            "property.community.event": self.event_b,
            "property.market.item": self.item_b,
            "property.feedback": self.feedback_b,
            "survey.survey": self.survey_b,
        }
        for model, records in foreign.items():
            self.assertTrue(env[model].has_access("read"), model)
            self.assertFalse(env[model].search([("id", "in", records.ids)]), model)
            self.assertFalse(records & env[model].sudo(False).search([]), model)

    def test_forgotten_domain_fails_closed(self):
        """A page that forgets its domain still shows only what the rules allow; the household
        is read as its resident only."""
        from ..controllers.household import Household

        household = Household(self.env(user=self.user_resident), self.owner)
        with patch.object(Household, "visitor_domain", lambda self: []):
            self.assertFalse(household.search("property.security.visitor", "visitor"))
        with patch.object(Household, "request_domain", lambda self: []):
            self.assertEqual(household.search("property.request", "request"), self.request_a)
        with patch.object(Household, "bill_domain", lambda self: []):
            self.assertEqual(household.search("property.bill", "bill"), self.bill_a)
            self.assertFalse(household.get("property.bill", "bill", self.bill_t.id))
        with self.assertRaises(AccessError):
            Household(self.env, self.owner).search("property.bill", "bill")
