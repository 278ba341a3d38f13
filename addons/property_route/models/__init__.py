from . import (
    property_route,
    property_route_checkpoint,
    property_route_run,
    property_route_run_line,
    res_users,
)
