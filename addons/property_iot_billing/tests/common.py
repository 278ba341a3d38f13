from datetime import datetime

from odoo.addons.property_iot.tests.common import IotTestCommon

# 2026-03-05 in Shanghai (UTC+8) runs from 03-04 16:00 to 03-05 16:00 UTC
DAY = datetime(2026, 3, 5, 0, 0, 0)


class IotBillingCommon(IotTestCommon):
    """property_iot's test devices, and billing meters on unit A: one water meter (the water
    device links to it) and two electricity meters (ambiguous: the power device stays unlinked)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Meter = cls.env["property.meter"]
        cls.water_meter = Meter.create({"name": "SB-0502", "unit_id": cls.unit_a.id, "meter_type": "water"})
        cls.power_meters = Meter.create(
            [
                {"name": "DB-0502-1", "unit_id": cls.unit_a.id, "meter_type": "electricity"},
                {"name": "DB-0502-2", "unit_id": cls.unit_a.id, "meter_type": "electricity"},
            ]
        )
        cls.Reading = cls.env["property.meter.reading"]

    def billing_readings(self, meter):
        return self.Reading.search([("meter_id", "=", meter.id)], order="date")
