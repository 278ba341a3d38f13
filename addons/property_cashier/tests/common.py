from datetime import date

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.property_base.tests.common import AttackerMixin
from odoo.addons.property_billing.tests.common import BillingTestCommon

TODAY = "2026-03-20"


@tagged("post_install", "-at_install")
class CashierTestCommon(BillingTestCommon, AttackerMixin):
    """Three open monthly bills of 100 for 张伟 (estate A), two for 李娜 (estate B), and a
    front desk for estate B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bills = cls.make_bills(cls.owner, cls.unit_a, 3, amount=100.0, start=date(2026, 1, 1))
        cls.bills_b = cls.make_bills(cls.owner_b, cls.unit_b, 2, amount=80.0, start=date(2026, 1, 1))
        cls.user_frontdesk_b = new_test_user(
            cls.env,
            login="t_frontdesk_b",
            groups="property_base.group_property_front_desk",
            name="t_frontdesk_b",
        )
        cls.user_frontdesk_b.property_estate_ids = cls.estate_b
        cls.user_manager.property_estate_ids = cls.estate_a | cls.estate_b
        cls.Collection = cls.env["property.cashier.collection"]

    def collect(self, bills, *, amount=None, method="cash", reference=None, user=None, partner=None):
        """A collection through the cashier's form logic, as ``user`` (the front desk)."""
        user = user or self.user_frontdesk
        partner = partner or bills.partner_id[:1] or self.owner
        Collection = self.Collection.with_user(user)
        collection = Collection.create(
            {
                "partner_id": partner.id,
                "estate_id": (bills.estate_id[:1] or self.estate_a).id,
                "method": method,
                "reference": reference,
                "line_ids": [Command.create({"bill_id": bill.id, "is_selected": True}) for bill in bills],
            }
        )
        if amount is not None:
            collection.amount = amount
        collection.action_collect()
        return collection

    def day(self, user=None, estate=None):
        return (
            self.env["property.cashier.closing"]
            .with_user(user or self.user_frontdesk)
            .create({"date": date(2026, 3, 20), "estate_id": (estate or self.estate_a).id})
        )
