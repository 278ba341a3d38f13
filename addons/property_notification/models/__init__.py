from . import (
    payment_transaction,
    property_bill_line,
    property_dunning_log,
    property_feedback,
    property_notification,
    property_notification_preference,
    property_request,
    property_security_alarm,
)
