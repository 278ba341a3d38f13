from . import (
    property_security_alarm_raise_wizard,
    property_security_gate_check_wizard,
    property_security_patrol_scan_wizard,
)
