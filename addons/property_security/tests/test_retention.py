from datetime import timedelta

from odoo.tests import freeze_time, tagged

from .common import T0, SecurityTestCommon


@tagged("post_install", "-at_install")
class TestRetention(SecurityTestCommon):
    def test_anonymise_after_retention(self):
        self.env["ir.config_parameter"].set_param("property_security.visitor_retention_days", 30)
        consenting = self.env["res.partner"].create({"name": "钱七"})
        self.env["property.consent"].create({"partner_id": consenting.id, "purpose": "face_recognition"})

        def register(name, start, plate):
            return self.Visitor._portal_register(
                self.owner,
                {
                    "unit_id": self.unit_a.id,
                    "name": name,
                    "phone": "13600001111",
                    "purpose": "探亲",
                    "visit_start": start,
                    "visit_end": start + timedelta(hours=2),
                    "plate": plate,
                },
            )

        old = register("孙八", T0 - timedelta(days=40), "苏E11111")
        old.write({"visitor_partner_id": consenting.id, "face_token": "FACE-9"})
        recent = register("周九", T0 - timedelta(days=10), "苏E22222")
        self.Visitor._scan_pass(old.pass_token, self.gate_a, at=old.visit_start + timedelta(minutes=5))
        self.env["property.security.vehicle.plate"]._check_plate(
            "苏E11111", self.gate_a, direction="exit", at=old.visit_start + timedelta(minutes=90)
        )
        old.message_post(body="孙八 到访")
        self.env["property.security.vehicle.plate"]._check_plate(
            "皖K99999", self.gate_a, at=T0 - timedelta(days=35)
        )
        self.env["property.security.vehicle.plate"]._check_plate(
            "皖K88888", self.gate_a, at=T0 - timedelta(days=5)
        )

        with freeze_time(T0):
            self.assertEqual(self.Visitor._cron_anonymise_visitors(), 1)
            self.assertEqual(self.Visitor._cron_anonymise_visitors(), 0, "idempotent")

        self.assertTrue(old.is_anonymised)
        self.assertEqual(old.name, "***")
        self.assertFalse(old.phone or old.plate or old.face_token or old.visitor_partner_id)
        self.assertFalse(self.env["property.security.vehicle.plate"].search([("visitor_id", "=", old.id)]))
        self.assertFalse(old.access_log_ids.filtered("plate"))
        self.assertFalse(old.message_ids.filtered(lambda m: "孙八" in (m.body or "")))
        plate_logs = self.env["property.security.access.log"].search(
            [("visitor_id", "=", False), ("credential", "=", "plate")]
        )
        self.assertEqual(
            sorted(log.plate or "" for log in plate_logs),
            ["", "皖K88888"],
            "unknown plates are kept as long as visits",
        )
        # statistics stay: dates, counts, estate
        self.assertEqual(old.estate_id, self.estate_a)
        self.assertEqual(old.visit_start, T0 - timedelta(days=40))
        self.assertEqual(old.use_count, 1)
        self.assertEqual(len(old.access_log_ids), 2)
        # the recent visit is untouched
        self.assertFalse(recent.is_anonymised)
        self.assertEqual((recent.name, recent.plate), ("周九", "苏E22222"))

    def test_retention_period_is_configurable(self):
        visitor = self.Visitor._portal_register(
            self.owner,
            {
                "unit_id": self.unit_a.id,
                "name": "吴十",
                "visit_start": T0 - timedelta(days=10),
                "visit_end": T0 - timedelta(days=10, hours=-1),
            },
        )
        self.env["ir.config_parameter"].set_param("property_security.visitor_retention_days", 7)
        with freeze_time(T0):
            self.Visitor._cron_anonymise_visitors()
        self.assertTrue(visitor.is_anonymised)
