from . import test_access
from . import test_pii
from . import test_occupancy
from . import test_docker
