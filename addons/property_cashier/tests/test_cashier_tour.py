from odoo.tests import HttpCase, tagged

from .common import CashierTestCommon


@tagged("post_install", "-at_install")
class TestCashierTour(CashierTestCommon, HttpCase):
    """The front desk's collection in Chinese at 1440 px, through the real form."""

    browser_size = "1440x900"

    def setUp(self):
        super().setUp()
        self.use_chinese(self.user_frontdesk, ["account", "property_billing", "property_cashier"])
        self.env.company.partner_id.lang = "zh_CN"

    def test_tour_front_desk_collects_cash(self):
        action = self.env.ref("property_cashier.property_cashier_collection_action")
        self.start_tour(f"/odoo/action-{action.id}", "property_cashier_collect_cash", login="t_frontdesk")
        collection = self.Collection.search([("partner_id", "=", self.owner.id)])
        self.assertEqual(len(collection), 1)
        self.assertEqual((collection.state, collection.method, collection.amount), ("done", "cash", 200.0))
        self.assertEqual(self.bills.mapped("state"), ["paid", "paid", "open"])
        self.assertEqual(collection.cashier_id, self.user_frontdesk)
