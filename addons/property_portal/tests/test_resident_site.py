from datetime import date, timedelta

from odoo import fields
from odoo.tests import TransactionCase, freeze_time, tagged

from .common import PortalTestCommon


class ChineseSiteMixin:
    """The website in Chinese for residents and anonymous visitors (terms loaded in the test)."""

    def use_chinese_site(self):
        self.use_chinese(
            self.user_resident,
            ["property_portal", "property_billing_payment", "payment", "payment_demo", "portal", "website"],
        )
        zh = self.env["res.lang"]._lang_get("zh_CN")
        website = self.env["website"].search([], limit=1)
        # Chinese only: an anonymous visitor's browser (English here) gets the nearest website language
        website.write({"language_ids": [fields.Command.set(zh.ids)], "default_lang_id": zh.id})
        return website


@tagged("post_install", "-at_install")
class TestResidentSiteTours(ChineseSiteMixin, PortalTestCommon):
    """The residents' and visitors' journeys in a real headless Chromium, at a phone's width,
    in Chinese."""

    browser_size = "375x812"
    touch_enabled = True

    def test_tour_pay_bills_with_the_demo_provider(self):
        """The demo's path: Odoo's demo provider in test mode, for a company that pays its bills in
        test mode (as the demo data sets them); two bills paid at once, then seen paid."""
        self.use_chinese_site()
        self.payment_demo.write({"state": "test", "is_published": True, "company_id": self.company.id})
        (self.wechatpay | self.alipay).write({"state": "disabled"})
        bill_2 = self.make_bills(self.owner, self.unit_a, 1, amount=100.0, start=date(2026, 10, 1))
        bills = self.bill_a | bill_2
        self.start_tour("/my/bills", "property_portal_pay_bills_demo", login="t_resident")
        tx = self.env["payment.transaction"].search([("property_bill_ids", "in", bills.ids)])
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.provider_id, self.payment_demo)
        self.assertEqual((tx.state, tx.amount, tx.partner_id), ("done", 356.5, self.owner))
        self.assertEqual(tx.property_bill_ids, bills)
        self.assertTrue(tx.payment_id, "the payment is recorded in accounting")
        bills.invalidate_recordset()
        self.assertEqual(bills.mapped("state"), ["paid", "paid"])
        self.assertEqual(self.bill_b.state, "open", "the other household's bill is untouched")

    def test_tour_visitor_opens_the_shared_pass(self):
        self.use_chinese_site()
        visitor = self.env["property.security.visitor"]._portal_register(
            self.owner,
            {
                "unit_id": self.unit_a.id,
                "name": "王先生",
                "phone": "13900002222",
                "visit_start": fields.Datetime.now() - timedelta(hours=1),
                "visit_end": fields.Datetime.now() + timedelta(hours=3),
            },
        )
        url = visitor._get_pass_share_url()
        self.assertIn("access_token=", url)
        self.start_tour(url, "property_portal_shared_pass")  # no login: the visitor has no account


@tagged("post_install", "-at_install")
class TestSharedPass(PortalTestCommon):
    """The pass's share link: the pass's own token, while the pass is valid; nothing otherwise."""

    def setUp(self):
        super().setUp()
        now = fields.Datetime.now()
        Visitor = self.env["property.security.visitor"]
        self.visitor = Visitor._portal_register(
            self.owner,
            {
                "unit_id": self.unit_a.id,
                "name": "王先生",
                "phone": "13900002222",
                "plate": "浙A12345",
                "visit_start": now - timedelta(hours=1),
                "visit_end": now + timedelta(hours=3),
            },
        )
        self.other = Visitor._portal_register(
            self.owner_b,
            {
                "unit_id": self.unit_b.id,
                "name": "赵女士",
                "visit_start": now - timedelta(hours=1),
                "visit_end": now + timedelta(hours=3),
            },
        )
        self.owner.phone = "13812345678"

    def open(self, visitor, token):
        return self.url_open(f"/visitor/pass/{visitor.id}?access_token={token}", allow_redirects=False)

    def assertNoPass(self, response, *secrets):
        self.assertEqual(response.status_code, 404)
        for secret in (
            "王先生",
            "赵女士",
            self.visitor.sudo().pass_token,
            self.other.sudo().pass_token,
            *secrets,
        ):
            self.assertNotIn(secret, response.text)
        self.assertNotIn("o_property_pass_qr", response.text)

    def test_pass_opens_without_an_account(self):
        response = self.url_open(self.visitor._get_pass_share_url(), allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_property_pass_qr", response.text)
        self.assertIn("王先生", response.text)
        self.assertIn(self.unit_a.code, response.text)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        # nothing of the host: no name, no phone; not the visitor's phone or plate either
        for secret in (self.owner.name, "13812345678", "13900002222", "浙A12345", self.owner_b.name):
            self.assertNotIn(secret, response.text)

    def test_attacker_wrong_missing_and_other_tokens(self):
        token = self.visitor.sudo().access_token
        self.assertTrue(token)
        self.assertNoPass(self.open(self.visitor, token[:-1] + ("0" if token[-1] != "0" else "1")))
        self.assertNoPass(self.open(self.visitor, ""))
        self.assertNoPass(self.url_open(f"/visitor/pass/{self.visitor.id}", allow_redirects=False))
        # another pass's token does not open this pass, nor the other way round
        self.assertNoPass(self.open(self.visitor, self.other.sudo().access_token))
        self.assertNoPass(self.open(self.other, token))
        # the gate credential is not a share token
        self.assertNoPass(self.open(self.visitor, self.visitor.sudo().pass_token))
        self.assertNoPass(
            self.url_open(f"/visitor/pass/999999999?access_token={token}", allow_redirects=False)
        )

    def test_attacker_expired_revoked_refused_passes(self):
        token = self.visitor.sudo().access_token
        self.assertEqual(self.open(self.visitor, token).status_code, 200)
        with freeze_time(fields.Datetime.now() + timedelta(hours=4)):
            self.assertNoPass(self.open(self.visitor, token))
        self.visitor.action_revoke()
        self.assertNoPass(self.open(self.visitor, token))
        # a walk-in waiting for the host has no pass to show, a refused one never will
        walk_in = self.env["property.security.visitor"].create(
            {"name": "快递员", "unit_id": self.unit_a.id, "host_partner_id": self.owner.id}
        )
        walk_in.sudo()._portal_ensure_token()
        self.assertNoPass(self.open(walk_in, walk_in.sudo().access_token), "快递员")
        walk_in._refuse_by_host(self.owner)
        self.assertNoPass(self.open(walk_in, walk_in.sudo().access_token), "快递员")

    def test_resident_page_shares_the_link_while_valid(self):
        self.authenticate("t_resident", "t_resident")
        page = self.url_open(f"/my/visitors/{self.visitor.id}")
        self.assertIn(self.visitor._get_pass_share_url().replace("&", "&amp;"), page.text)
        self.visitor.action_revoke()
        page = self.url_open(f"/my/visitors/{self.visitor.id}")
        self.assertNotIn("access_token=", page.text)
        self.assertIn("o_property_pass_not_shared", page.text)
        # another household's pass: not found, no link
        page = self.url_open(f"/my/visitors/{self.other.id}")
        self.assertEqual(page.status_code, 404)
        self.assertNotIn(self.other.sudo().access_token, page.text)

    def test_link_expires_with_the_pass(self):
        token = self.visitor.sudo().access_token
        end = self.visitor.visit_end
        self.assertTrue(self.visitor._is_pass_shown(token, at=end))
        self.assertFalse(self.visitor._is_pass_shown(token, at=end + timedelta(seconds=1)))
        self.assertFalse(self.visitor._is_pass_shown(None))
        self.assertFalse(self.visitor._is_pass_shown(["not", "a", "string"]))


@tagged("post_install", "-at_install")
class TestBrandedSite(ChineseSiteMixin, PortalTestCommon):
    """The website is the property company's; the words are the residents'."""

    def test_footer_and_header_are_the_company(self):
        self.company.write(
            {
                "name": "杭州安居物业服务有限公司",
                "phone": "0571-8888 6666",
                "street": "西湖区文三路 398 号",
                "city": "杭州市",
            }
        )
        website = self.env["website"].search([("company_id", "=", self.company.id)], limit=1)
        website.name = "安居物业"
        self.env.registry.clear_cache("templates")  # Odoo's footer cache: a new company footer
        self.authenticate("t_resident", "t_resident")
        page = self.url_open("/my/bills").text
        self.assertIn("杭州安居物业服务有限公司", page)
        self.assertIn("0571-8888 6666", page)
        self.assertIn('href="tel:0571-88886666"', page)
        self.assertIn("杭州市西湖区文三路 398 号", page)
        self.assertIn("o_property_brand_name", page)
        # none of the website template's placeholders
        for placeholder in (
            "info@yourcompany.example.com",
            "+1 555-555-5556",
            "We are a team of passionate people",
            "s_social_media",
        ):
            self.assertNotIn(placeholder, page)

    def test_home_has_no_stray_cards(self):
        self.payment_demo.write({"state": "test", "is_published": True, "company_id": self.company.id})
        self.authenticate("t_resident", "t_resident")
        page = self.url_open("/my/home").text
        self.assertIn('href="/my/bills"', page)
        self.assertNotIn("/my/invoices?filterby=invoices", page)  # account's "Invoices" card
        self.assertNotIn('href="/my/payment_method"', page)  # payment's "Payment methods" card

    def test_residents_words(self):
        self.use_chinese_site()
        self.authenticate("t_resident", "t_resident")
        self.request_a.sudo().write({"state": "followup"})
        page = self.url_open(f"/my/requests/{self.request_a.id}").text
        self.assertIn("待评价", page)
        self.assertNotIn("回访", page)
        notice = self.env["property.announcement"].create(
            {"name": "停水通知", "estate_id": self.estate_a.id, "body": "<p>停水</p>"}
        )
        notice.action_publish()
        page = self.url_open("/my/announcements").text
        self.assertIn("未读", page)
        self.assertNotIn(">新建<", page)

    def test_demo_provider_follows_the_bill_payment_rules(self):
        """Odoo's demo provider (payment_demo comes with property_portal) is a test-mode provider
        like any other: it pays bills only for a company that pays its bills in test mode."""
        provider = self.env.ref("payment.payment_provider_demo")
        self.assertNotIn(provider, self.bill_a._get_payment_providers(self.owner))
        provider.write({"state": "test", "is_published": True, "company_id": self.company.id})
        self.assertIn(provider, self.bill_a._get_payment_providers(self.owner))
        self.company.property_bill_payment_test_mode = False
        self.assertNotIn(provider, self.bill_a._get_payment_providers(self.owner))
        self.company.property_bill_payment_test_mode = True
        provider.is_published = False
        self.assertNotIn(provider, self.bill_a._get_payment_providers(self.owner))


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """What the demo shows a new user (skipped without demo data): the demo resident has posted
    bills to pay, and the demo company's residents can pay them with Odoo's demo provider."""

    def test_demo_resident_can_pay(self):
        resident = self.env.ref("property_base.user_resident_demo", raise_if_not_found=False)
        if not resident or not self.env.ref("property_base.unit_resident_demo", raise_if_not_found=False):
            self.skipTest("no demo data")
        partner = resident.partner_id
        bills = self.env["property.bill"].search(
            [("partner_id", "=", partner.id), ("state", "in", ("open", "partial"))]
        )
        self.assertGreaterEqual(len(bills), 2)
        self.assertTrue(all(bill.receivable_line_ids for bill in bills), "posted bills")
        provider = self.env.ref("payment.payment_provider_demo")
        self.assertEqual(bills[:1]._get_payment_providers(partner), provider)
        self.assertEqual(provider.state, "test")
        for code in ("wechatpay", "alipay"):
            self.assertEqual(
                self.env["payment.provider"].search([("code", "=", code)]).mapped("state"),
                ["disabled"],
                "the real providers stay as they are",
            )
