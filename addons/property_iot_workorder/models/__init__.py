from . import property_iot_alarm, property_iot_alarm_type, property_iot_rule, property_request
