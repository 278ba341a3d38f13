import re
from datetime import date, datetime, timedelta

from odoo.tests import tagged

from .common import NOW, IotTestCommon


@tagged("post_install", "-at_install")
class TestEnergy(IotTestCommon):
    def test_daily_and_monthly_consumption(self):
        # hourly water register over 3 days of March and 1 day of February (UTC+8 local days)
        messages = []
        value = 500.0
        for day_start, hours, per_hour in (
            (datetime(2026, 2, 9, 16), 25, 0.01),
            (datetime(2026, 3, 7, 16), 73, 0.02),
        ):
            for h in range(hours):
                messages.append(
                    self.telemetry(self.water, {"volume": round(value, 3)}, ts=day_start + timedelta(hours=h))
                )
                value += per_hour
        # electricity: 2 kWh per hour on 2026-03-08
        for h in range(25):
            messages.append(
                self.telemetry(
                    self.power, {"energy": 1000 + 2 * h}, ts=datetime(2026, 3, 7, 16) + timedelta(hours=h)
                )
            )
        self.ingest(*messages)
        self.env.flush_all()
        Daily = self.env["property.iot.energy.daily"]
        water_day = Daily.search([("device_id", "=", self.water.id), ("day", "=", date(2026, 3, 8))])
        self.assertAlmostEqual(
            water_day.consumption, 0.47, places=6
        )  # 0.01 since midnight's reading + 23 × 0.02
        self.assertEqual(
            (water_day.unit_id, water_day.building_id, water_day.estate_id),
            (self.unit_a, self.building_a, self.estate_a),
        )
        self.assertEqual(water_day.meter_type, "water")
        # per estate and month, with the ORM's read_group on the view
        groups = Daily._read_group(
            [("estate_id", "=", self.estate_a.id), ("meter_type", "=", "electricity")],
            ["day:month"],
            ["consumption:sum"],
        )
        self.assertEqual([(g[0].month, g[1]) for g in groups], [(3, 48.0)])
        Monthly = self.env["property.iot.energy.monthly"]
        march = Monthly.search([("device_id", "=", self.water.id), ("month", "=", date(2026, 3, 1))])
        february = Monthly.search([("device_id", "=", self.water.id), ("month", "=", date(2026, 2, 1))])
        self.assertAlmostEqual(february.consumption, 0.24, places=6)
        # March: the gap reading (Feb 10 → Mar 8) is counted on the day it is read
        self.assertAlmostEqual(march.consumption_prev_month, february.consumption, places=6)
        self.assertAlmostEqual(march.change_mom, march.consumption - february.consumption, places=6)
        self.assertEqual(march.consumption_prev_year, 0.0)

    def test_abnormal_night_flow_flag(self):
        self.env["property.iot.rule"].create(
            {
                "name": "夜间用水",
                "rule_type": "night_consumption",
                "device_kind": "water_meter",
                "threshold": 0.05,
            }
        )
        start = datetime(2026, 3, 9, 16)  # local midnight of 2026-03-10
        self.ingest(
            *(
                self.telemetry(self.water, {"volume": 10 + 0.03 * h}, ts=start + timedelta(hours=h))
                for h in range(24)
            )
        )
        self.env.flush_all()
        day = self.env["property.iot.energy.daily"].search(
            [("device_id", "=", self.water.id), ("day", "=", date(2026, 3, 10))]
        )
        self.assertAlmostEqual(day.night_consumption, 0.09, places=6)  # 03:00, 04:00, 05:00 readings
        self.assertTrue(day.is_abnormal)


@tagged("post_install", "-at_install")
class TestEnergyUnits(IotTestCommon):
    """kWh and m³ are compared within their meter type, never added up; held register values
    are no consumption; month-on-month and year-on-year changes are shown in %."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Monthly = cls.env["property.iot.energy.monthly"]
        cls.Daily = cls.env["property.iot.energy.daily"]

    def _month_of_readings(self, device, metric, month_start, per_day, start_value):
        """A reading at local noon every day of the month, ``per_day`` apart."""
        messages, value, day = [], start_value, month_start
        while day.month == month_start.month:
            messages.append(self.telemetry(device, {metric: round(value, 3)}, ts=day.replace(hour=4)))
            value += per_day
            day += timedelta(days=1)
        return messages, value

    def _ingest_history(self):
        messages = []
        # water: March 2025 1 m³/day, February 2026 1 m³/day, March 2026 1.5 m³/day
        # power: February 2026 10 kWh/day, March 2026 12 kWh/day
        for device, metric, plan in (
            (
                self.water,
                "volume",
                ((datetime(2025, 3, 1), 1.0), (datetime(2026, 2, 1), 1.0), (datetime(2026, 3, 1), 1.5)),
            ),
            (self.power, "energy", ((datetime(2026, 2, 1), 10.0), (datetime(2026, 3, 1), 12.0))),
        ):
            value = 100.0
            for month_start, per_day in plan:
                batch, value = self._month_of_readings(device, metric, month_start, per_day, value)
                messages += batch
        self.ingest(*messages, now=datetime(2026, 4, 1))
        self.env.flush_all()

    def test_no_total_across_units(self):
        self._ingest_history()
        domain = [("device_id", "in", (self.water | self.power).ids), ("month", "=", date(2026, 3, 1))]
        fields_ = ["consumption:sum", "change_mom_pct:avg", "change_yoy_pct:avg"]
        # the grand total of a pivot or a graph: kWh + m³ is refused (left empty)
        (total,) = self.Monthly.read_group(domain, fields_, [], lazy=False)
        self.assertIs(total["consumption"], False, "m³ never added to kWh")
        self.assertIs(total["change_mom_pct"], False)
        # grouped by estate (both units inside): still no total
        (estate,) = self.Monthly.read_group(domain, fields_, ["estate_id"])
        self.assertIs(estate["consumption"], False)
        # grouped by meter type: each in its own unit, with the % change of the group's sums
        by_type = {g["meter_type"]: g for g in self.Monthly.read_group(domain, fields_, ["meter_type"])}
        # March 2026: the first reading of March closes February's last day (counted on 1 March)
        water, power = by_type["water"], by_type["electricity"]
        self.assertAlmostEqual(power["consumption"], 10.0 + 30 * 12.0, places=3)
        self.assertAlmostEqual(power["change_mom_pct"], round(100 * (370 - 270) / 270, 1), places=1)
        self.assertIs(power["change_yoy_pct"], False, "no March 2025 of electricity: no base")
        self.assertAlmostEqual(water["consumption"], 1.0 + 30 * 1.5, places=3)
        self.assertAlmostEqual(water["change_yoy_pct"], round(100 * (46 - 30) / 30, 1), places=1)
        # the rows carry their unit of measure and their own %
        row = self.Monthly.search([("device_id", "=", self.power.id), ("month", "=", date(2026, 3, 1))])
        self.assertEqual(row.uom, "kwh")
        self.assertAlmostEqual(row.change_mom_pct, 37.0, places=1)
        self.assertEqual(self.Daily.search([("device_id", "=", self.water.id)], limit=1).uom, "m3")
        # daily view: the same refusal
        (daily,) = self.Daily.read_group(
            [("device_id", "in", (self.water | self.power).ids)], ["consumption:sum"], [], lazy=False
        )
        self.assertIs(daily["consumption"], False)

    def test_views_never_total_across_units(self):
        """Lists show no footer total (their rows mix units); pivots start with the meter type."""
        for model in (self.Monthly, self.Daily):
            views = model.get_views([(False, "list"), (False, "pivot")])["views"]
            self.assertNotRegex(views["list"]["arch"], r'\b(sum|avg)="', model._name)
            pivot_rows = re.findall(r'<field name="(\w+)" type="row"', views["pivot"]["arch"])
            self.assertEqual(pivot_rows[0], "meter_type", model._name)
        monthly_list = self.Monthly.get_views([(False, "list")])["views"]["list"]["arch"]
        for fname in ("uom", "change_mom_pct", "change_yoy_pct"):
            self.assertIn(f'name="{fname}"', monthly_list)

    def test_held_register_values_are_no_consumption(self):
        self.env.ref("property_iot.rule_water_meter_register").active = True
        self.ingest(self.telemetry(self.water, {"volume": 11.0}, ts=NOW), now=NOW)
        self.ingest(
            self.telemetry(self.water, {"volume": 123.0}, ts=NOW + timedelta(hours=2)),
            now=NOW + timedelta(hours=2),
        )
        self.ingest(
            self.telemetry(self.water, {"volume": 11.5}, ts=NOW + timedelta(hours=3)),
            now=NOW + timedelta(hours=3),
        )
        held = self.env["property.iot.reading"].search(
            [("device_id", "=", self.water.id), ("held_reason", "!=", False)]
        )
        self.assertEqual(len(held), 1, "the jump to 123 m³ is held for review")
        self.env.flush_all()
        day = self.Daily.search([("device_id", "=", self.water.id), ("day", "=", date(2026, 3, 10))])
        self.assertAlmostEqual(day.consumption, 0.5, places=6, msg="11 → 11.5, the held 123 left out")
