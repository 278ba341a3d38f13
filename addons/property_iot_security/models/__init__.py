from . import property_iot_alarm
