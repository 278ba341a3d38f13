from . import (
    payment_provider,
    payment_transaction,
    property_payment_notification,
    property_payment_statement,
    property_payment_statement_line,
)
