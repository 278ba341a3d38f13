from . import test_inspections, test_lifecycle, test_plans, test_reliability, test_security, test_spare_parts
