{
    "name": "Property Operations Cockpit",
    "summary": "运营驾驶舱: the manager's landing page with the figures of billing, work orders, "
    "energy, satisfaction and alarms, each opening its list",
    "version": "18.0.1.0.0",
    "category": "Property",
    "website": "https://github.com/property-suite/property-suite",
    "author": "Property Suite Contributors",
    "license": "LGPL-3",
    "depends": ["property_billing", "property_workorder", "property_iot", "property_security"],
    "data": [
        "views/property_cockpit_views.xml",
        "views/property_cockpit_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "property_cockpit/static/src/cockpit/*",
        ],
        "web.assets_tests": [
            "property_cockpit/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
