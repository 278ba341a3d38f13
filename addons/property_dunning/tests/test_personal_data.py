"""Reminders seen by staff: no full number on the dunning log, the gateway log per estate."""

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.property_base.tests.common import AttackerMixin

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestDunningPersonalData(AttackerMixin, DunningTestCommon):
    def test_logs_show_no_number(self):
        self.run_cron(date(2026, 4, 30))
        sms_log = self.logs(self.owner, channel="sms")
        self.assertTrue(sms_log.sms_id)
        staff = self.user_frontdesk | self.user_technician | self.user_accountant | self.user_guard
        staff.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        # payment reminders are the front desk's and the accountants' business only
        for user in self.user_technician | self.user_guard:
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["property.dunning.log"].with_user(user).search([])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                sms_log.with_user(user).read(["partner_id"])
        for user in self.user_frontdesk | self.user_accountant:
            with self.subTest(user=user.login):
                Log = self.env["property.dunning.log"].with_user(user)
                logs = Log.search([])
                self.assertIn(self.owner, logs.partner_id)
                self.assertNotIn(self.owner_b, logs.partner_id)  # estate A only
                self.assert_no_full_number(
                    [
                        logs.read(["sms_id", "partner_id", "error"]),
                        logs.web_read(
                            {
                                "sms_id": {"fields": {"display_name": {}}},
                                "partner_id": {"fields": {"mobile": {}}},
                            }
                        ),
                        logs.export_data(["sms_id", "sms_id/number", "partner_id/mobile"]) if logs else [],
                    ],
                    ["13812341234", "13900001111"],
                    user.login,
                )
        # the gateway log of each reminder belongs to the household's estate
        GatewayLog = self.env["property.sms.log"]
        self.assertEqual(GatewayLog.search([("partner_id", "=", self.owner_b.id)]).estate_id, self.estate_b)
        voice = GatewayLog.search([("channel", "=", "voice"), ("partner_id", "=", self.owner.id)])
        self.assertEqual(voice.estate_id, self.estate_a)
        mine = GatewayLog.with_user(self.user_accountant).search([])
        self.assertNotIn(self.owner_b, mine.partner_id)
        with self.assertRaises(AccessError):
            GatewayLog.search([("partner_id", "=", self.owner_b.id)]).with_user(self.user_accountant).read(
                ["body"]
            )
        self.assert_no_pii_leak(staff)
