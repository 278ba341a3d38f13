"""PIPL on the SMS side: the gateway log, the server log, core SMS records and the composer."""

from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.property_base.tests.common import AttackerMixin
from odoo.addons.property_sms.models import property_sms_gateway as gateway_module

from .common import SmsTestCommon

COMPOSER_SPEC = {
    "composition_mode": {},
    "res_model": {},
    "res_id": {},
    "number_field_name": {},
    "recipient_single_description": {},
    "recipient_single_number": {},
    "recipient_single_number_itf": {},
    "recipient_single_valid": {},
    "numbers": {},
    "sanitized_numbers": {},
    "body": {},
}


@tagged("post_install", "-at_install")
class TestSmsPersonalData(AttackerMixin, SmsTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.user_frontdesk | cls.user_technician | cls.user_accountant | cls.user_guard
        cls.numbers = ("13812341234", "13900001111")

    def send_to_residents(self):
        sms = self.env["sms.sms"].create(
            [
                {"number": "13812341234", "partner_id": self.owner.id, "body": "停水通知"},
                {"number": "13900001111", "partner_id": self.owner_b.id, "body": "停水通知"},
            ]
        )
        sms.send(unlink_sent=False)
        return sms

    def test_server_log_has_no_number_nor_code(self):
        with patch.object(gateway_module._logger, "info") as info:
            self.gateway_log._send_template(["13812341234"], "otp", ["735194", 5])
            self.gateway_log._send_text(["+86 139 0000 1111"], "您的验证码 735194")
            self.gateway_log._send_voice("13812341234", "otp", ["735194"])
        self.assertEqual(info.call_count, 3)
        output = "\n".join(call.args[0] % call.args[1:] for call in info.call_args_list)
        self.assertIn("138****1234", output)
        self.assert_no_full_number(output, [*self.numbers, "735194"], "server log")
        # the gateway log keeps the number (masked on reading) but never the code
        logs = self.env["property.sms.log"].search([("template_code", "=", "otp")])
        self.assertTrue(logs)
        self.assertNotIn("735194", str(logs.mapped("params")) + str(logs.mapped("body")))

    def test_gateway_log_belongs_to_the_recipient_estate(self):
        self.send_to_residents()
        self.gateway_log._send_template(["13700000000"], "dunning_reminder", ["x", 1])  # nobody's
        Log = self.env["property.sms.log"]
        log_a = Log.search([("partner_id", "=", self.owner.id)])
        log_b = Log.search([("partner_id", "=", self.owner_b.id)])
        orphan = Log.search([("partner_id", "=", False)])
        self.assertEqual((log_a.estate_id, log_b.estate_id), (self.estate_a, self.estate_b))
        # accountants of estate A: their estate's log only, number masked
        mine = Log.with_user(self.user_accountant).search([])
        self.assertEqual(mine, log_a)
        self.assertEqual(mine.read(["number"])[0]["number"], "138****1234")
        with self.assertRaises(AccessError):
            log_b.with_user(self.user_accountant).read(["body"])
        with self.assertRaises(AccessError):
            orphan.with_user(self.user_accountant).read(["body"])
        with self.assertRaises(AccessError):
            Log.with_user(self.user_accountant).read_group([], ["__count"], ["number"])
        with self.assertRaises(AccessError):
            Log.with_user(self.user_accountant).search_count([("number", "=like", "139%")])
        # managers: every estate, full numbers
        self.assertEqual(Log.with_user(self.user_manager).search([]), log_a | log_b | orphan)
        self.assertEqual(log_a.with_user(self.user_manager).read(["number"])[0]["number"], "13812341234")
        self.assertEqual(
            self.assert_estate_isolated(self.staff, self.estate_b) & {"property.sms.log"},
            {"property.sms.log"},
        )

    def test_sms_records_named_by_number_are_masked(self):
        sms = self.send_to_residents()
        # sms.sms is named by its number (the dunning log shows it): masked whoever reads it
        self.assertEqual(sms[0].display_name, "138****1234")
        self.assertEqual(sms[0].number, "13812341234")  # business code keeps it
        message = self.owner._message_sms("停水通知", partner_ids=self.owner.ids)
        notification = message.notification_ids.filtered(lambda n: n.notification_type == "sms")
        self.assertEqual(notification.sms_number, "13812341234")
        self.assertEqual(
            notification.with_user(self.user_frontdesk).read(["sms_number"])[0]["sms_number"], "138****1234"
        )

    def test_composer_shows_masked_number_and_sends_to_the_real_one(self):
        for user in self.staff:
            with self.subTest(user=user.login):
                Composer = (
                    self.env["sms.composer"]
                    .with_user(user)
                    .with_context(
                        default_composition_mode="comment",
                        default_res_model="res.partner",
                        default_res_id=self.owner.id,
                    )
                )
                values = Composer.onchange({}, [], COMPOSER_SPEC)["value"]
                self.assertEqual(values["recipient_single_number_itf"], "138****1234")
                self.assert_no_full_number(values, self.numbers, f"composer onchange as {user.login}")
                # a later onchange with the masked number from the form: still valid, still masked
                values["body"] = "停水通知"
                again = Composer.onchange(values, ["body"], COMPOSER_SPEC)["value"]
                self.assert_no_full_number(again, self.numbers, "composer second onchange")
        # the form sends the masked number back: the SMS goes to the real one
        values = {k: v for k, v in values.items() if k in ("recipient_single_number_itf", "body")}
        composer = (
            self.env["sms.composer"]
            .with_user(self.user_frontdesk)
            .with_context(
                default_composition_mode="comment",
                default_res_model="res.partner",
                default_res_id=self.owner.id,
            )
            .create(values)
        )
        self.assertTrue(composer.recipient_single_valid)
        composer.action_send_sms()
        log = self.env["property.sms.log"].search([("body", "=", "停水通知")])
        self.assertEqual(log.number, "13812341234")
        self.assertEqual(self.owner.mobile, "13812341234")

    def test_phone_search_refused(self):
        Partner = self.env["res.partner"].with_user(self.user_frontdesk)
        for domain in (
            [("phone_mobile_search", "like", "1381")],
            [("phone_sanitized", "=like", "+86138%")],
        ):
            with self.assertRaises(AccessError, msg=str(domain)):
                Partner.search_count(domain)
        self.assertEqual(
            self.env["res.partner"]
            .with_user(self.user_manager)
            .search_count([("phone_mobile_search", "like", "12341234"), ("id", "=", self.owner.id)]),
            1,
        )

    def test_generic_sweep(self):
        self.send_to_residents()
        self.owner._message_sms("停水通知", partner_ids=self.owner.ids)
        samples = self.pii_samples()
        self.assertIn("property.sms.log", samples)
        self.assert_no_pii_leak(self.staff, samples)
