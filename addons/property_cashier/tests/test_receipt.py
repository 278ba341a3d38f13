from freezegun import freeze_time

from odoo.tests import tagged

from .common import TODAY, CashierTestCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReceipt(CashierTestCommon):
    def test_receipts_are_numbered_in_sequence(self):
        first = self.collect(self.bills[0])
        second = self.collect(self.bills[1], method="card", reference="POS-9")
        self.assertRegex(first.name, r"^SJ2026\d{6}$")
        self.assertEqual(int(second.name[-6:]), int(first.name[-6:]) + 1)

    def test_receipt_html_in_chinese(self):
        self.use_chinese(self.user_frontdesk, ["property_billing", "property_cashier"])
        collection = self.collect(self.bills[:2], amount=250.0)
        report = self.env.ref("property_cashier.action_report_cashier_receipt").with_user(self.user_frontdesk)
        html = report._render_qweb_html(report.report_name, collection.ids)[0].decode()
        for text in (
            "收据",
            collection.name,
            "张伟",
            "翠湖花园",
            "现金",
            "人民币贰佰伍拾元整",
            "预收款",
            self.bills[0].name,
        ):
            self.assertIn(text, html)
        self.assertNotIn("Received from", html)

    def test_receipt_prints_as_an_a5_pdf(self):
        """The receipt is a PDF report on A5. The PDF itself is not rendered here: wkhtmltopdf
        fetches the report's assets from the test server, which waits on the test's transaction
        in a fresh database (the run hung); the HTML it would print is checked above."""
        collection = self.collect(self.bills[0])
        action = collection.with_user(self.user_frontdesk).action_print_receipt()
        self.assertEqual(action["report_name"], "property_cashier.report_cashier_receipt")
        report = self.env.ref("property_cashier.action_report_cashier_receipt")
        self.assertEqual(report.report_type, "qweb-pdf")
        self.assertEqual(report.paperformat_id.format, "A5")

    def test_payment_notices_for_a_building(self):
        self.use_chinese(self.user_frontdesk, ["property_billing", "property_cashier"])
        march = self.bills[2]
        wizard = (
            self.env["property.cashier.notice.wizard"]
            .with_user(self.user_frontdesk)
            .create({"building_id": self.building_a.id, "period": "2026-03-15"})
        )
        action = wizard.action_print()
        self.assertEqual(action["context"]["active_ids"], march.ids)
        report = self.env.ref("property_cashier.action_report_payment_notice").with_user(self.user_frontdesk)
        html = report._render_qweb_html(report.report_name, march.ids)[0].decode()
        for text in ("缴费通知单", "张伟", "A-3-0502", march.name, "往期欠费", "200.00"):
            self.assertIn(text, html)
