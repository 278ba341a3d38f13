{
    "name": "Property Work Orders - Billing",
    "summary": "Charge paid services (户内有偿维修) to the resident's household bill on confirmation",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_workorder", "property_billing"],
    "data": [
        "data/product_data.xml",
        "views/property_request_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
