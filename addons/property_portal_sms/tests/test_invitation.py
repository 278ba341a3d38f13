import json
from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.property_portal.tests.common import PortalTestCommon
from odoo.addons.property_sms.tests.common import SmsTestCommon
from odoo.addons.property_sms.tests.test_gateway import POST, FakeResponse, tencent_ok
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

NOW = datetime(2026, 12, 1, 9, 0)


def gateway_answers(*args, **kwargs):
    """Tencent's answer to each request: every number of the request accepted."""
    return tencent_ok(json.loads(kwargs["data"])["PhoneNumberSet"])


class InvitationCommon(PortalTestCommon, SmsTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls.gateway_tencent
        cls.company.property_sms_gateway_id = cls.gateway
        cls.gateway.template_ids = [
            Command.create(
                {
                    "code": "portal_invitation",
                    "provider_template_id": "3001",
                    "content": "{1}住户您好，绑定房屋：{2}",
                }
            )
        ]
        Partner = cls.env["res.partner"]
        cls.fang = Partner.create({"name": "王芳", "mobile": "137 0000 1234"})
        cls.min = Partner.create({"name": "赵敏", "mobile": "+86 136-5555-6666"})
        cls.gang = Partner.create({"name": "陈刚"})  # no number on file
        cls.yang = Partner.create({"name": "刘洋", "mobile": "13511112222"})
        cls.env["phone.blacklist"].sudo()._add([cls.yang.phone_sanitized])
        for partner, unit in (
            (cls.fang, cls.unit_a),
            (cls.min, cls.unit_a2),
            (cls.gang, cls.unit_a2),
            (cls.yang, cls.unit_a2),
        ):
            cls.env["property.occupancy"].create(
                {
                    "unit_id": unit.id,
                    "partner_id": partner.id,
                    "role": "tenant",
                    "date_start": date(2022, 1, 1),
                }
            )
        cls.Campaign = cls.env["property.invitation.campaign"]
        cls.desk_b = new_test_user(
            cls.env,
            login="t_desk_b",
            groups="property_base.group_property_front_desk,base.group_allow_export",
        )
        cls.desk_b.property_estate_ids = cls.estate_b

    def new_campaign(self, user=None, **values):
        return self.Campaign.with_user(user or self.user_frontdesk).create(
            {
                "name": "邀请 3号楼",
                "estate_id": self.estate_a.id,
                "building_ids": [Command.set(self.building_a.ids)],
                **values,
            }
        )

    def start(self, campaign):
        """Start as the desk, then run the enqueued jobs with the gateway faked at its HTTP edge."""
        with trap_jobs() as trap:
            campaign.action_start()
        jobs = list(trap.enqueued_jobs)
        with patch(POST, side_effect=gateway_answers) as post:
            trap.perform_enqueued_jobs()
        return jobs, post

    def sent_numbers(self, post):
        return [json.loads(call.kwargs["data"])["PhoneNumberSet"][0] for call in post.call_args_list]


@tagged("post_install", "-at_install")
class TestInvitation(InvitationCommon):
    """The front desk invites a building's residents without an account, by SMS, in the background."""

    @freeze_time(NOW)
    def test_campaign_invites_each_resident_once(self):
        campaign = self.new_campaign()
        jobs, post = self.start(campaign)
        self.assertEqual(len(jobs), 1)
        self.assertEqual(sorted(self.sent_numbers(post)), ["+8613655556666", "+8613700001234"])
        sent = json.loads(post.call_args.kwargs["data"])
        self.assertEqual(sent["TemplateId"], "3001")
        place, link = sent["TemplateParamSet"]
        self.assertEqual(place, "翠湖花园3号楼")
        self.assertTrue(link.endswith(f"/bind?building={self.building_a.id}"))
        self.assertTrue(link.startswith("http"), "an absolute link")
        self.assertEqual(campaign.state, "done")
        residents = self.env["property.occupancy"].search(campaign._get_occupancy_domain()).partner_id
        self.assertEqual(
            campaign.line_ids.partner_id, residents, "each current resident of the building, once"
        )
        counts = (campaign.total_count, campaign.sent_count, campaign.skipped_count, campaign.failed_count)
        self.assertEqual(counts, (len(residents), 2, len(residents) - 2, 0))
        self.assertEqual(campaign.progress, 100.0)
        reasons = {line.partner_id: line.skip_reason for line in campaign.line_ids if line.state == "skipped"}
        for partner, reason in (
            (self.owner, "has_account"),
            (self.gang, "no_mobile"),
            (self.yang, "opted_out"),
        ):
            self.assertEqual(reasons[partner], reason, partner.name)
        # the job retried, or run again: nothing leaves twice
        with patch(POST, side_effect=gateway_answers) as post:
            jobs[0].perform()
            campaign._send_batch(campaign.line_ids.ids)
        post.assert_not_called()
        self.assertEqual(campaign.sent_count, 2)
        # the gateway log belongs to the residents' estate
        logs = self.env["property.sms.log"].search([("template_code", "=", "portal_invitation")])
        self.assertEqual(logs.estate_id, self.estate_a)

    @freeze_time(NOW)
    def test_job_run_twice_sends_once(self):
        """The job function itself, run twice (a retry after the commit): one message each."""
        campaign = self.new_campaign()
        campaign.action_start()  # the job is stored in the queue, as in production
        stored = self.env["queue.job"].search(
            [("model_name", "=", "property.invitation.campaign"), ("method_name", "=", "_send_batch")]
        )
        self.assertEqual(len(stored), 1)
        self.assertEqual(stored.channel, "root.property_invitation")
        with patch(POST, side_effect=gateway_answers) as post:
            Job.load(self.env, stored.uuid).perform()
            Job.load(self.env, stored.uuid).perform()
        self.assertEqual(post.call_count, 2, "two residents, one message each")

    def test_batches(self):
        campaign = self.new_campaign(batch_size=1)
        jobs, post = self.start(campaign)
        self.assertEqual(len(jobs), 2)
        self.assertEqual(post.call_count, 2)
        self.assertEqual(campaign.state, "done")

    def test_second_campaign_within_the_period_skips(self):
        with freeze_time(NOW):
            self.start(self.new_campaign())
            again = self.new_campaign(name="再次邀请")
            _jobs, post = self.start(again)
        post.assert_not_called()
        self.assertEqual(
            again.line_ids.filtered(lambda line: line.skip_reason == "already_invited").partner_id,
            self.fang | self.min,
        )
        self.assertEqual(again.state, "done")
        with freeze_time(NOW + timedelta(days=31)):
            _jobs, post = self.start(self.new_campaign(name="一个月后"))
        self.assertEqual(post.call_count, 2, "the period (30 days by default) is over")

    @freeze_time(NOW)
    def test_failure_counted_and_not_guarded(self):
        refused = FakeResponse(
            {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "x"}}}
        )
        campaign = self.new_campaign(partner_ids=[Command.set(self.fang.ids)])
        with trap_jobs() as trap:
            campaign.action_start()
        with patch(POST, return_value=refused):
            trap.perform_enqueued_jobs()
        self.assertEqual((campaign.failed_count, campaign.sent_count, campaign.total_count), (1, 0, 1))
        self.assertEqual(campaign.line_ids.result_code, "AuthFailure.SignatureFailure")
        _jobs, post = self.start(self.new_campaign(partner_ids=[Command.set(self.fang.ids)]))
        self.assertEqual(post.call_count, 1, "a failed invitation may be sent again")

    def test_selected_residents_only(self):
        _jobs, post = self.start(
            self.new_campaign(building_ids=False, partner_ids=[Command.set(self.min.ids)])
        )
        self.assertEqual(self.sent_numbers(post), ["+8613655556666"])

    def test_bad_input(self):
        self.company.property_sms_gateway_id = False
        with self.assertRaisesRegex(UserError, "SMS"):
            self.new_campaign().action_start()
        self.company.property_sms_gateway_id = self.gateway
        with self.assertRaises(ValidationError):
            self.new_campaign(user=self.user_manager, building_ids=[Command.set(self.building_b.ids)])
        campaign = self.new_campaign()
        self.start(campaign)
        with self.assertRaises(UserError):
            campaign.action_start()
        with self.assertRaises(UserError):
            campaign.unlink()
        with self.assertRaises(ValidationError):
            self.new_campaign(batch_size=0)


@tagged("post_install", "-at_install")
class TestInvitationAttacks(InvitationCommon):
    def test_other_estates_desk_sees_and_invites_nothing(self):
        campaign = self.new_campaign()
        self.start(campaign)
        Campaign = self.Campaign.with_user(self.desk_b)
        Invitation = self.env["property.invitation"].with_user(self.desk_b)
        self.assertFalse(Campaign.search([]))
        self.assertFalse(Campaign.read_group([], ["state"], ["state"]))
        self.assertFalse(Campaign.name_search("邀请"))
        self.assertFalse(Invitation.search([]))
        self.assertFalse(Invitation.search_read([], ["phone"]))
        with self.assertRaises(AccessError):
            campaign.with_user(self.desk_b).read(["sent_count"])
        with self.assertRaises(AccessError):
            campaign.line_ids[:1].with_user(self.desk_b).read(["phone"])
        with self.assertRaises(AccessError):
            campaign.with_user(self.desk_b).export_data(["line_ids/phone"])
        with self.assertRaises(AccessError):
            self.new_campaign(user=self.desk_b)
        with self.assertRaises(AccessError):
            campaign.with_user(self.desk_b)._send_batch(campaign.line_ids.ids)
        # estate A's residents slipped into estate B's campaign: refused, nothing sent
        with patch(POST) as post:
            with self.assertRaises(AccessError):
                self.new_campaign(
                    user=self.desk_b,
                    estate_id=self.estate_b.id,
                    building_ids=False,
                    partner_ids=[Command.set((self.fang | self.min).ids)],
                )
            mixed = self.new_campaign(
                user=self.user_manager,
                estate_id=self.estate_b.id,
                building_ids=False,
                partner_ids=[Command.set((self.fang | self.owner_b).ids)],
            )
            with self.assertRaisesRegex(ValidationError, "^1 of the chosen") as error:
                mixed.action_start()
        post.assert_not_called()
        self.assertNotIn("王芳", str(error.exception), "counted, not named")
        own = self.new_campaign(user=self.desk_b, estate_id=self.estate_b.id, building_ids=False)
        # estate A's invitations fed to estate B's job: ignored
        with patch(POST) as post:
            own.sudo()._send_batch(campaign.line_ids.ids)
        post.assert_not_called()
        for user in (self.user_technician, self.user_guard, self.user_accountant, self.user_resident):
            with self.assertRaises(AccessError, msg=user.login):
                self.Campaign.with_user(user).search([])
            with self.assertRaises(AccessError, msg=user.login):
                self.env["property.invitation"].with_user(user).search([])

    def test_phones_masked_below_manager(self):
        campaign = self.new_campaign()
        self.start(campaign)
        line = campaign.line_ids.filtered(lambda line: line.partner_id == self.fang)
        desk = line.with_user(self.user_frontdesk).read(["phone"])[0]["phone"]
        self.assertEqual(desk, "137****1234")
        self.assertEqual(line.with_user(self.user_manager).read(["phone"])[0]["phone"], "13700001234")
        with self.assertRaises(AccessError):
            self.env["property.invitation"].with_user(self.user_frontdesk).search([("phone", "like", "1370")])
        rows = campaign.with_user(self.user_frontdesk).web_read({"line_ids": {"fields": {"phone": {}}}})
        self.assertNotIn("13700001234", json.dumps(rows))
