from odoo.tests import HttpCase, tagged

from odoo.addons.property_base.tests.common import PropertyTestCommon


@tagged("post_install", "-at_install")
class TestStaffTours(PropertyTestCommon, HttpCase):
    """Staff journeys of the portal's back office, through the real forms, in Chinese."""

    def setUp(self):
        super().setUp()
        self.use_chinese(self.user_frontdesk, ["property_portal"])

    def test_tour_front_desk_publishes_a_notice_to_one_building(self):
        action = self.env.ref("property_portal.property_announcement_action")
        self.start_tour(f"/odoo/action-{action.id}", "property_front_desk_notice", login="t_frontdesk")
        notice = self.env["property.announcement"].search([("name", "=", "3号楼停水通知")])
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.estate_id, self.estate_a)
        self.assertEqual(notice.target_type, "building")
        self.assertEqual(notice.building_id, self.building_a)
        self.assertEqual(notice.state, "published")
        self.assertIn("停水半天", notice.body)
        self.assertIn(self.owner, notice.audience_partner_ids, "the building's resident is told")
        self.assertNotIn(self.owner_b, notice.audience_partner_ids, "the other estate's is not")
