from . import (
    property_sms_gateway,
    property_sms_gateway_template,
    property_sms_log,
    res_company,
    res_config_settings,
    sms_core,
    sms_sms,
)
