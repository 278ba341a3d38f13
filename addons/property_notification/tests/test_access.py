import re
from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import NotificationTestCommon


@tagged("post_install", "-at_install")
class TestNotificationAccess(NotificationTestCommon):
    """What another household, another estate's staff and a forged form can reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bill_a2 = cls.make_bills(cls.owner, cls.unit_a, 1, start=date(2026, 11, 1))
        cls.pref_a = cls.env["property.notification.preference"].create(
            {"partner_id": cls.owner.id, "event": "bill", "use_sms": False}
        )
        cls.mine_a = cls.env["property.notification"].search(
            [("partner_id", "=", cls.owner.id), ("channel", "=", "portal")]
        )

    def test_other_household_reads_nothing(self):
        """Every read path, as 李娜: not one of 张伟's notifications or preferences."""
        self.assertTrue(self.mine_a)
        for model, records in (
            ("property.notification", self.mine_a),
            ("property.notification.preference", self.pref_a),
        ):
            Model = self.env[model].with_user(self.user_resident_b)
            self.assertFalse(Model.search([("partner_id", "=", self.owner.id)]), model)
            self.assertFalse(Model.search_read([("id", "in", records.ids)], ["partner_id"]), model)
            groups = Model.read_group([], ["partner_id"], ["partner_id"])
            self.assertNotIn(self.owner.id, [g["partner_id"][0] for g in groups if g["partner_id"]], model)
            self.assertFalse([r for r in Model.name_search("") if r[0] in records.ids], model)
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                records.with_user(self.user_resident_b).read(["partner_id"])

    def test_resident_sees_own_inbox_only(self):
        """张伟 sees his portal inbox, not the SMS/WeChat records (nor their numbers)."""
        Notification = self.env["property.notification"].with_user(self.user_resident)
        self.assertEqual(Notification.search([]), self.mine_a)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Notification.create(
                {
                    "key": "x",
                    "event": "bill",
                    "channel": "portal",
                    "partner_id": self.owner.id,
                    "company_id": self.company.id,
                    "subject": "x",
                }
            )

    def test_other_household_cannot_write_preferences(self):
        Preference = self.env["property.notification.preference"].with_user(self.user_resident_b)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Preference.create({"partner_id": self.owner.id, "event": "payment", "use_sms": False})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.pref_a.with_user(self.user_resident_b).write({"use_sms": True})
        own = Preference.create({"partner_id": self.owner_b.id, "event": "payment", "use_sms": False})
        with self.assertRaises(ValidationError), mute_logger("odoo.models"):
            own.write({"partner_id": self.owner.id})
        self.assertFalse(self.pref_a.use_sms)

    def test_other_estate_staff(self):
        """The front desk of estate A sees estate A's notifications, not estate B's."""
        bill_b = self.make_bills(self.owner_b, self.unit_b, 1, start=date(2026, 11, 1))
        Notification = self.env["property.notification"].with_user(self.user_frontdesk)
        seen = Notification.search([])
        self.assertTrue(seen)
        self.assertEqual(set(seen.estate_id.ids), {self.estate_a.id})
        self.assertFalse(
            Notification.search([("res_model", "=", "property.bill"), ("res_id", "=", bill_b.id)])
        )
        groups = Notification.read_group([], ["estate_id"], ["estate_id"])
        self.assertEqual([g["estate_id"][0] for g in groups], [self.estate_a.id])
        self.assertFalse([r for r in Notification.name_search("") if r[0] in self.notifications(bill_b).ids])
        self.assertFalse(
            self.env["property.notification.preference"]
            .with_user(self.user_frontdesk)
            .search([("partner_id", "=", self.owner_b.id)])
        )

    # ------------------------------------------------------------------
    # The portal form
    # ------------------------------------------------------------------
    def test_form_sets_own_preferences(self):
        self.authenticate("t_resident", "t_resident")
        response = self.url_open("/my/notifications/preferences")
        self.assertEqual(response.status_code, 200)
        token = self.extract_token(response.text)
        checked = {"bill_wechat": "on", "bill_portal": "on", "dunning_portal": "on", "csrf_token": token}
        response = self.url_open("/my/notifications/preferences", data=checked)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_property_notification_saved", response.text)
        matrix = self.Preference._get_matrix(self.owner)
        self.assertEqual(matrix["bill"], {"wechat": True, "sms": False, "portal": True})
        self.assertEqual(matrix["payment"], {"wechat": False, "sms": False, "portal": False})
        self.assertTrue(self.owner.has_dunning_sms_opt_out, "the reminders follow")
        self.assertFalse(self.owner.has_dunning_portal_opt_out)

    def test_form_refuses_forged_and_poisoned_payloads(self):
        """A forged partner id, unknown fields, an oversized value or a flood of fields: refused
        as a whole, nothing written, for anyone."""
        self.authenticate("t_resident_b", "t_resident_b")
        token = self.extract_token(self.url_open("/my/notifications/preferences").text)
        before_a = self.Preference._get_matrix(self.owner)
        before_b = self.Preference._get_matrix(self.owner_b)
        payloads = [
            {"partner_id": str(self.owner.id), "bill_sms": "on"},
            {"bill_sms": "on", "payment_fax": "on"},
            {"bill_sms": "x" * 100_000},
            {**{f"field_{i}": "on" for i in range(500)}},
            {"bill_sms\x00": "on"},
        ]
        for payload in payloads:
            response = self.url_open("/my/notifications/preferences", data=dict(payload, csrf_token=token))
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_property_notification_error", response.text)
            self.assertNotIn("o_property_notification_saved", response.text)
        self.Preference.invalidate_model()
        self.assertEqual(self.Preference._get_matrix(self.owner), before_a)
        self.assertEqual(self.Preference._get_matrix(self.owner_b), before_b)
        self.assertFalse(self.Preference.search([("partner_id", "=", self.owner_b.id)]))

    def test_form_needs_csrf(self):
        self.authenticate("t_resident_b", "t_resident_b")
        with mute_logger("odoo.http"):
            response = self.url_open("/my/notifications/preferences", data={"bill_sms": "on"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Preference.search([("partner_id", "=", self.owner_b.id)]))

    def test_open_other_households_notification(self):
        self.authenticate("t_resident_b", "t_resident_b")
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/notifications/{self.mine_a[0].id}", allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.mine_a[0].is_read)
        page = self.url_open("/my/notifications").text
        self.assertNotIn(self.bill_a2.name, page)

    def test_open_marks_read_and_goes_to_the_page(self):
        notification = self.mine_a.filtered(lambda n: n.res_id == self.bill_a2.id)
        self.authenticate("t_resident", "t_resident")
        response = self.url_open(f"/my/notifications/{notification.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/my/bills/{self.bill_a2.id}"))
        self.assertTrue(notification.is_read)

    @staticmethod
    def extract_token(html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
