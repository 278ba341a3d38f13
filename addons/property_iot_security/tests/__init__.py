from . import test_security_alarms
