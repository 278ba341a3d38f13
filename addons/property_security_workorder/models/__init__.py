from . import (
    property_request,
    property_route_run,
    property_route_run_line,
    property_security_incident,
)
