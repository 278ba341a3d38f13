import json
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestDunning(DunningTestCommon):
    def candidates(self, day, partners=None):
        with freeze_time(day):
            return {
                c["partner"]: c for c in self.env["property.dunning.log"]._get_candidates(partners=partners)
            }

    def test_level_by_days_overdue(self):
        self.assertEqual(self.bill_a.state, "open")
        self.assertFalse(self.candidates(date(2026, 3, 7)))  # 6 days late: no level yet
        for day, level, days in [
            (date(2026, 3, 8), self.level_1, 7),
            (date(2026, 3, 30), self.level_1, 29),
            (date(2026, 3, 31), self.level_2, 30),
            (date(2026, 4, 30), self.level_3, 60),
        ]:
            candidate = self.candidates(day)[self.owner]
            self.assertEqual(candidate["level"], level, day)
            self.assertEqual(candidate["days_overdue"], days)
            self.assertEqual(candidate["anchor"], self.bill_a)
        self.assertEqual(
            self.candidates(date(2026, 4, 30))[self.owner]["channels"], ["email", "sms", "portal", "voice"]
        )

    def test_no_repeat_then_escalation(self):
        self.run_cron(date(2026, 3, 10))
        first = self.logs(self.owner)
        self.assertEqual(sorted(first.mapped("channel")), ["email", "portal", "sms"])
        self.assertEqual(set(first.mapped("level_id")), {self.level_1})
        self.assertEqual(set(first.mapped("state")), {"sent"})
        self.assertEqual(len(self.logs(self.owner_b)), 3)
        # the job runs again, the same day and the next days: nothing is sent twice
        self.run_cron(date(2026, 3, 10))
        self.run_cron(date(2026, 3, 20))
        self.assertEqual(len(self.logs()), 6)
        # a newer overdue bill joins the debt but does not re-trigger the same level
        self.service_bill(self.owner, self.unit_a, 50.0, date(2026, 3, 12))
        self.run_cron(date(2026, 3, 25))
        self.assertEqual(len(self.logs()), 6)
        # 30 days late: the second notice, for both bills
        self.run_cron(date(2026, 4, 2))
        second = self.logs(self.owner, level_id=self.level_2.id)
        self.assertEqual(len(second), 3)
        self.assertEqual(len(second[0].bill_ids), 2)
        self.assertEqual(second[0].amount_due, 350.0)
        self.run_cron(date(2026, 4, 3))
        self.assertEqual(len(self.logs(self.owner)), 6)
        # 60 days late: the final notice adds a voice call
        self.run_cron(date(2026, 5, 1))
        final = self.logs(self.owner, level_id=self.level_3.id)
        self.assertEqual(sorted(final.mapped("channel")), ["email", "portal", "sms", "voice"])
        voice = self.env["property.sms.log"].search(
            [("gateway_id", "=", self.gateway.id), ("channel", "=", "voice")]
        )
        self.assertEqual(voice.mapped("template_code"), ["dunning_final_voice", "dunning_final_voice"])

    def test_channels_content(self):
        self.run_cron(date(2026, 3, 10))
        # SMS: through property_sms's gateway, as the level's template with its parameters
        sms_log = self.logs(self.owner, channel="sms")
        self.assertEqual(sms_log.state, "sent")
        self.assertEqual(sms_log.sms_id.state, "pending")
        self.assertEqual(sms_log.sms_id.property_template_code, "dunning_reminder")
        gateway_log = self.env["property.sms.log"].search(
            [("gateway_id", "=", self.gateway.id), ("number", "=", "13812341234")]
        )
        self.assertEqual(gateway_log.template_code, "dunning_reminder")
        self.assertEqual(json.loads(gateway_log.params), ["张伟", "300.00", "9"])
        self.assertEqual(gateway_log.body, "张伟您好，物业费用300.00元已逾期9天")
        # email: queued from the level's template, to the household
        mail = self.logs(self.owner, channel="email").mail_id
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.owner)
        self.assertIn("Reminder", mail.subject)
        self.assertIn(self.bill_a.name, str(mail.body_html))
        template = self.level_1.mail_template_id
        self.assertEqual(template, self.env.ref("property_dunning.mail_template_dunning"))
        self.assertEqual(mail.model, "property.dunning.log")
        # portal: a public message on the oldest bill, addressed to the household
        message = self.logs(self.owner, channel="portal").message_id
        self.assertEqual((message.model, message.res_id), ("property.bill", self.bill_a.id))
        self.assertEqual(message.message_type, "comment")
        self.assertFalse(message.is_internal)
        self.assertEqual(message.partner_ids, self.owner)
        self.assertIn(message, self.bill_a.website_message_ids)

    def test_portal_reminder_in_the_households_language(self):
        """The cron writes with no language: each household reads its reminder in its own."""
        self.use_chinese(self.env["res.users"], ["property_dunning"])
        self.assertFalse(self.env.context.get("lang"))
        self.owner.lang = "zh_CN"
        self.owner_b.lang = "en_US"
        self.run_cron(date(2026, 4, 30))
        chinese = self.logs(self.owner, channel="portal").message_id.body
        self.assertIn("请尽快缴纳", chinese)
        self.assertNotIn("Please pay", chinese)
        english = self.logs(self.owner_b, channel="portal").message_id.body
        self.assertIn("Please pay at your earliest convenience", english)

    def test_opt_outs_and_missing_mobile(self):
        self.owner.write({"has_dunning_sms_opt_out": True, "has_dunning_email_opt_out": True})
        self.owner_b.mobile = False
        self.run_cron(date(2026, 5, 1))
        owner_logs = {log.channel: log for log in self.logs(self.owner)}
        self.assertEqual(owner_logs["sms"].state, "skipped")
        self.assertEqual(owner_logs["email"].state, "skipped")
        self.assertFalse(owner_logs["email"].mail_id)
        self.assertEqual(owner_logs["portal"].state, "sent")
        self.assertEqual(owner_logs["voice"].state, "sent")  # calls were not refused
        b_logs = {log.channel: log for log in self.logs(self.owner_b)}
        self.assertEqual((b_logs["sms"].state, b_logs["voice"].state), ("skipped", "skipped"))
        self.assertEqual(b_logs["email"].state, "sent")
        numbers = self.env["property.sms.log"].search([("gateway_id", "=", self.gateway.id)]).mapped("number")
        self.assertEqual(numbers, ["13812341234"])  # only the voice call to 张伟
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "in", (self.owner | self.owner_b).ids)]))

    def test_paid_bills_not_reminded_and_restart(self):
        self.pay(self.owner_b, 200.0, self.bill_b, day=date(2026, 3, 5))
        self.assertEqual(self.bill_b.state, "paid")
        self.pay(self.owner, 100.0, self.bill_a, day=date(2026, 3, 5))
        self.assertEqual(self.bill_a.state, "partial")
        self.run_cron(date(2026, 3, 10))
        self.assertFalse(self.logs(self.owner_b))
        self.assertEqual(self.logs(self.owner, channel="email").amount_due, 200.0)
        self.run_cron(date(2026, 4, 2))
        self.assertEqual(len(self.logs(self.owner, level_id=self.level_2.id)), 3)
        # paid in full, then a new bill falls overdue: the ladder starts over from the reminder
        self.pay(self.owner, 200.0, self.bill_a, day=date(2026, 4, 3))
        bill_new = self.service_bill(self.owner, self.unit_a, 80.0, date(2026, 4, 5))
        self.run_cron(date(2026, 4, 10))
        self.assertFalse(self.logs(self.owner, anchor_bill_id=bill_new.id))  # 5 days late
        self.run_cron(date(2026, 4, 13))
        restart = self.logs(self.owner, anchor_bill_id=bill_new.id)
        self.assertEqual(set(restart.mapped("level_id")), {self.level_1})
        self.assertEqual(restart[0].bill_ids, bill_new)

    def test_cron_works_in_chunks(self):
        with freeze_time(date(2026, 3, 10)):
            self.assertEqual(len(self.env["property.dunning.log"]._get_candidates()), 2)
        self.run_cron(date(2026, 3, 10), batch_size=1)
        self.assertEqual(len(self.logs().partner_id), 1)
        self.run_cron(date(2026, 3, 10), batch_size=1)
        self.assertEqual(len(self.logs().partner_id), 2)
        self.run_cron(date(2026, 3, 10), batch_size=1)
        self.assertEqual(len(self.logs()), 6)

    def test_sms_gateway_error_logged(self):
        self.owner.mobile = "12"
        with freeze_time(date(2026, 3, 10)):
            self.env["property.dunning.log"]._send_reminders(
                self.env["property.dunning.log"]._get_candidates(partners=self.owner)
            )
        self.assertEqual(self.logs(self.owner, channel="sms").state, "sent")  # log provider accepts all
        self.company.property_sms_gateway_id.provider = "tencent"  # no template configured for it
        self.gateway.template_ids.unlink()
        self.pay(self.owner, 300.0, self.bill_a, day=date(2026, 3, 11))
        bill = self.service_bill(self.owner, self.unit_a, 10.0, date(2026, 3, 12))
        self.run_cron(date(2026, 3, 20))
        failed = self.logs(self.owner, channel="sms", anchor_bill_id=bill.id)
        self.assertEqual(failed.state, "error")
        self.assertEqual(failed.sms_id.state, "error")

    def test_wizard_preview_and_send_access(self):
        Wizard = self.env["property.dunning.wizard"]
        with freeze_time(date(2026, 3, 10)):
            wizard = Wizard.with_user(self.user_accountant).create({})
            wizard.action_preview()
            # the accountant works on estate A: 李娜's bill (estate B) is not theirs
            self.assertEqual(wizard.line_ids.partner_id, self.owner)
            self.assertEqual(wizard.line_ids.level_id, self.level_1)
            self.assertEqual(wizard.line_ids.channels, "email, sms, portal")
            self.assertFalse(self.logs())  # a preview sends nothing
            wizard.action_send()
        self.assertEqual(wizard.sent_count, 3)
        self.assertEqual(self.logs().partner_id, self.owner)
        # front desk: reads the logs of their estates, changes nothing, cannot send
        logs = self.logs().with_user(self.user_frontdesk)
        self.assertEqual(len(logs.search([])), 3)
        with self.assertRaises(AccessError):
            logs[0].write({"state": "error"})
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_frontdesk).create({})
        with self.assertRaises(AccessError):
            self.level_1.with_user(self.user_frontdesk).write({"days_overdue": 3})
        self.level_1.with_user(self.user_accountant).write({"days_overdue": 5})

    def test_wizard_from_bills(self):
        with freeze_time(date(2026, 3, 10)):
            wizard = (
                self.env["property.dunning.wizard"]
                .with_context(active_model="property.bill", active_ids=self.bill_b.ids)
                .create({})
            )
            wizard.action_preview()
        self.assertEqual(wizard.partner_ids, self.owner_b)
        self.assertEqual(wizard.line_ids.partner_id, self.owner_b)

    def test_candidates_query_count_constant(self):
        def count_queries():
            with freeze_time(date(2026, 3, 10)):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                candidates = self.env["property.dunning.log"]._get_candidates()
                return self.env.cr.sql_log_count - before, len(candidates)

        queries_2, households_2 = count_queries()
        for index in range(3):
            partner = self.env["res.partner"].create({"name": f"住户{index}", "mobile": f"1370000000{index}"})
            self.service_bill(partner, self.unit_a2, 100.0, date(2026, 3, 1))
        queries_5, households_5 = count_queries()
        self.assertEqual((households_2, households_5), (2, 5))
        self.assertEqual(queries_5, queries_2)

    def test_company_levels(self):
        other = self.env["res.company"].create({"name": "锦悦物业"})
        self.env["property.dunning.level"].create(
            {"name": "其他公司提醒", "days_overdue": 2, "has_email": False, "company_id": other.id}
        )
        self.assertFalse(self.candidates(date(2026, 3, 5)))  # that level is not this company's
        company_level = self.env["property.dunning.level"].create(
            {"name": "本公司提醒", "days_overdue": 2, "has_email": False, "company_id": self.company.id}
        )
        self.assertEqual(self.candidates(date(2026, 3, 5))[self.owner]["level"], company_level)
