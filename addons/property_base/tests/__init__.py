from . import (
    test_access,
    test_background_language,
    test_company_fields,
    test_docker,
    test_import,
    test_occupancy,
    test_pii,
    test_pii_paths,
    test_residents,
    test_roles,
    test_terms,
    test_views,
)
