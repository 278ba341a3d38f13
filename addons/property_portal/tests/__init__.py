from . import (
    test_access,
    test_api,
    test_auth_inputs,
    test_community,
    test_household,
    test_household_occupancy,
    test_payment,
    test_queries,
    test_resident_site,
    test_staff_tours,
    test_tours,
    test_upload,
)
