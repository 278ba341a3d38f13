from odoo.tests import HttpCase, tagged

from odoo.addons.property_base.tests.common import PropertyTestCommon


@tagged("post_install", "-at_install")
class TestCockpitTour(PropertyTestCommon, HttpCase):
    """The demo manager's first screen, in Chinese, in headless Chromium."""

    def test_tour_manager_cockpit(self):
        manager = self.env.ref("property_base.user_manager_demo")
        self.use_chinese(
            manager, ["property_billing", "property_workorder", "property_iot", "property_cockpit"]
        )
        open_orders = (
            self.env["property.request"]
            .with_user(manager)
            .search_count([("state", "in", ("new", "assigned", "accepted", "in_progress", "paused"))])
        )
        self.assertTrue(open_orders, "the demo has open work orders to list")
        self.start_tour("/odoo", "property_cockpit_manager", login="manager")
