from . import (
    test_accountant,
    test_accountant_tour,
    test_accounting,
    test_billing_run,
    test_estate_scoping,
    test_ledger,
    test_meters,
    test_reports,
    test_rules,
    test_security,
)
