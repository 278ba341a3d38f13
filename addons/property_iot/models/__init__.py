from . import (
    maintenance_equipment,
    property_iot_alarm,
    property_iot_device,
    property_iot_energy_report,
    property_iot_failure_risk,
    property_iot_quarantine,
    property_iot_reading,
    property_iot_rule,
    property_iot_usage_counter,
)
