from . import test_incident_work_order, test_patrol_finding, test_route_engine
