from . import (
    test_access,
    test_alarm,
    test_guard_tours,
    test_patrol,
    test_personal_data,
    test_plan_drill,
    test_retention,
    test_tours,
    test_visitor,
    test_watch,
)
