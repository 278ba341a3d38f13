from odoo.tests import HttpCase, tagged

from .common import SecurityTestCommon


@tagged("post_install", "-at_install")
class TestFrontDeskTours(SecurityTestCommon, HttpCase):
    """The front desk's journeys through the real forms, in Chinese, in headless Chromium."""

    def setUp(self):
        super().setUp()
        self.use_chinese(self.user_frontdesk, ["property_security"])

    def test_tour_walk_in_visitor(self):
        action = self.env.ref("property_security.property_security_visitor_action")
        self.start_tour(f"/odoo/action-{action.id}", "property_front_desk_visitor", login="t_frontdesk")
        visitor = self.Visitor.search([("name", "=", "王先生")])
        self.assertEqual(len(visitor), 1)
        self.assertEqual(visitor.unit_id, self.unit_a)
        self.assertEqual(visitor.host_partner_id, self.owner, "the unit's resident was proposed")
        self.assertEqual(visitor.state, "approved")
        self.assertTrue(visitor.pass_token)
        self.assertEqual(visitor.create_uid, self.user_frontdesk)
