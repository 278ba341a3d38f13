import io
import json
from datetime import date

import openpyxl

from odoo.tests import freeze_time, tagged

from .common import BillingTestCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestReports(BillingTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_rule(price=2.5)
        cls.make_rule(name="停车费", kind="fixed", price=150.0, product_id=cls.fee_parking.id)
        cls.make_run(date(2026, 3, 1), date_due=date(2026, 3, 31))._run_now()
        cls.make_run(date(2026, 4, 1), date_due=date(2026, 4, 30))._run_now()

    def render(self, report, records, data=None):
        content, kind = self.env["ir.actions.report"]._render_xlsx(
            f"property_billing.{report}", records.ids, data or {}
        )
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def rows(self, sheet, first=4):
        return [tuple(row) for row in sheet.iter_rows(min_row=first, values_only=True)]

    def test_income_xlsx(self):
        records = self.env["property.billing.income.report"].search([("estate_id", "=", self.estate_a.id)])
        self.assertEqual(len(records), 8)  # 2 units × 2 fee items × 2 months
        book = self.render("report_income_xlsx", records)
        rows = self.rows(book.worksheets[0])
        self.assertIn(("2026-03", "翠湖花园", "[FEE-PROP] Property Fee", 472.5, 0, 472.5), rows)
        self.assertIn(("2026-04", "翠湖花园", "[FEE-PARK] Parking Fee", 300.0, 0, 300.0), rows)
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][5], 2 * (472.5 + 300.0))

    def test_arrears_and_aging_xlsx(self):
        self.pay(self.owner, 372.5, self.bill_of(self.owner, date(2026, 3, 1)))
        records = self.env["property.billing.arrears.report"].search([("estate_id", "=", self.estate_a.id)])
        self.assertEqual(len(records), 3)
        book = self.render("report_arrears_xlsx", records)
        detail = self.rows(book.worksheets[0])
        # as of 20 May: March bills are 50 days overdue, April bills 20 days
        self.assertIn(
            (
                "王芳",
                None,  # no phone number
                "翠湖花园",
                "[A-3] 3号楼",
                "A-3-1201",
                self.bill_of(self.owner_high, date(2026, 3, 1)).name,
                "2026-03-31",
                50,
                "31–60 Days",
                400.0,
            ),
            detail,
        )
        aging = {row[0]: row for row in self.rows(book.worksheets[1])}
        self.assertEqual(aging["王芳"][2:], (0, 400.0, 400.0, 0, 0, 0, 800.0))
        self.assertEqual(aging["张伟"][2:], (0, 372.5, 0, 0, 0, 0, 372.5))

    def test_arrears_xlsx_in_the_readers_language(self):
        """Headers and aging buckets in the accountant's language, even when the caller (a job,
        a controller) gives the report no language."""
        self.use_chinese(self.user_accountant, ["property_billing"])
        records = self.env["property.billing.arrears.report"].search([("estate_id", "=", self.estate_a.id)])
        report = self.env["ir.actions.report"].with_user(self.user_accountant).with_context(lang=None)
        content, _kind = report._render_xlsx("property_billing.report_arrears_xlsx", records.ids, {})
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["欠费", "账龄"])
        header = self.rows(book.worksheets[0], first=3)[0]
        self.assertEqual(header[0], "住户")
        self.assertEqual(header[7], "逾期天数")
        self.assertIn("31–60 天", self.rows(book.worksheets[1], first=3)[0])
        self.assertNotIn("31–60 Days", self.rows(book.worksheets[1], first=3)[0])

    def test_collection_rate_xlsx(self):
        self.pay(self.owner, 372.5, self.bill_of(self.owner, date(2026, 3, 1)))
        records = self.env["property.billing.collection.report"].search(
            [("estate_id", "=", self.estate_a.id)]
        )
        by_month = {r.month: r for r in records}
        march = by_month[date(2026, 3, 1)]
        self.assertEqual(
            (march.amount_billed, march.amount_collected, march.bill_count, march.paid_count),
            (772.5, 372.5, 2, 1),
        )
        self.assertAlmostEqual(march.collection_rate, 48.22)
        rows = self.rows(self.render("report_collection_xlsx", records).worksheets[0])
        self.assertIn(("2026-03", "翠湖花园", 2, 772.5, 372.5, 400.0, 48.22), rows)
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][3:], (1545.0, 372.5, 1172.5, 24.11))

    def test_aged_partner_balance_shows_households(self):
        """account_financial_report's aged partner balance lists each household."""
        wizard = self.env["aged.partner.balance.report.wizard"].create(
            {"date_at": date(2026, 5, 20), "company_id": self.company.id, "receivable_accounts_only": True}
        )
        wizard.onchange_type_accounts_only()
        # as the web client sends it: JSON
        data = json.loads(json.dumps(wizard._prepare_report_data(), default=str))
        values = self.env["report.account_financial_report.aged_partner_balance"]._get_report_values(
            wizard.ids, data
        )
        residuals = {
            partner["name"]: partner["residual"]
            for account in values["aged_partner_balance"]
            for partner in account["partners"]
        }
        self.assertEqual(residuals["张伟"], 2 * 372.5)
        self.assertEqual(residuals["王芳"], 2 * 400.0)
