from . import test_usage_plans
