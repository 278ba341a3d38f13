from . import (
    billing_report_xlsx,
    property_billing_arrears_report,
    property_billing_collection_report,
    property_billing_income_report,
)
