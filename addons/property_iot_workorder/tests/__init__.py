from . import test_alarm_workorder
