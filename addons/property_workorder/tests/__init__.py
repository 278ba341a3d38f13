from . import (
    test_access,
    test_attendance,
    test_classifier,
    test_dispatch,
    test_lifecycle,
    test_materials,
    test_personal_data,
    test_reports,
    test_route,
    test_sla,
    test_technician,
)
