from datetime import date, datetime, timedelta

from odoo.tests import tagged

from .common import IotTestCommon


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
