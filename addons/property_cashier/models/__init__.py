from . import (
    property_cashier_closing,
    property_cashier_closing_line,
    property_cashier_collection,
    property_cashier_collection_line,
    res_company,
    res_partner,
)
