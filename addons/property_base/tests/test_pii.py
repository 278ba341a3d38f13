from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..tools.pii import mask_id_card, mask_phone
from .common import PropertyTestCommon


@tagged("post_install", "-at_install")
class TestPersonalData(PropertyTestCommon):
    def test_mask_functions(self):
        self.assertEqual(mask_phone("13812341234"), "138****1234")
        self.assertEqual(mask_phone("+86 138 1234 1234"), "138****1234")
        self.assertEqual(mask_phone("0571-88886666"), "057****6666")
        self.assertEqual(mask_phone(False), False)
        self.assertEqual(mask_id_card("110105199001011232"), "110105********1232")

    def test_phone_masked_for_staff(self):
        export = self.env.ref("base.group_allow_export")
        for user in (self.user_frontdesk, self.user_technician, self.user_accountant, self.user_guard):
            user.groups_id = [(4, export.id)]
            with self.subTest(user=user.login):
                values = self.owner.with_user(user).read(["mobile", "phone"])[0]
                self.assertEqual(values["mobile"], "138****1234")
                self.assertEqual(values["phone"], "057****6666")
                web = self.owner.with_user(user).web_read({"mobile": {}})[0]
                self.assertEqual(web["mobile"], "138****1234")
                rows = self.owner.with_user(user).export_data(["name", "mobile"])["datas"]
                self.assertEqual(rows[0][1], "138****1234")

    def test_phone_clear_for_managers_and_self(self):
        self.assertEqual(self.owner.with_user(self.user_manager).read(["mobile"])[0]["mobile"], "13812341234")
        self.assertEqual(
            self.owner.with_user(self.user_resident).read(["mobile"])[0]["mobile"], "13812341234"
        )
        # business code keeps the real value whoever runs it (SMS, dunning...)
        self.assertEqual(self.owner.with_user(self.user_frontdesk).mobile, "13812341234")

    def test_non_residents_not_masked(self):
        supplier = self.env["res.partner"].create({"name": "电梯维保公司", "mobile": "13611112222"})
        self.assertEqual(supplier.with_user(self.user_frontdesk).read(["mobile"])[0]["mobile"], "13611112222")

    def test_id_card_managers_only(self):
        with self.assertRaises(AccessError):
            self.owner.with_user(self.user_frontdesk).read(["id_card_number"])
        self.assertEqual(
            self.owner.with_user(self.user_frontdesk).read(["id_card_masked"])[0]["id_card_masked"],
            "110105********1232",
        )
        self.assertEqual(
            self.owner.with_user(self.user_manager).read(["id_card_number"])[0]["id_card_number"],
            "110105199001011232",
        )
        with self.assertRaises(AccessError):
            self.owner.with_user(self.user_frontdesk).write({"id_card_number": "110105199001019999"})

    def test_masked_value_never_saved(self):
        with self.assertRaises(UserError):
            self.owner.with_user(self.user_manager).write({"mobile": "138****1234"})
        self.assertEqual(self.owner.mobile, "13812341234")
        self.owner.with_user(self.user_manager).write({"mobile": "13800000000"})
        self.assertEqual(self.owner.mobile, "13800000000")

    def test_consent_lifecycle(self):
        Consent = self.env["property.consent"].with_user(self.user_frontdesk)
        consent = Consent.create(
            {
                "partner_id": self.owner.id,
                "purpose": "face_recognition",
                "channel": "paper",
                "evidence": "F-2026-001",
            }
        )
        self.assertEqual(consent.state, "given")
        self.assertTrue(consent.date_given)
        with self.assertRaises(ValidationError):
            Consent.create({"partner_id": self.owner.id, "purpose": "face_recognition", "channel": "portal"})
        with self.assertRaises(UserError):
            consent.write({"channel": "portal"})  # evidence cannot be edited
        with self.assertRaises(UserError):
            consent.unlink()
        consent.action_withdraw(channel="portal")
        self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(consent.withdrawal_channel, "portal")
        self.assertTrue(consent.date_withdrawn)
        with self.assertRaises(UserError):
            consent.action_withdraw()
        again = Consent.create(
            {"partner_id": self.owner.id, "purpose": "face_recognition", "channel": "portal"}
        )
        self.assertEqual(self.owner.consent_ids, consent | again)

    def test_consent_visibility(self):
        consent = self.env["property.consent"].create({"partner_id": self.owner_b.id, "purpose": "marketing"})
        # owner_b lives in estate B: front desk of estate A does not see it, the manager does
        self.assertFalse(
            self.env["property.consent"].with_user(self.user_frontdesk).search([("id", "=", consent.id)])
        )
        self.assertTrue(
            self.env["property.consent"].with_user(self.user_manager).search([("id", "=", consent.id)])
        )
        own = self.env["property.consent"].create({"partner_id": self.owner.id, "purpose": "marketing"})
        self.assertEqual(self.env["property.consent"].with_user(self.user_resident).search([]), own)

    def test_personal_data_changes_are_audited(self):
        Log = self.env["auditlog.log"].sudo()
        domain = [("model_id.model", "=", "res.partner"), ("res_id", "=", self.owner.id)]
        before = Log.search(domain)
        self.owner.with_user(self.user_manager).write({"mobile": "13700000000"})
        log = Log.search(domain) - before
        self.assertEqual(len(log), 1)
        self.assertEqual(log.method, "write")
        self.assertEqual(log.user_id, self.user_manager)
        line = log.line_ids.filtered(lambda log_line: log_line.field_id.name == "mobile")
        # the "fast" log type (as our OCA pin recommends) records the new values
        self.assertEqual(line.new_value_text, "13700000000")
