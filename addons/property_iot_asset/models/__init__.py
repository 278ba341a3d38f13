from . import property_iot_usage_counter
