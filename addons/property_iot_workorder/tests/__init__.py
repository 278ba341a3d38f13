from . import test_alarm_types, test_alarm_workorder
