from . import test_meter_readings
