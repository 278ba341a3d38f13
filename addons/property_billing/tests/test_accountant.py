import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import BillingTestCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20")
class TestAccountant(BillingTestCommon):
    """What the accountant reads after a run, the arrears XLSX and the matching of a bank
    transfer with bills, and what another estate's accountant cannot do with them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_rule(price=2.5)
        cls.make_rule(name="物业费 B", estate_id=cls.estate_b.id, price=3.0)
        # a unit nobody owns (skipped: no payer) and one of a building no rule covers
        cls.unit_empty = cls.env["property.unit"].create(
            {"building_id": cls.building_a.id, "floor": 5, "number": "0504", "gross_area": 90.0}
        )
        cls.zhao = cls.make_owners(cls.unit_a2, ["赵一鸣"])
        cls.zhao.mobile = "13611112222"
        cls.user_accountant_b = new_test_user(
            cls.env,
            login="t_accountant_b",
            groups="property_base.group_property_accountant",
            name="t_accountant_b",
        )
        cls.user_accountant_b.property_estate_ids = cls.estate_b
        cls.april_run = cls.make_run(date(2026, 4, 1), date_due=date(2026, 4, 30))
        cls.april_run._run_now()
        cls.make_run(date(2026, 4, 1), estate=cls.estate_b, date_due=date(2026, 4, 30))._run_now()
        cls.journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )

    # ------------------------------------------------------------------
    # The run's form says what it did
    # ------------------------------------------------------------------
    def test_run_says_what_it_did(self):
        run = self.april_run
        self.assertEqual(run.state, "done")
        self.assertEqual(run.bill_count, 3)
        self.assertEqual(run.amount_total, 89 * 2.5 + 120 * 2.5 + 100 * 2.5)
        self.assertEqual(run.unit_scope_count, 4)
        self.assertEqual(run.unit_billed_count, 3)
        self.assertEqual(run.skip_no_payer_count, 1)
        self.assertEqual(run.skip_no_rule_count, 0)
        self.assertEqual(run.unit_prebilled_count, 0)
        self.assertEqual((run.move_count, run.move_posted_count), (1, 1))
        self.assertIn("3 bills created for 3 units", run.summary)
        self.assertIn("1 of 1 journal entries posted", run.summary)

    def test_run_summary_in_chinese_and_skip_reasons(self):
        """Units without rule are told apart from units without payer; a second run of the
        month says the units were billed already."""
        self.use_chinese(self.user_accountant, ["property_billing"])
        building_2 = self.env["property.building"].create(
            {"estate_id": self.estate_a.id, "code": "9", "name": "9号楼", "floors_above": 3}
        )
        unit_9 = self.env["property.unit"].create(
            {"building_id": building_2.id, "floor": 1, "number": "0101", "gross_area": 50.0}
        )
        self.make_owners(unit_9, ["钱多多"])
        self.env["property.billing.rule"].search(
            [("estate_id", "=", self.estate_a.id)]
        ).building_ids = self.building_a
        run = self.make_run(date(2026, 4, 1))
        run._run_now()
        run = run.with_user(self.user_accountant).with_context(lang="zh_CN")
        self.assertEqual(run.unit_prebilled_count, 3, "the first run's units")
        self.assertEqual(run.skip_no_rule_count, 1)
        self.assertEqual(run.skip_no_payer_count, 1)
        self.assertEqual(run.bill_count, 0)
        self.assertIn("跳过 2 套", run.summary)
        self.assertNotRegex(run.summary, r"[A-Za-z]{3,}")

    def test_bill_lines_read_in_chinese_with_a_price_per_m2(self):
        self.use_chinese(self.user_accountant, ["property_billing"])
        self.env.company.partner_id.lang = "zh_CN"
        run = self.make_run(date(2026, 5, 1))
        run._run_now()
        line = run.bill_ids.line_ids.filtered(lambda x: x.unit_id == self.unit_a2)
        self.assertEqual((line.quantity, line.price_unit, line.amount), (120.0, 2.5, 300.0))
        self.assertEqual(line.description, "120 m²（建筑面积）× 1 个月 × 2.5/m²")

    # ------------------------------------------------------------------
    # Arrears XLSX
    # ------------------------------------------------------------------
    def export(self, user, records=None, domain=None):
        """The list's XLSX button as ``user``: the action, then the file it downloads."""
        Report = self.env["property.billing.arrears.report"].with_user(user)
        records = (records or Report.browse()).with_user(user)
        action = records.with_context(active_domain=domain or []).action_export_xlsx()
        self.assertEqual(action["report_name"], "property_billing.arrears_xlsx")
        ids = action["context"]["active_ids"]
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(lang=user.lang)
            ._render_xlsx("property_billing.report_arrears_xlsx", ids, action.get("data") or {})
        )
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.worksheets[0]
        rows = [tuple(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
        return rows[0], rows[1:], ids

    def test_arrears_xlsx_chinese_headers_unit_phone_all_rows(self):
        self.use_chinese(self.user_accountant, ["property_billing"])
        header, rows, ids = self.export(self.user_accountant)
        self.assertEqual(
            header,
            ("住户", "电话", "小区", "楼栋", "房屋", "账单", "到期日", "逾期天数", "账龄", "欠款金额"),
        )
        # nothing ticked: every row of the (empty) filter the accountant may read, estate A only
        visible = self.env["property.billing.arrears.report"].with_user(self.user_accountant).search([])
        self.assertEqual(sorted(ids), sorted(visible.ids))
        self.assertEqual(len(rows), 3)
        by_household = {row[0]: row for row in rows}
        self.assertEqual(by_household["赵一鸣"][4], "A-3-0503")
        self.assertEqual(by_household["赵一鸣"][9], 300.0)
        # PIPL: the accountant sees the household's mobile masked, like everywhere else
        self.assertEqual(by_household["赵一鸣"][1], "136****2222")
        self.assertEqual(by_household["张伟"][1], "138****1234")
        # the current filter is kept
        _header, rows, _ids = self.export(self.user_accountant, domain=[("partner_id", "=", self.zhao.id)])
        self.assertEqual([row[0] for row in rows], ["赵一鸣"])
        # ticked rows: only those
        ticked = visible.filtered(lambda r: r.partner_id == self.owner)
        _header, rows, ids = self.export(self.user_accountant, records=ticked)
        self.assertEqual((ids, [row[0] for row in rows]), (ticked.ids, ["张伟"]))

    def test_arrears_xlsx_manager_sees_full_numbers(self):
        _header, rows, _ids = self.export(self.user_manager, domain=[("partner_id", "=", self.zhao.id)])
        self.assertEqual(rows[0][1], "13611112222")

    def test_arrears_xlsx_of_another_estate(self):
        """Estate B's accountant exports estate B only, and cannot export estate A's rows by id."""
        _header, rows, _ids = self.export(self.user_accountant_b)
        self.assertEqual({row[2] for row in rows}, {"锦悦府"})
        self.assertNotIn("赵一鸣", {row[0] for row in rows})
        rows_a = self.env["property.billing.arrears.report"].search([("estate_id", "=", self.estate_a.id)])
        self.assertTrue(rows_a)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.user_accountant_b)._render_xlsx(
                "property_billing.report_arrears_xlsx", rows_a.ids, {}
            )
        # a forged filter finds nothing either (and does not fall back to every row)
        with self.assertRaises(UserError):
            self.export(self.user_accountant_b, domain=[("estate_id", "=", self.estate_a.id)])

    # ------------------------------------------------------------------
    # Bank transfer matched with bills
    # ------------------------------------------------------------------
    def transfer(self, user, amount, partner=None, ref="转账"):
        return (
            self.env["account.bank.statement.line"]
            .with_user(user)
            .create(
                {
                    "journal_id": self.journal.id,
                    "date": date(2026, 5, 10),
                    "payment_ref": ref,
                    "partner_id": partner.id if partner else False,
                    "amount": amount,
                }
            )
        )

    def test_accountant_matches_a_transfer_with_a_bill(self):
        bill = self.bill_of(self.zhao, date(2026, 4, 1))
        st_line = self.transfer(self.user_accountant, 300.0, self.zhao)
        self.assertEqual(st_line.property_amount_unmatched, 300.0)
        action = st_line.action_property_match_bills()
        self.assertEqual(action["context"]["default_partner_id"], self.zhao.id)
        wizard = (
            self.env["property.bill.match.wizard"]
            .with_user(self.user_accountant)
            .new({"statement_line_id": st_line.id, "partner_id": self.zhao.id})
        )
        wizard._onchange_partner_id()
        self.assertEqual(wizard.bill_ids._origin, bill, "the household's open bill is proposed")
        wizard = wizard.create(
            {"statement_line_id": st_line.id, "partner_id": self.zhao.id, "bill_ids": [Command.set(bill.ids)]}
        )
        wizard.action_match()
        self.assertTrue(st_line.is_reconciled)
        self.assertEqual((bill.state, bill.amount_residual), ("paid", 0.0))
        self.assertEqual(bill.receivable_line_ids.matched_credit_ids.credit_move_id.move_id, st_line.move_id)
        with self.assertRaises(UserError):
            st_line._property_match_bills(bill)

    def test_partial_and_surplus_transfer(self):
        """Less than due: the bill is partly paid; more than due: the rest stays to match."""
        bill = self.bill_of(self.owner_high, date(2026, 4, 1))  # 250
        partial = self.transfer(self.user_accountant, 100.0, self.owner_high)
        partial._property_match_bills(bill)
        self.assertEqual((bill.state, bill.amount_residual), ("partial", 150.0))
        self.assertTrue(partial.is_reconciled)
        surplus = self.transfer(self.user_accountant, 200.0, self.owner_high)
        surplus._property_match_bills(bill)
        self.assertEqual((bill.state, bill.amount_residual), ("paid", 0.0))
        self.assertFalse(surplus.is_reconciled)
        self.assertEqual(surplus.property_amount_unmatched, 50.0)
        self.assertEqual(partial.property_amount_unmatched, 0.0)

    def test_other_estate_cannot_match_or_read(self):
        bill_a = self.bill_of(self.zhao, date(2026, 4, 1))
        st_line_a = self.transfer(self.user_accountant, 300.0, self.zhao)
        # estate B's accountant does not see estate A's resident's transfer
        StLine = self.env["account.bank.statement.line"].with_user(self.user_accountant_b)
        self.assertNotIn(st_line_a, StLine.search([]))
        # nor can match its own transfer with estate A's bill (forged id)
        st_line_b = self.transfer(self.user_accountant_b, 300.0)
        with self.assertRaises(AccessError):
            st_line_b._property_match_bills(bill_a.with_user(self.user_accountant_b), self.zhao)
        self.assertEqual(bill_a.state, "open")
        # a bill of another household is refused
        with self.assertRaises(UserError):
            st_line_a._property_match_bills(self.bill_of(self.owner, date(2026, 4, 1)), self.zhao)
