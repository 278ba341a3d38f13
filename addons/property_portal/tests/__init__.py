from . import (
    test_access,
    test_api,
    test_auth_inputs,
    test_community,
    test_household,
    test_household_occupancy,
    test_queries,
    test_tours,
    test_upload,
)
