from . import property_iot_device, property_iot_reading, property_meter_reading
