from datetime import date

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common import PropertyTestCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15")
class TestOccupancy(PropertyTestCommon):
    def test_codes_and_counts(self):
        self.assertEqual(self.unit_a.code, "A-3-0502")
        self.assertEqual(self.unit_a.owner_id, self.owner)
        self.assertEqual(self.estate_a.unit_count, 2)
        self.unit_a.status = "occupied"
        self.estate_a.invalidate_recordset(["occupancy_rate"])
        self.assertAlmostEqual(self.estate_a.occupancy_rate, 50.0)
        self.assertIn("A-3-0502", self.building_a.floor_grid)
        self.assertIn("#b7e4c7", self.building_a.floor_grid)  # occupied colour

    def test_one_primary_owner_at_a_time(self):
        other = self.env["res.partner"].create({"name": "王芳"})
        with self.assertRaises(ValidationError):
            self.env["property.occupancy"].create(
                {
                    "unit_id": self.unit_a.id,
                    "partner_id": other.id,
                    "role": "owner",
                    "date_start": date(2025, 1, 1),
                }
            )
        # a co-owner is fine, within the 100% of shares
        with self.assertRaises(ValidationError):
            self.env["property.occupancy"].create(
                {
                    "unit_id": self.unit_a.id,
                    "partner_id": other.id,
                    "role": "co_owner",
                    "share": 10,
                    "date_start": date(2025, 1, 1),
                }
            )
        self.occupancy.share = 60
        self.env["property.occupancy"].create(
            {
                "unit_id": self.unit_a.id,
                "partner_id": other.id,
                "role": "co_owner",
                "share": 40,
                "date_start": date(2025, 1, 1),
            }
        )

    def test_one_primary_contact(self):
        tenant = self.env["res.partner"].create({"name": "赵敏"})
        with self.assertRaises(ValidationError):
            self.env["property.occupancy"].create(
                {
                    "unit_id": self.unit_a.id,
                    "partner_id": tenant.id,
                    "role": "tenant",
                    "is_primary_contact": True,
                }
            )

    def test_history_is_kept(self):
        with self.assertRaises(UserError):
            self.occupancy.partner_id = self.owner_b
        with self.assertRaises(UserError):
            self.occupancy.role = "tenant"
        with self.assertRaises(UserError):
            self.occupancy.unlink()
        future = self.env["property.occupancy"].create(
            {
                "unit_id": self.unit_a2.id,
                "partner_id": self.owner_b.id,
                "role": "tenant",
                "date_start": date(2026, 9, 1),
            }
        )
        self.assertEqual(future.state, "upcoming")
        future.role = "family"  # not started yet: still editable
        future.unlink()

    def test_ownership_transfer(self):
        buyer = self.env["res.partner"].create({"name": "孙丽", "mobile": "13566667777"})
        spouse = self.env["res.partner"].create({"name": "周杰"})
        family = self.env["property.occupancy"].create(
            {
                "unit_id": self.unit_a.id,
                "partner_id": self.owner_b.id,
                "role": "family",
                "date_start": date(2020, 1, 1),
            }
        )
        wizard = Form(
            self.env["property.ownership.transfer.wizard"]
            .with_user(self.user_manager)
            .with_context(default_unit_id=self.unit_a.id)
        )
        wizard.date_transfer = date(2026, 7, 1)
        wizard.new_owner_id = buyer
        wizard.co_owner_ids.add(spouse)
        record = wizard.save()
        self.assertEqual(record.current_owner_ids, self.owner)
        record.action_transfer()

        self.assertEqual(self.occupancy.date_end, date(2026, 6, 30))
        self.assertEqual(family.date_end, date(2026, 6, 30))
        history = self.unit_a.occupancy_ids
        self.assertEqual(len(history), 4)  # old owner, family, new owner, co-owner: nothing overwritten
        new = history.filtered(lambda o: o.date_start == date(2026, 7, 1))
        self.assertEqual(new.mapped("share"), [50.0, 50.0])
        self.assertEqual(new.filtered(lambda o: o.role == "owner").partner_id, buyer)
        self.assertTrue(new.filtered(lambda o: o.role == "owner").is_primary_contact)
        self.assertEqual(self.unit_a.owner_id, self.owner)  # still the old owner today
        with freeze_time("2026-07-02"):
            self.unit_a.invalidate_recordset(["owner_id"])
            self.assertEqual(self.unit_a.with_context(date="2026-07-02").owner_id, buyer)
            self.assertEqual(self.env["property.unit"].search([("owner_id", "=", buyer.id)]), self.unit_a)
            self.assertEqual(self.occupancy.with_context(date="2026-07-02").state, "ended")
        self.assertIn("孙丽", self.unit_a.message_ids[0].body)

    def test_state_search(self):
        Occupancy = self.env["property.occupancy"]
        ended = Occupancy.create(
            {
                "unit_id": self.unit_a2.id,
                "partner_id": self.owner_b.id,
                "role": "tenant",
                "date_start": date(2019, 1, 1),
                "date_end": date(2020, 1, 1),
            }
        )
        self.assertIn(ended, Occupancy.search([("state", "=", "ended")]))
        self.assertNotIn(ended, Occupancy.search([("state", "=", "current")]))
        self.assertIn(self.occupancy, Occupancy.search([("state", "!=", "ended")]))
        self.assertEqual(ended.state, "ended")

    def test_end_occupancy(self):
        self.occupancy.action_end(date(2026, 5, 31))
        self.assertEqual(self.occupancy.state, "ended")
        with self.assertRaises(UserError):
            self.occupancy_b.action_end(date(2000, 1, 1))

    def test_unit_constraints(self):
        Unit = self.env["property.unit"]
        with self.assertRaises(ValidationError):
            Unit.create({"building_id": self.building_a.id, "floor": 19, "number": "1901", "gross_area": 80})
        with self.assertRaises(ValidationError):
            Unit.create({"building_id": self.building_a.id, "floor": 0, "number": "0001", "gross_area": 80})
        Unit.create(
            {
                "building_id": self.building_a.id,
                "floor": -2,
                "number": "B201",
                "gross_area": 12,
                "unit_type": "parking",
            }
        )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Unit.create(
                {
                    "building_id": self.building_a.id,
                    "floor": 3,
                    "number": "0301",
                    "gross_area": 80,
                    "inner_area": 90,
                }
            )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Unit.create({"building_id": self.building_a.id, "floor": 5, "number": "0502", "gross_area": 80})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["property.occupancy"].create(
                {
                    "unit_id": self.unit_b.id,
                    "partner_id": self.owner.id,
                    "role": "tenant",
                    "date_start": date(2026, 1, 1),
                    "date_end": date(2025, 1, 1),
                }
            )

    def test_resident_flag(self):
        self.assertTrue(self.owner.is_property_resident)
        self.assertEqual(self.owner.property_unit_count, 1)
        self.assertEqual(fields.Date.today(), date(2026, 6, 15))
