from datetime import date

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import BillingTestCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestBillingRules(BillingTestCommon):
    def test_area_rule_gross_and_inner(self):
        self.make_rule(price=2.5)
        charge = self.charges(self.unit_a)[(self.unit_a.id, self.fee_property.id)]
        # 89 m² × 2.5 元/m²/月
        self.assertEqual(charge["amount"], 222.5)
        self.assertEqual(charge["quantity"], 89.0)
        self.assertEqual(charge["partner_id"], self.owner.id)
        self.assertEqual(
            (charge["period_start"], charge["period_end"]), (date(2026, 3, 1), date(2026, 3, 31))
        )
        self.assertIn("89 m²", charge["description"])

        self.env["property.billing.rule"].search([]).active = False
        self.make_rule(price=2.5, area_basis="inner")
        charge = self.charges(self.unit_a)[(self.unit_a.id, self.fee_property.id)]
        self.assertEqual(charge["amount"], 181.25)  # 72.5 × 2.5

    def test_line_explained_in_the_company_language(self):
        """The billing job writes with no language: the households read the lines in the
        company's (not "89 m² (Gross)" on a Chinese bill)."""
        self.use_chinese(self.env["res.users"], ["property_billing"])
        self.assertFalse(self.env.context.get("lang"))
        self.make_rule(price=2.5)
        self.env.company.partner_id.lang = "zh_CN"
        charge = self.charges(self.unit_a)[(self.unit_a.id, self.fee_property.id)]
        self.assertEqual(charge["description"], "89 m²（建筑面积）× 1 个月 × 2.5/m²")
        self.env.company.partner_id.lang = "en_US"
        charge = self.charges(self.unit_a)[(self.unit_a.id, self.fee_property.id)]
        self.assertEqual(charge["description"], "89 m² (gross area) × 1 month(s) × 2.5/m²")

    def test_fixed_rule_and_unit_type(self):
        self.make_rule(kind="fixed", price=150.0, product_id=self.fee_parking.id, unit_type="residential")
        self.make_rule(kind="fixed", price=999.0, product_id=self.fee_other.id, unit_type="parking")
        charges = self.charges(self.unit_a)
        self.assertEqual(charges[(self.unit_a.id, self.fee_parking.id)]["amount"], 150.0)
        self.assertNotIn((self.unit_a.id, self.fee_other.id), charges)

    def test_floor_band_with_elevator(self):
        rule = self.make_rule(
            kind="floor_band",
            price=2.8,
            elevator_only=True,
            band_ids=[
                Command.create({"floor_from": 1, "floor_to": 6, "rate": 2.8}),
                Command.create({"floor_from": 7, "floor_to": 99, "rate": 3.2}),
            ],
        )
        charges = self.charges(self.unit_a | self.unit_high)
        self.assertEqual(charges[(self.unit_a.id, self.fee_property.id)]["amount"], 249.2)  # 89 × 2.8
        self.assertEqual(charges[(self.unit_high.id, self.fee_property.id)]["amount"], 320.0)  # 100 × 3.2
        # without elevators the bands do not apply: base rate
        self.building_a.elevator_count = 0
        charges = self.charges(self.unit_high)
        self.assertEqual(charges[(self.unit_high.id, self.fee_property.id)]["amount"], 280.0)
        self.assertEqual(charges[(self.unit_high.id, self.fee_property.id)]["rule_id"], rule.id)

    def test_proration_move_in_mid_month(self):
        self.make_rule(price=2.5)
        newcomer = self.env["res.partner"].create({"name": "赵敏"})
        self.env["property.occupancy"].create(
            {
                "unit_id": self.unit_a2.id,
                "partner_id": newcomer.id,
                "role": "owner",
                "share": 100,
                "date_start": date(2026, 3, 11),
            }
        )
        charge = self.charges(self.unit_a2)[(self.unit_a2.id, self.fee_property.id)]
        # 120 m² × 2.5 × 21/31 days = 203.2258…
        self.assertEqual(charge["amount"], 203.23)
        self.assertAlmostEqual(charge["proration"], 21 / 31)
        self.assertEqual(charge["partner_id"], newcomer.id)
        self.assertIn("21/31", charge["description"])

    def test_proration_move_out_and_no_payer(self):
        self.make_rule(price=2.5)
        # no owner at all: nothing to bill
        self.assertFalse(self.charges(self.unit_a2))
        self.occupancy.action_end(date(2026, 3, 10))
        charge = self.charges(self.unit_a)[(self.unit_a.id, self.fee_property.id)]
        self.assertEqual(charge["amount"], 71.77)  # 222.5 × 10/31 = 71.774…

    def test_vacancy_discount(self):
        self.make_rule(price=2.5, vacancy_discount=30)
        self.unit_a.status = "vacant"
        charge = self.charges(self.unit_a)[(self.unit_a.id, self.fee_property.id)]
        self.assertEqual(charge["amount"], 155.75)  # 222.5 × 70%
        self.assertEqual(charge["discount"], 30)

    def test_tenant_pays(self):
        self.make_rule(price=2.5)
        tenant = self.env["res.partner"].create({"name": "租客"})
        self.env["property.occupancy"].create(
            {
                "unit_id": self.unit_a.id,
                "partner_id": tenant.id,
                "role": "tenant",
                "is_payer": True,
                "date_start": date(2025, 6, 1),
            }
        )
        self.assertEqual(
            self.charges(self.unit_a)[(self.unit_a.id, self.fee_property.id)]["partner_id"], tenant.id
        )

    def test_quarterly_rule(self):
        self.make_rule(kind="fixed", price=100.0, period="quarterly", product_id=self.fee_other.id)
        april = self.charges(self.unit_a, date(2026, 4, 1))[(self.unit_a.id, self.fee_other.id)]
        self.assertEqual(april["amount"], 300.0)
        self.assertEqual((april["period_start"], april["period_end"]), (date(2026, 4, 1), date(2026, 6, 30)))
        self.assertNotIn((self.unit_a.id, self.fee_other.id), self.charges(self.unit_a, date(2026, 5, 1)))

    def test_validity_and_specific_rule_wins(self):
        self.make_rule(price=2.0, date_to=date(2026, 2, 28))
        self.make_rule(price=2.5, date_from=date(2026, 3, 1))
        key = (self.unit_a.id, self.fee_property.id)
        self.assertEqual(self.charges(self.unit_a, date(2026, 2, 1))[key]["price_unit"], 2.0)
        self.assertEqual(self.charges(self.unit_a)[key]["price_unit"], 2.5)
        self.make_rule(price=3.0, building_ids=[Command.set(self.building_a.ids)])
        self.assertEqual(self.charges(self.unit_a)[key]["price_unit"], 3.0)  # the most specific rule wins

    def test_tiered_water(self):
        self.make_rule(
            kind="metered",
            meter_type="water",
            product_id=self.fee_water.id,
            tier_ids=[
                Command.create({"up_to": 15, "price": 2.9}),
                Command.create({"up_to": 25, "price": 3.85}),
                Command.create({"up_to": 0, "price": 6.7}),
            ],
        )
        meter = self.env["property.meter"].create(
            {"name": "W-1", "unit_id": self.unit_a.id, "meter_type": "water"}
        )
        Reading = self.env["property.meter.reading"]
        Reading.create(
            [
                {"meter_id": meter.id, "date": date(2026, 2, 28), "value": 100.0},
                {"meter_id": meter.id, "date": date(2026, 3, 31), "value": 128.0},
            ]
        )
        charge = self.charges(self.unit_a)[(self.unit_a.id, self.fee_water.id)]
        # 15 × 2.9 + 10 × 3.85 + 3 × 6.7 = 43.5 + 38.5 + 20.1
        self.assertEqual(charge["amount"], 102.1)
        self.assertEqual(charge["quantity"], 28.0)
        self.assertEqual(charge["description"], "28 consumed: 15 × 2.9 + 10 × 3.85 + 3 × 6.7")
        # a small consumption stays in the first tier
        meter2 = self.env["property.meter"].create(
            {"name": "W-2", "unit_id": self.unit_high.id, "meter_type": "water"}
        )
        Reading.create(
            [
                {"meter_id": meter2.id, "date": date(2026, 2, 28), "value": 10.0},
                {"meter_id": meter2.id, "date": date(2026, 3, 31), "value": 22.0},
            ]
        )
        self.assertEqual(self.charges(self.unit_high)[(self.unit_high.id, self.fee_water.id)]["amount"], 34.8)

    def test_common_area_share(self):
        estate = self.env["property.estate"].create({"name": "公摊小区", "code": "S"})
        building = self.env["property.building"].create(
            {"estate_id": estate.id, "code": "1", "name": "1号楼", "floors_above": 3}
        )
        units = self.env["property.unit"].create(
            [
                {
                    "building_id": building.id,
                    "floor": 1,
                    "number": "0101",
                    "gross_area": 60.0,
                    "inner_area": 50.0,
                },
                {
                    "building_id": building.id,
                    "floor": 1,
                    "number": "0102",
                    "gross_area": 40.0,
                    "inner_area": 30.0,
                },
            ]
        )
        self.make_owners(units, ["甲", "乙"])
        self.make_rule(estate_id=estate.id, kind="share", share_amount=1000.0, product_id=self.fee_share.id)
        charges = self.charges(units)
        self.assertEqual(charges[(units[0].id, self.fee_share.id)]["amount"], 600.0)
        self.assertEqual(charges[(units[1].id, self.fee_share.id)]["amount"], 400.0)

    def test_rule_change_never_changes_issued_bill(self):
        rule = self.make_rule(price=2.5)
        run = self.make_run()
        run._run_now()
        line = self.bill_of(self.owner).line_ids
        self.assertEqual(line.amount, 222.5)
        rule.price = 3.5
        line.invalidate_recordset()
        self.assertEqual((line.price_unit, line.amount, line.bill_id.amount_total), (2.5, 222.5, 222.5))
