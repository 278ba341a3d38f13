from . import test_access, test_delivery, test_events, test_tour
