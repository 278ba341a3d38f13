import os
from datetime import date
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import BillingTestCommon


@tagged("post_install", "-at_install")
class TestAccountantTour(BillingTestCommon, HttpCase):
    """The accountant's day in Chinese at 1440 px, through the real screens."""

    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_rule(price=2.5)
        cls.unit_empty = cls.env["property.unit"].create(
            {"building_id": cls.building_a.id, "floor": 5, "number": "0504", "gross_area": 90.0}
        )
        cls.zhao = cls.make_owners(cls.unit_a2, ["赵一鸣"])

    def setUp(self):
        super().setUp()
        self.use_chinese(self.user_accountant, ["account", "property_billing"])
        # a Chinese company: the run writes its bill lines in Chinese
        self.env.company.partner_id.lang = "zh_CN"

    def action_url(self, xmlid):
        return f"/odoo/action-{self.env.ref(xmlid).id}"

    def test_tour_accountant_bills_exports_matches(self):
        # the chunks' jobs run in the request, as queue_job's no-delay mode does (its notice muted)
        with patch.dict(os.environ, {"QUEUE_JOB__NO_DELAY": "1"}), mute_logger("odoo.addons.queue_job.utils"):
            self.start_tour(
                self.action_url("property_billing.property_billing_run_action"),
                "property_accountant_billing_run",
                login="t_accountant",
            )
        run = self.env["property.billing.run"].search([("estate_id", "=", self.estate_a.id)])
        self.assertEqual((run.state, run.date_from, run.bill_count), ("done", date(2026, 4, 1), 3))
        self.assertEqual(run.skip_no_payer_count, 1)
        bill = self.bill_of(self.zhao, date(2026, 4, 1))
        self.assertEqual((bill.amount_total, bill.state), (300.0, "open"))

        self.start_tour(
            self.action_url("property_billing.property_billing_arrears_report_action"),
            "property_accountant_arrears_xlsx",
            login="t_accountant",
        )

        self.start_tour(
            self.action_url("property_billing.account_bank_statement_line_action_property"),
            "property_accountant_bank_match",
            login="t_accountant",
        )
        st_line = self.env["account.bank.statement.line"].search([("partner_id", "=", self.zhao.id)])
        self.assertEqual(len(st_line), 1)
        self.assertTrue(st_line.is_reconciled)
        self.assertEqual((bill.state, bill.amount_residual), ("paid", 0.0))

        self.start_tour(
            self.action_url("property_billing.property_billing_arrears_report_action"),
            "property_accountant_aged_balance",
            login="t_accountant",
        )
