from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import WorkorderBillingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-16 02:00:00")
class TestPaidService(WorkorderBillingCommon):
    def test_paid_request_charges_the_paying_household_once(self):
        """Fee + materials at cost, charged to the unit's paying tenant, not to the reporter."""
        request = self.make_request(
            unit_id=self.unit_a2.id,
            partner_id=self.owner_a2.id,
            is_paid_service=True,
            service_fee=50.0,
            material_ids=[Command.create({"product_id": self.faucet.id, "quantity": 2.0})],
        )
        self.assertEqual(request.service_product_id, self.fee_service)
        self.assertEqual(request.service_amount, 81.0)
        self.finish(request)
        self.assertFalse(self.service_lines(), "nothing is charged before the resident confirms")
        request.action_resident_confirm()
        lines = self.service_lines()
        self.assertEqual(len(lines), 1)
        self.assertEqual(request.service_bill_line_id, lines)
        self.assertEqual(
            (lines.partner_id, lines.unit_id, lines.product_id, lines.amount),
            (self.tenant_a2, self.unit_a2, self.fee_service, 81.0),
        )
        self.assertIn(request.name, lines.description)
        bill = request.service_bill_id
        self.assertEqual(
            (bill.bill_type, bill.state, bill.amount_residual, bill.date),
            ("service", "open", 81.0, date(2026, 3, 16)),
        )
        self.assertEqual(bill.receivable_line_ids.partner_id, self.tenant_a2)
        self.assertTrue(request.is_service_charged)

    def test_confirming_twice_charges_once(self):
        request = self.finish(self.make_request(is_paid_service=True, service_fee=80.0))
        request.action_resident_confirm()
        line = request.service_bill_line_id
        self.assertEqual((line.partner_id, line.amount), (self.owner, 80.0))
        # a second confirmation is refused, a second call of the hook adds nothing
        with self.assertRaises(UserError):
            request.action_resident_confirm()
        self.assertTrue(request._charge_resident())
        # the resident rejects, the technician redoes the work, the resident confirms again
        request._action_reject("还是有点滴水")
        self.finish(request)
        request.action_resident_confirm()
        self.assertEqual(request.state, "followup")
        self.assertEqual(request.service_bill_line_id, line)
        self.assertEqual(self.service_lines(), line)
        self.assertEqual(len(self.env["property.bill"].search([("bill_type", "=", "service")])), 1)

    def test_free_request_charges_nothing(self):
        request = self.finish(self.make_request(service_fee=80.0))
        self.assertEqual(request.service_amount, 0.0)
        request.action_resident_confirm()
        self.assertEqual(request.state, "followup")
        self.assertFalse(request.service_bill_line_id)
        self.assertFalse(self.service_lines())

    def test_fixed_price_ignores_materials(self):
        request = self.make_request(
            is_paid_service=True,
            service_pricing="fixed",
            service_fee=120.0,
            material_ids=[Command.create({"product_id": self.faucet.id, "quantity": 3.0})],
        )
        self.assertEqual(request.service_amount, 120.0)
        self.finish(request).action_resident_confirm()
        self.assertEqual(self.service_lines(self.owner).amount, 120.0)

    def test_technician_confirms_without_billing_rights(self):
        """The technician records the resident's confirmation; the bill is created anyway."""
        request = self.finish(self.make_request(is_paid_service=True, service_fee=60.0))
        request.with_user(self.user_technician).action_resident_confirm()
        self.assertEqual(self.service_lines(self.owner).amount, 60.0)

    def test_paid_service_needs_a_unit(self):
        request = self.finish(
            self.make_request(unit_id=False, common_area="3号楼大堂", is_paid_service=True, service_fee=30.0)
        )
        with self.assertRaises(UserError):
            request.action_resident_confirm()
        self.assertFalse(self.service_lines())
