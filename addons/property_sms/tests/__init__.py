from . import test_gateway, test_pii
