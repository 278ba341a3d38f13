from . import (
    account_move_line,
    ir_sequence,
    product_template,
    property_bill,
    property_bill_line,
    property_bill_writeoff,
    property_billing_rule,
    property_billing_run,
    property_late_fee_rule,
    property_meter,
    property_meter_reading,
    property_unit,
)
