from . import (
    property_request,
    property_security_incident,
    property_security_patrol_run,
    property_security_patrol_run_line,
)
