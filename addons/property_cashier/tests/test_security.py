from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TODAY, CashierTestCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCashierSecurity(CashierTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collection = cls.collect(cls, cls.bills[0])
        cls.closing = cls.day(cls)

    def test_other_estate_desk_sees_nothing(self):
        self.user_frontdesk_b.groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
        checked = self.assert_estate_isolated(self.user_frontdesk_b, self.estate_a)
        for model in (
            "property.cashier.collection",
            "property.cashier.collection.line",
            "property.cashier.closing",
            "property.cashier.closing.line",
        ):
            self.assertIn(model, checked)
        for model, record in (
            ("property.cashier.collection", self.collection),
            ("property.cashier.closing", self.closing),
        ):
            Model = self.env[model].with_user(self.user_frontdesk_b)
            self.assertFalse(Model.name_search(record.display_name))
            self.assertFalse(Model.search_read([], ["id"]))
            self.assertFalse(Model.read_group([], ["__count"], [], lazy=False)[0]["__count"])
            with self.assertRaises(AccessError):
                record.with_user(self.user_frontdesk_b).read(["name"])
            with self.assertRaises(AccessError):
                record.with_user(self.user_frontdesk_b).export_data(["name"])

    def test_other_estate_cannot_print_or_collect(self):
        report = self.env.ref("property_cashier.action_report_cashier_receipt").with_user(
            self.user_frontdesk_b
        )
        with self.assertRaises(AccessError):
            report._render_qweb_html(report.report_name, self.collection.ids)
        notice = self.env.ref("property_cashier.action_report_payment_notice").with_user(
            self.user_frontdesk_b
        )
        with self.assertRaises(AccessError):
            notice._render_qweb_html(notice.report_name, self.bills.ids)
        # B's desk forges a collection of A's household and bills
        Collection = self.Collection.with_user(self.user_frontdesk_b)
        with self.assertRaises(UserError):
            collection = Collection.create(
                {
                    "partner_id": self.owner.id,
                    "estate_id": self.estate_a.id,
                    "line_ids": [Command.create({"bill_id": self.bills[1].id, "is_selected": True})],
                }
            )
            collection.action_collect()
        with self.assertRaises(UserError):
            collection = Collection.create(
                {
                    "partner_id": self.owner_b.id,
                    "estate_id": self.estate_b.id,
                    "line_ids": [Command.create({"bill_id": self.bills[1].id, "is_selected": True})],
                }
            )
            collection.action_collect()
        self.assertEqual(self.bills[1].state, "open")
        # nor close A's desk's day
        with self.assertRaises(AccessError):
            self.closing.with_user(self.user_frontdesk_b).action_close()

    def test_accountant_reads_only(self):
        Collection = self.Collection.with_user(self.user_accountant)
        self.assertEqual(Collection.search([]), self.collection)
        self.assertEqual(
            self.env["property.cashier.closing"].with_user(self.user_accountant).search([]), self.closing
        )
        with self.assertRaises(AccessError):
            Collection.create({"partner_id": self.owner.id, "estate_id": self.estate_a.id})
        with self.assertRaises(AccessError):
            self.collection.with_user(self.user_accountant)._request_reversal("x")
        with self.assertRaises(AccessError):
            self.closing.with_user(self.user_accountant).action_close()

    def test_technician_and_guard_see_nothing(self):
        for user in (self.user_technician, self.user_guard):
            with self.assertRaises(AccessError):
                self.Collection.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["property.cashier.closing"].with_user(user).search([])

    def test_huge_and_poisoned_input(self):
        collection = self.Collection.with_user(self.user_frontdesk).create(
            {
                "partner_id": self.owner.id,
                "estate_id": self.estate_a.id,
                "method": "transfer",
                "reference": "<script>alert(1)</script>",
                "note": "x" * 100000,
                "line_ids": [Command.create({"bill_id": self.bills[1].id, "is_selected": True})],
            }
        )
        collection.action_collect()
        report = self.env.ref("property_cashier.action_report_cashier_receipt").with_user(self.user_frontdesk)
        html = report._render_qweb_html(report.report_name, collection.ids)[0].decode()
        self.assertNotIn("<script>alert(1)</script>", html)
        self.assertIn("&lt;script&gt;", html)
        with self.assertRaises(UserError):
            collection.with_user(self.user_frontdesk)._request_reversal("")
        collection.with_user(self.user_frontdesk)._request_reversal("y" * 10000)
        self.assertEqual(len(collection.reversal_reason), 2000)

    def test_no_phone_leak(self):
        self.assert_no_pii_leak(self.user_frontdesk | self.user_frontdesk_b | self.user_accountant)
