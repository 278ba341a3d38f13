from odoo import sql_db
from odoo.tests import tagged

from .common import PortalTestCommon


@tagged("post_install", "-at_install")
class TestPortalQueries(PortalTestCommon):
    """The bills and requests pages cost the same number of queries for 5 or 50 records."""

    def count_queries(self, url):
        for _i in range(2):  # warm the caches (templates, assets, ir.rules, session)
            self.url_open(url)
        before = sql_db.sql_counter
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return sql_db.sql_counter - before

    def grow(self, total):
        existing = self.env["property.bill"].search_count([("partner_id", "=", self.owner.id)])
        if total > existing:
            from datetime import date

            self.make_bills(
                self.owner,
                self.unit_a,
                total - existing,
                start=date(2010 + existing // 12, existing % 12 + 1, 1),
            )
        Request = self.env["property.request"]
        for i in range(total - Request.search_count([("unit_id", "=", self.unit_a.id)])):
            Request._portal_create_request(
                self.owner, {"unit_id": self.unit_a.id, "description": f"问题 {i}"}
            )

    def test_bills_and_requests_constant_queries(self):
        self.authenticate("t_resident", "t_resident")
        self.grow(5)
        small = {url: self.count_queries(url) for url in ("/my/bills", "/my/requests")}
        self.grow(50)
        self.assertEqual(self.env["property.bill"].search_count([("partner_id", "=", self.owner.id)]), 50)
        large = {url: self.count_queries(url) for url in ("/my/bills", "/my/requests")}
        for url, count in large.items():
            # constant: no query per bill or request (a cache warmed on the first run can
            # save one query on the second)
            self.assertLessEqual(count, small[url], url)
            self.assertGreaterEqual(count, small[url] - 1, url)
