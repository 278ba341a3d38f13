from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.property_sms.tests.test_gateway import POST
from odoo.addons.queue_job.job import Job

from .test_invitation import InvitationCommon, gateway_answers


@tagged("post_install", "-at_install")
class TestInvitationTours(InvitationCommon):
    """The front desk's invitation day in the back office (1440 px, Chinese): a campaign for a
    building, started; the background jobs; the results; the lobby poster printed."""

    browser_size = "1440x900"

    def test_tour_front_desk_invites_a_building(self):
        self.use_chinese(
            self.user_frontdesk, ["property_portal", "property_portal_sms", "property_sms", "queue_job"]
        )
        action = self.env.ref("property_portal_sms.property_invitation_campaign_action")
        self.start_tour(f"/odoo/action-{action.id}", "property_front_desk_invitation", login="t_frontdesk")
        campaign = self.Campaign.search([("name", "=", "邀请3号楼住户")])
        self.assertEqual(
            (campaign.state, campaign.estate_id, campaign.building_ids),
            ("running", self.estate_a, self.building_a),
        )
        self.assertEqual(campaign.create_uid, self.user_frontdesk)
        # the queue's workers run the stored jobs
        jobs = self.env["queue.job"].search([("model_name", "=", campaign._name), ("state", "=", "pending")])
        self.assertEqual(len(jobs), 1)
        with patch(POST, side_effect=gateway_answers) as post:
            for job in jobs:
                Job.load(self.env, job.uuid).perform()
        self.assertEqual(post.call_count, 2)
        self.start_tour(
            f"/odoo/action-{action.id}", "property_front_desk_invitation_done", login="t_frontdesk"
        )
        self.assertEqual(campaign.state, "done")
        buildings = self.env.ref("property_base.property_building_action")
        # the poster shown in the browser, as Odoo does without a PDF engine (with one, the same
        # click downloads the PDF: see property_portal's TestBindingPoster)
        with patch("odoo.addons.base.models.ir_actions_report.wkhtmltopdf_state", "install"):
            self.start_tour(f"/odoo/action-{buildings.id}", "property_front_desk_poster", login="t_frontdesk")
