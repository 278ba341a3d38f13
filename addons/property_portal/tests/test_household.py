import json
import re
from datetime import date, timedelta

from odoo import fields
from odoo.tests import tagged

from ..controllers.household import Household
from .common import PortalTestCommon


@tagged("post_install", "-at_install")
class TestHousehold(PortalTestCommon):
    """The household every page starts from is cached: it must follow occupancy changes at once."""

    def household(self, partner):
        household = Household(self.env, partner)
        return household.units, household.partners

    def test_cache_follows_occupancies(self):
        Occupancy = self.env["property.occupancy"]
        units, partners = self.household(self.owner)
        self.assertEqual(units, self.unit_a)
        self.assertNotIn(self.owner_b, partners)
        # the resident becomes co-owner of unit B: B's unit and people join the household
        co = Occupancy.create(
            {
                "unit_id": self.unit_b.id,
                "partner_id": self.owner.id,
                "role": "co_owner",
                "share": 0.0,
                "date_start": date(2020, 1, 1),
            }
        )
        units, partners = self.household(self.owner)
        self.assertEqual(units, self.unit_a | self.unit_b)
        self.assertIn(self.owner_b, partners)
        # ... and leaves it yesterday: gone again, even before anything is written to the database
        co.date_end = fields.Date.context_today(co) - timedelta(days=1)
        units, partners = self.household(self.owner)
        self.assertEqual(units, self.unit_a)
        self.assertNotIn(self.owner_b, partners)

    def test_pages_follow_occupancies(self):
        """Through HTTP too: unit B joins the resident's forms once they live there. Its bill
        stays its payer's (the owner of B); a bill billed to the resident for B shows up."""
        self.authenticate("t_resident", "t_resident")
        self.assertNotIn(self.unit_b.code, self.url_open("/my/requests/new").text)
        self.env["property.occupancy"].create(
            {
                "unit_id": self.unit_b.id,
                "partner_id": self.owner.id,
                "role": "tenant",
                "date_start": date(2020, 1, 1),
            }
        )
        self.assertIn(self.unit_b.code, self.url_open("/my/requests/new").text)
        self.assertNotIn(self.bill_b.name, self.url_open("/my/bills").text)
        own_bill = self.make_bills(self.owner, self.unit_b, 1, amount=42.42, start=date(2023, 1, 1))
        self.assertIn(own_bill.name, self.url_open("/my/bills").text)

    def test_cached_head_is_not_shared(self):
        """The pages' <head> is cached per URL: each resident still gets their own session data."""
        pages, tokens = {}, {}
        for login in ("t_resident", "t_resident_b", "t_resident"):
            self.authenticate(login, login)
            html = self.url_open("/my/bills").text
            pages.setdefault(login, []).append(html)
            session_info = json.loads(re.search(r"odoo.__session_info__ = (\{.*?\});\n", html).group(1))
            self.assertEqual(session_info["uid"], self.env["res.users"].search([("login", "=", login)]).id)
            tokens.setdefault(login, set()).add(re.search(r'csrf_token: "([^"]+)"', html).group(1))
        self.assertIn("张伟", pages["t_resident"][0])
        self.assertIn("李娜", pages["t_resident_b"][0])
        self.assertNotIn("张伟", pages["t_resident_b"][0])
        self.assertFalse(tokens["t_resident"] & tokens["t_resident_b"])  # each session its own CSRF token
