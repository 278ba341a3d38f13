from . import test_access, test_docker, test_occupancy, test_pii
