from . import payment_provider, payment_transaction, property_bill, res_company, res_config_settings
