from . import (
    property_attendance_report_wizard,
    property_request_heatmap_wizard,
    property_request_reason_wizard,
)
