{
    "name": "Property Billing - Online Payment",
    "summary": "Pay property bills online through Odoo's payment engine: transactions linked to "
    "bills, reconciliation, provider choice per company, no double payment",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_billing", "property_payment"],
    "data": [
        "wizards/payment_link_wizard_views.xml",
        "views/payment_transaction_views.xml",
        "views/property_bill_views.xml",
        "views/res_config_settings_views.xml",
        "views/property_billing_payment_menus.xml",
    ],
    "demo": ["demo/res_company_demo.xml"],
    "auto_install": True,
    "installable": True,
}
