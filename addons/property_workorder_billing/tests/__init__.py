from . import test_paid_service
